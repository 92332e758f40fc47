package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Authenticate checks an email address and password and returns the admin they
// belong to. An unknown address and a wrong password give the same error.
func (s *Store) Authenticate(ctx context.Context, address, password string) (*Admin, error) {
	norm := strings.ToLower(strings.TrimSpace(address))
	var u User
	err := s.db.WithContext(ctx).
		Joins("JOIN email_addresses ea ON ea.recipient_id = users.recipient_id").
		Where("ea.normalized = ?", norm).
		First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && u.PasswordHash == "") {
		_ = bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(password))
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("look up account: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil, ErrInvalidCredentials
	}
	admin, err := s.AdminByUserID(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if u.SignInBlocked {
		return nil, ErrSignInBlocked
	}
	if len(admin.Roles) == 0 {
		return nil, ErrNotAdmin
	}
	return admin, nil
}

// AdminByUserID loads a user with their admin roles. A user without roles comes back
// with none; callers decide what that means.
func (s *Store) AdminByUserID(ctx context.Context, userID uint) (*Admin, error) {
	// Every signed-in request asks this, so it is two small queries, not preloads.
	var row struct {
		ID            uint
		RecipientID   uint
		SignInBlocked bool
		DisplayName   string
		Username      string
	}
	res := s.db.WithContext(ctx).Table("users u").
		Select(`u.id, u.recipient_id, u.sign_in_blocked, r.display_name,
			COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '') AS username`).
		Joins("JOIN recipients r ON r.id = u.recipient_id").
		Where("u.id = ? AND u.deleted_at IS NULL", userID).Limit(1).Scan(&row)
	if res.Error != nil {
		return nil, fmt.Errorf("load admin: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	a := &Admin{UserID: row.ID, RecipientID: row.RecipientID, DisplayName: row.DisplayName, Username: row.Username}
	if row.SignInBlocked {
		return a, nil
	}
	var held []Role
	if err := s.db.WithContext(ctx).Model(&RoleAssignment{}).Where("user_id = ?", userID).Pluck("role", &held).Error; err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	for _, r := range Roles {
		if slices.Contains(held, r) {
			a.Roles = append(a.Roles, r)
		}
	}
	return a, nil
}

// RecordSignIn writes the audit event of a sign-in attempt and keeps it for the
// throttle. actor is the admin when the attempt succeeded, nil otherwise.
func (s *Store) RecordSignIn(ctx context.Context, address, clientIP string, actor *Admin, outcome string) error {
	if outcome != "throttled" {
		if err := s.RecordSignInAttempt(ctx, address, clientIP, outcome == "success"); err != nil {
			return err
		}
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		return s.audit(tx, actor, "signin."+outcome, nil, strings.ToLower(strings.TrimSpace(address)), nil, map[string]any{"client_ip": clientIP})
	})
}

// SetPassword replaces a user's password.
func (s *Store) SetPassword(ctx context.Context, userID uint, password string) error {
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", userID).Update("password_hash", hash)
		if res.Error != nil {
			return fmt.Errorf("set password: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// UserIDByAddress returns the user who owns an email address.
func (s *Store) UserIDByAddress(ctx context.Context, address string) (uint, error) {
	var u User
	err := s.db.WithContext(ctx).Select("users.id").
		Joins("JOIN email_addresses ea ON ea.recipient_id = users.recipient_id").
		Where("ea.normalized = ?", strings.ToLower(strings.TrimSpace(address))).First(&u).Error
	if err != nil {
		return 0, notFound(err, "user")
	}
	return u.ID, nil
}
