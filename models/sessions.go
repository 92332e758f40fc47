package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// LoadSession returns the live session with the given id hash.
// It is kept in memory until the auth generation moves on (authcache.go).
func (s *Store) LoadSession(ctx context.Context, id string) (*Session, error) {
	gen, cacheable := s.authGeneration(ctx)
	if cacheable {
		if sess, ok := s.auth.session(gen, id); ok && sess.ExpiresAt.After(s.Now()) {
			sess.Data = slices.Clone(sess.Data)
			return &sess, nil
		}
	}
	var sess Session
	err := s.db.WithContext(ctx).Where("id = ? AND expires_at > ?", id, s.Now()).First(&sess).Error
	if err != nil {
		return nil, notFound(err, "session")
	}
	if cacheable {
		kept := sess
		kept.Data = slices.Clone(sess.Data)
		s.auth.putSession(gen, kept)
	}
	return &sess, nil
}

// CreateSession stores a new session. Only signing in creates sessions; every
// other write goes through UpdateSession, so a session ended while a request was
// still running stays ended.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(sess).Error }); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// UpdateSession writes a live session's data and activity. A session that is no
// longer there (signed out, ended by an admin, expired) is ErrNotFound: it is never
// brought back.
func (s *Store) UpdateSession(ctx context.Context, sess *Session) error {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Session{}).Where("id = ? AND expires_at > ?", sess.ID, s.Now()).
			Updates(map[string]any{"data": sess.Data, "last_seen_at": sess.LastSeenAt, "expires_at": sess.ExpiresAt})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Delete(&Session{}, "id = ?", id).Error }); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user, on every device.
func (s *Store) DeleteUserSessions(ctx context.Context, userID uint) error {
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Delete(&Session{}, "user_id = ?", userID).Error }); err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

// PurgeExpiredSessions removes sessions that have expired before now.
func (s *Store) PurgeExpiredSessions(ctx context.Context, now time.Time) error {
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Delete(&Session{}, "expires_at <= ?", now).Error }); err != nil {
		return fmt.Errorf("purge sessions: %w", err)
	}
	return nil
}

// CountLiveSessions returns how many sessions have not expired.
func (s *Store) CountLiveSessions(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Session{}).Where("expires_at > ?", s.Now()).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count sessions: %w", err)
	}
	return n, nil
}
