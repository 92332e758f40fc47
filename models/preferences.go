package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AdminPreference is how one admin chooses to see the admin center. A row exists
// once the admin has changed a choice; without one every choice has its default.
// Every pane reads it: it is kept in memory with the signed-in admins
// (models/authcache.go), and a change raises the auth generation.
type AdminPreference struct {
	UserID uint `gorm:"primaryKey"`
	// ClassicPane shows a person's properties as the classic pane of the national
	// clouds (seeds 000-003, "o365-germany" and "o365-21vianet"): a summary and an
	// expandable Mail settings section, instead of the Account and Mail tabs.
	ClassicPane bool `gorm:"not null;default:false"`
	UpdatedAt   time.Time
}

// Preferences are an admin's display choices.
type Preferences struct {
	ClassicPane bool
}

// Preferences returns the admin's display choices; an app, or an admin who never
// chose, gets the defaults.
func (s *Store) Preferences(ctx context.Context, actor *Admin) (Preferences, error) {
	if actor == nil || actor.App != "" || actor.UserID == 0 {
		return Preferences{}, nil
	}
	gen, hasGen := s.authGeneration(ctx)
	if hasGen {
		if p, ok := s.auth.preferences(gen, actor.UserID); ok {
			return p, nil
		}
	}
	// One column, scanned without reflection.
	var p Preferences
	err := s.db.WithContext(ctx).Raw("SELECT classic_pane FROM admin_preferences WHERE user_id = ? LIMIT 1", actor.UserID).
		Row().Scan(&p.ClassicPane)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Preferences{}, fmt.Errorf("read preferences: %w", err)
	}
	if hasGen {
		s.auth.putPreferences(gen, actor.UserID, p)
	}
	return p, nil
}

// SetClassicPane turns the classic properties pane on or off for the admin
// themself: only a signed-in person changes their own choices (an app has none),
// and only while their account exists. The change is audited on the admin.
func (s *Store) SetClassicPane(ctx context.Context, actor *Admin, on bool) error {
	if actor == nil || actor.App != "" || actor.UserID == 0 {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("id = ?", actor.UserID).Take(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrForbidden
			}
			return fmt.Errorf("load admin: %w", err)
		}
		var p AdminPreference
		err := tx.Where("user_id = ?", u.ID).Take(&p).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			if !on {
				return nil
			}
			err = tx.Create(&AdminPreference{UserID: u.ID, ClassicPane: on, UpdatedAt: s.Now()}).Error
		case err != nil:
			return fmt.Errorf("read preferences: %w", err)
		case p.ClassicPane == on:
			return nil
		default:
			err = tx.Model(&AdminPreference{}).Where("user_id = ?", u.ID).
				Updates(map[string]any{"classic_pane": on, "updated_at": s.Now()}).Error
		}
		if err != nil {
			return fmt.Errorf("save preferences: %w", err)
		}
		before := !on
		return s.audit(tx, actor, "admin.preferences", &u.RecipientID, actor.DisplayName,
			map[string]any{"classic_pane": before}, map[string]any{"classic_pane": on})
	})
}
