package models

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ServerKey is a secret of this installation, made at first use and kept in the
// database so every instance sharing the database signs and checks alike. It signs
// what the server hands out without storing it: the pre-sign-in CSRF token and the
// familiar-device cookie.
type ServerKey struct {
	Name      string    `gorm:"primaryKey;size:64"`
	Key       []byte    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

// ServerKey returns the named key, creating it on first use. Instances that start
// together agree: the first insert wins and everyone reads it back.
func (s *Store) ServerKey(ctx context.Context, name string) ([]byte, error) {
	if k, err := s.loadServerKey(ctx, name); err == nil || !errors.Is(err, ErrNotFound) {
		return k, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("make server key: %w", err)
	}
	if err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ServerKey{Name: name, Key: b, CreatedAt: s.Now()}).Error
	}); err != nil {
		return nil, fmt.Errorf("store server key: %w", err)
	}
	return s.loadServerKey(ctx, name)
}

func (s *Store) loadServerKey(ctx context.Context, name string) ([]byte, error) {
	var k ServerKey
	if err := s.db.WithContext(ctx).Where("name = ?", name).Take(&k).Error; err != nil {
		return nil, notFound(err, "server key")
	}
	if len(k.Key) < 32 {
		return nil, fmt.Errorf("server key %q is too short", name)
	}
	return k.Key, nil
}
