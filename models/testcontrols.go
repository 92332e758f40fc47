package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The test controls (admincenter serve --test-controls) let a test suite put the demo
// tenant back and sign in without typing a password. Nothing here runs unless the
// server was started with them, on loopback.

// demoPasswordKey is where SeedDemo keeps the demo admins' password hash (never the
// password), so a reset gives them the same password again.
const demoPasswordKey = "demo-password-hash"

// ErrNoDemoPassword: the database was seeded before the demo password was kept, so a
// reset could not give the demo admins their password back.
var ErrNoDemoPassword = errors.New("the demo admins' password is not known: seed a new database with --demo")

func rememberDemoPassword(tx *gorm.DB, hash string) error {
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name"}}, DoUpdates: clause.AssignmentColumns([]string{"key"})}).
		Create(&ServerKey{Name: demoPasswordKey, Key: []byte(hash), CreatedAt: time.Now().UTC()}).Error
	if err != nil {
		return fmt.Errorf("remember demo password: %w", err)
	}
	return nil
}

// keptByReset are the tables a reset leaves alone: the installation's keys (which
// sign cookies and tokens, and hold the tenant id and the demo password) and the
// sign-in sessions, so a browser signed in as a demo admin stays signed in as the
// same person (the demo people get the same ids back), the auth, count, list and
// report generations (which the reset's changes raise, so every instance drops what it
// cached and counts again), and the schema's fingerprint (the schema stays).
var keptByReset = []string{"server_keys", "sessions", "auth_generations", "count_generations", "list_generations", "report_generations", "schema_states"}

// ResetDemo puts the demo tenant back as SeedDemo made it: every table but the kept
// ones is emptied (ids start again, so the demo people get theirs back) and the demo
// is seeded again, in one write transaction, with the demo admins' password. With
// keepApps the API apps stay, so a suite's client secret keeps working.
func (s *Store) ResetDemo(ctx context.Context, keepApps bool) error {
	defer s.forget()
	return s.write(ctx, func(tx *gorm.DB) error {
		var k ServerKey
		if err := tx.Where("name = ?", demoPasswordKey).Take(&k).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNoDemoPassword
			}
			return fmt.Errorf("reset: %w", err)
		}
		tables, err := s.tables(tx)
		if err != nil {
			return err
		}
		var empty []string
		for _, t := range tables {
			if !slices.Contains(keptByReset, t) && !(keepApps && t == "apps") {
				empty = append(empty, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
			}
		}
		if s.postgres {
			if err := tx.Exec("TRUNCATE " + strings.Join(empty, ", ") + " RESTART IDENTITY").Error; err != nil {
				return fmt.Errorf("reset: %w", err)
			}
		} else {
			// Foreign keys are checked at commit, when every table is empty or whole.
			if err := tx.Exec("PRAGMA defer_foreign_keys = ON").Error; err != nil {
				return fmt.Errorf("reset: %w", err)
			}
			for _, t := range empty {
				if err := tx.Exec("DELETE FROM " + t).Error; err != nil {
					return fmt.Errorf("reset %s: %w", t, err)
				}
			}
			// Ids start again at 1 (the tables use AUTOINCREMENT).
			var names []string
			for _, t := range empty {
				names = append(names, "'"+strings.ReplaceAll(strings.Trim(t, `"`), "'", "''")+"'")
			}
			if err := tx.Exec("DELETE FROM sqlite_sequence WHERE name IN (" + strings.Join(names, ", ") + ")").Error; err != nil {
				return fmt.Errorf("reset ids: %w", err)
			}
		}
		d := demoSeeder{tx: tx, now: s.Now()}
		return d.seed(string(k.Key))
	})
}

// TestSignIn signs a person with an admin role in without a password, for the test
// controls' session endpoint, and audits it as a sign-in. It fails like a sign-in:
// ErrNotFound for no such address, ErrNotAdmin, ErrSignInBlocked.
func (s *Store) TestSignIn(ctx context.Context, address string) (*Admin, error) {
	id, err := s.UserIDByAddress(ctx, address)
	if err != nil {
		return nil, err
	}
	var u User
	if err := s.db.WithContext(ctx).Select("id, sign_in_blocked").Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, notFound(err, "user")
	}
	admin, err := s.AdminByUserID(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case u.SignInBlocked:
		return nil, ErrSignInBlocked
	case len(admin.Roles) == 0:
		return nil, ErrNotAdmin
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		return s.audit(tx, admin, "signin.success", nil, normalizeAddress(address), nil, map[string]any{"via": "test_controls"})
	})
	if err != nil {
		return nil, err
	}
	return admin, nil
}

// MailboxStorage is how much of a mailbox is in use, of its quota, and so its state.
type MailboxStorage struct {
	UsedBytes  int64
	QuotaBytes int64
	State      StorageState
}

// ErrNoMailbox: the recipient has no mailbox (a group or a mail contact).
var ErrNoMailbox = errors.New("the recipient has no mailbox")

// SetMailboxStorage sets how much of the mailbox with this address is in use (and,
// when quotaBytes is above 0, its quota), so a test can reach the storage states
// (nearly full, can't send, can't send or receive). Only the test controls call
// it: in the product, mail fills a mailbox, not an admin.
func (s *Store) SetMailboxStorage(ctx context.Context, address string, usedBytes, quotaBytes int64) (*MailboxStorage, error) {
	if usedBytes < 0 || quotaBytes < 0 {
		return nil, errors.New("storage is never negative")
	}
	rid, err := s.RecipientByAddress(ctx, address)
	if err != nil {
		return nil, err
	}
	var out MailboxStorage
	err = s.write(ctx, func(tx *gorm.DB) error {
		var mb Mailbox
		if err := tx.Where("recipient_id = ?", rid).Take(&mb).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNoMailbox
			}
			return fmt.Errorf("load mailbox: %w", err)
		}
		mb.StorageUsedBytes = usedBytes
		if quotaBytes > 0 {
			mb.QuotaBytes = quotaBytes
		}
		if err := tx.Model(&Mailbox{}).Where("id = ?", mb.ID).
			Updates(map[string]any{"storage_used_bytes": mb.StorageUsedBytes, "quota_bytes": mb.QuotaBytes}).Error; err != nil {
			return fmt.Errorf("set storage: %w", err)
		}
		out = MailboxStorage{UsedBytes: mb.StorageUsedBytes, QuotaBytes: mb.QuotaBytes, State: StorageStateOf(mb.StorageUsedBytes, mb.QuotaBytes)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
