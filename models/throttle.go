package models

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// SignInThrottle counts sign-in attempts for one key: a person (every address they
// sign in with), an address that belongs to nobody, a familiar device of a person,
// or a client address. One row per key, whatever the number of attempts, so what an
// anonymous client can make the server store stays bounded.
type SignInThrottle struct {
	// Scope is what the row counts for: "person:7", "address:x@y", "device:7:...",
	// "client:192.0.2.1".
	Scope string `gorm:"primaryKey;size:320"`
	// Failures counts the attempts of the current window that did not succeed,
	// including those still being checked: an attempt is counted before its password
	// is, so parallel attempts can't slip past the limit.
	Failures    int       `gorm:"not null"`
	WindowStart time.Time `gorm:"not null"`
	// LockedUntil is set while the key is locked out.
	LockedUntil *time.Time
	// Lockouts counts the lockouts so far; each lasts twice as long as the one
	// before. It is forgotten a day after the key was last used.
	Lockouts int `gorm:"not null"`
	// Refused counts the attempts refused during the current lockout; they are kept
	// as this count, not as one audit event each.
	Refused int64     `gorm:"not null"`
	SeenAt  time.Time `gorm:"not null;index"`
}

// The throttle. A person (or a familiar device of theirs) gets ThrottleFailures
// failed attempts within ThrottleWindow, a client address ClientThrottleFailures;
// then the key is locked out for LockoutBase, doubling with each further lockout up
// to MaxLockout. A day without attempts forgets the past lockouts.
const (
	ThrottleFailures       = 5
	ClientThrottleFailures = 20
	ThrottleWindow         = 15 * time.Minute
	LockoutBase            = time.Minute
	MaxLockout             = time.Hour
	ThrottleMemory         = 24 * time.Hour
)

// ThrottledError refuses a sign-in attempt without checking it: too many attempts
// failed recently. Until is when the next attempt will be considered.
type ThrottledError struct {
	Until time.Time
}

func (e *ThrottledError) Error() string {
	return "sign-in throttled until " + e.Until.UTC().Format(time.RFC3339)
}

// AsThrottled returns the throttle refusal in err, if it is one.
func AsThrottled(err error) (*ThrottledError, bool) {
	var te *ThrottledError
	ok := errors.As(err, &te)
	return te, ok
}

// throttleKind is what a key counts for; it decides the limit.
type throttleKind int

const (
	throttlePerson throttleKind = iota
	throttleClient
)

type throttleKey struct {
	key  string
	kind throttleKind
}

func (k throttleKey) limit() int {
	if k.kind == throttleClient {
		return ClientThrottleFailures
	}
	return ThrottleFailures
}

// lockoutFor is how long the n-th lockout (counting from 0) lasts.
func lockoutFor(n int) time.Duration {
	d := LockoutBase
	for i := 0; i < n && d < MaxLockout; i++ {
		d *= 2
	}
	return min(d, MaxLockout)
}

// ClientKey is what a client address counts as: the address itself for IPv4, its
// /64 network for IPv6, where one subscriber holds a whole /64.
func ClientKey(ip string) string {
	p := net.ParseIP(ip)
	if p == nil {
		return "client:" + truncate(ip, 64)
	}
	if v4 := p.To4(); v4 != nil {
		return "client:" + v4.String()
	}
	return "client:" + p.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// signInKeys are the keys an attempt counts against. From a familiar device of the
// person the address belongs to, only that device's own count: others guessing the
// password elsewhere do not lock the person out of the browser they use. Otherwise
// the person (or, for an address that belongs to nobody, that address) and the
// client address.
func signInKeys(userID uint, known bool, norm, clientIP string, device *FamiliarDevice) []throttleKey {
	if known && device != nil && device.UserID == userID && device.ID != "" {
		return []throttleKey{{key: "device:" + strconv.FormatUint(uint64(userID), 10) + ":" + truncate(device.ID, 64), kind: throttlePerson}}
	}
	person := "address:" + norm
	if known {
		person = "person:" + strconv.FormatUint(uint64(userID), 10)
	}
	return []throttleKey{{key: person, kind: throttlePerson}, {key: ClientKey(clientIP), kind: throttleClient}}
}

// loadThrottle reads a key's row inside the write transaction, or a fresh one.
func (s *Store) loadThrottle(tx *gorm.DB, k throttleKey, now time.Time) (*SignInThrottle, error) {
	var t SignInThrottle
	err := tx.Where("scope = ?", k.key).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &SignInThrottle{Scope: k.key, WindowStart: now, SeenAt: now}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load sign-in throttle: %w", err)
	}
	if now.Sub(t.SeenAt) > ThrottleMemory && (t.LockedUntil == nil || !t.LockedUntil.After(now)) {
		t = SignInThrottle{Scope: k.key, WindowStart: now}
	}
	if t.LockedUntil != nil && !t.LockedUntil.After(now) {
		// The lockout is over: a fresh window, the lockout count kept.
		t.LockedUntil, t.Failures, t.Refused, t.WindowStart = nil, 0, 0, now
	}
	if t.LockedUntil == nil && now.Sub(t.WindowStart) > ThrottleWindow {
		t.Failures, t.WindowStart = 0, now
	}
	t.SeenAt = now
	return &t, nil
}

// admitSignIn decides, in one write transaction, whether an attempt may be checked,
// and counts it in the same transaction: no two attempts can both see the last free
// place. A refused attempt adds to its keys' refused count; the first refusal of a
// lockout is also written to the audit log.
func (s *Store) admitSignIn(ctx context.Context, keys []throttleKey, target, clientIP string) error {
	var refused *ThrottledError
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		rows := make([]*SignInThrottle, len(keys))
		var until time.Time
		for i, k := range keys {
			t, err := s.loadThrottle(tx, k, now)
			if err != nil {
				return err
			}
			rows[i] = t
			switch {
			case t.LockedUntil != nil:
				until = maxTime(until, *t.LockedUntil)
			case t.Failures >= k.limit():
				// Its last attempts are still being checked; their outcome decides.
				until = maxTime(until, now.Add(lockoutFor(t.Lockouts)))
			}
		}
		if until.IsZero() {
			for _, t := range rows {
				t.Failures++
				if err := tx.Save(t).Error; err != nil {
					return fmt.Errorf("count sign-in attempt: %w", err)
				}
			}
			return nil
		}
		// Refused: counted on the keys that refused it (and committed), and written
		// to the audit log once per lockout.
		refused = &ThrottledError{Until: until}
		first := false
		for i, k := range keys {
			t := rows[i]
			if t.LockedUntil == nil && t.Failures < k.limit() {
				continue
			}
			first = first || t.Refused == 0
			t.Refused++
			if err := tx.Save(t).Error; err != nil {
				return fmt.Errorf("count refused sign-in: %w", err)
			}
		}
		if !first {
			return nil
		}
		return s.audit(tx, nil, "signin.throttled", nil, target, nil,
			map[string]any{"client_ip": clientIP, "until": until.UTC().Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	return nil
}

// settleSignIn records an admitted attempt's outcome on its keys, in the caller's
// transaction. A right password clears the person's (or device's) count and gives
// the client back the place it took; a wrong one locks out each key that reached
// its limit, and returns until when (zero when none did).
func (s *Store) settleSignIn(tx *gorm.DB, keys []throttleKey, passwordOK bool) (time.Time, error) {
	now := s.Now()
	var lockedUntil time.Time
	for _, k := range keys {
		t, err := s.loadThrottle(tx, k, now)
		if err != nil {
			return time.Time{}, err
		}
		switch {
		case passwordOK && k.kind == throttlePerson:
			if err := tx.Where("scope = ?", k.key).Delete(&SignInThrottle{}).Error; err != nil {
				return time.Time{}, fmt.Errorf("clear sign-in throttle: %w", err)
			}
			continue
		case passwordOK:
			t.Failures = max(t.Failures-1, 0)
		case t.LockedUntil == nil && t.Failures >= k.limit():
			until := now.Add(lockoutFor(t.Lockouts))
			t.LockedUntil, t.Lockouts, t.Failures, t.Refused = &until, t.Lockouts+1, 0, 0
			lockedUntil = maxTime(lockedUntil, until)
		}
		if err := tx.Save(t).Error; err != nil {
			return time.Time{}, fmt.Errorf("record sign-in outcome: %w", err)
		}
	}
	return lockedUntil, nil
}

// SignInThrottles returns the throttle rows, for tests and diagnostics.
func (s *Store) SignInThrottles(ctx context.Context) ([]SignInThrottle, error) {
	var out []SignInThrottle
	if err := s.db.WithContext(ctx).Order("scope").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list sign-in throttles: %w", err)
	}
	return out, nil
}

// PurgeSignInThrottles forgets keys that have not been used for a day and are not
// locked out.
func (s *Store) PurgeSignInThrottles(ctx context.Context, now time.Time) error {
	if err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Where("seen_at < ? AND (locked_until IS NULL OR locked_until < ?)", now.Add(-ThrottleMemory), now).
			Delete(&SignInThrottle{}).Error
	}); err != nil {
		return fmt.Errorf("purge sign-in throttles: %w", err)
	}
	return nil
}

// migrateThrottle drops the table of single attempts the throttle kept before it
// kept counts.
func migrateThrottle(db *gorm.DB) error {
	if db.Migrator().HasTable("sign_in_attempts") {
		if err := db.Migrator().DropTable("sign_in_attempts"); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
