package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SignInAttempt is one try to sign in, kept to throttle guessing.
type SignInAttempt struct {
	ID       uint      `gorm:"primaryKey"`
	At       time.Time `gorm:"not null;index"`
	Address  string    `gorm:"not null;index"`
	ClientIP string    `gorm:"not null;index"`
	OK       bool      `gorm:"not null"`
}

// The throttle: after ThrottleFailures failed attempts within ThrottleWindow, for one
// account or from one client address, further attempts are refused until the oldest
// of them is ThrottleWindow old.
const (
	ThrottleFailures = 5
	ThrottleWindow   = 15 * time.Minute
)

// SignInThrottled reports whether sign-in attempts for the address or from the client
// are refused now, and until when. A successful sign-in clears the account's count.
func (s *Store) SignInThrottled(ctx context.Context, address, clientIP string) (bool, time.Time, error) {
	address = strings.ToLower(strings.TrimSpace(address))
	since := s.Now().Add(-ThrottleWindow)
	db := s.db.WithContext(ctx)
	var lastOK []time.Time
	if err := db.Model(&SignInAttempt{}).Where("address = ? AND ok AND at > ?", address, since).
		Order("at DESC").Limit(1).Pluck("at", &lastOK).Error; err != nil {
		return false, time.Time{}, fmt.Errorf("check sign-in attempts: %w", err)
	}
	accountSince := since
	if len(lastOK) > 0 {
		accountSince = lastOK[0]
	}
	for _, q := range []struct {
		where string
		arg   string
		since time.Time
	}{{"address = ?", address, accountSince}, {"client_ip = ?", clientIP, since}} {
		var times []time.Time
		if err := db.Model(&SignInAttempt{}).Where(q.where+" AND NOT ok AND at > ?", q.arg, q.since).
			Order("at DESC").Limit(ThrottleFailures).Pluck("at", &times).Error; err != nil {
			return false, time.Time{}, fmt.Errorf("check sign-in attempts: %w", err)
		}
		if len(times) >= ThrottleFailures {
			return true, times[len(times)-1].Add(ThrottleWindow), nil
		}
	}
	return false, time.Time{}, nil
}

// RecordSignInAttempt keeps an attempt for the throttle.
func (s *Store) RecordSignInAttempt(ctx context.Context, address, clientIP string, ok bool) error {
	a := SignInAttempt{At: s.Now(), Address: strings.ToLower(strings.TrimSpace(address)), ClientIP: clientIP, OK: ok}
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			return fmt.Errorf("record sign-in attempt: %w", err)
		}
		// Attempts older than the window no longer count; keep the table small.
		return tx.Where("at < ?", s.Now().Add(-2*ThrottleWindow)).Delete(&SignInAttempt{}).Error
	})
}
