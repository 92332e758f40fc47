package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Authenticate checks a sign-in name (a user principal name, in any case) and
// password and returns the admin they belong to. An email address that is not the
// person's username signs in no one: addresses are Exchange's and change without
// the person's sign-in changing. An unknown name and a wrong password give the same
// error.
func (s *Store) Authenticate(ctx context.Context, signInName, password string) (*Admin, error) {
	var u User
	err := s.db.WithContext(ctx).Where(upnMatch, normalizeAddress(signInName)).First(&u).Error
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
	if errors.Is(err, ErrNotFound) {
		return nil, ErrInvalidCredentials // deleted
	}
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
	gen, cacheable := s.authGeneration(ctx)
	if cacheable {
		if a, ok := s.auth.admin(gen, userID); ok {
			return cloneAdmin(a), nil
		}
	}
	a, err := s.loadAdmin(ctx, userID)
	if err == nil && cacheable {
		s.auth.putAdmin(gen, *cloneAdmin(*a))
	}
	return a, err
}

// loadAdmin reads an admin from the database.
func (s *Store) loadAdmin(ctx context.Context, userID uint) (*Admin, error) {
	// Every signed-in request needs this (when not cached), so it is two small
	// queries, not preloads.
	var row struct {
		ID            uint
		RecipientID   uint
		SignInBlocked bool
		DisplayName   string
		Username      string
	}
	res := s.db.WithContext(ctx).Table("users u").
		Select(`u.id, u.recipient_id, u.sign_in_blocked, r.display_name,
			u.user_principal_name AS username`).
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

// Limits of the sign-in form, checked before anything is looked up or stored: an
// email address is at most 254 characters (RFC 5321), a password at most 256
// (Entra's limit).
const (
	MaxAddressLength        = 254
	MaxSignInPasswordLength = 256
)

// FamiliarDevice is a browser a person has signed in from before, as its signed
// cookie proves. Its failed attempts are counted apart from everyone else's.
type FamiliarDevice struct {
	UserID uint
	ID     string
}

// SignInAttempt is one try to sign in: what was typed and where it came from.
type SignInAttempt struct {
	Address  string
	Password string
	ClientIP string
	// Device is set when the browser showed a valid familiar-device cookie.
	Device *FamiliarDevice
}

// SignIn checks a sign-in attempt against the throttle and the credentials, and
// records it: counts on the throttle and one audit event. It returns the admin, or
// a *ValidationError for a malformed form (nothing is stored), a *ThrottledError
// (the password was not checked), ErrInvalidCredentials, ErrSignInBlocked or
// ErrNotAdmin.
func (s *Store) SignIn(ctx context.Context, a SignInAttempt) (*Admin, error) {
	if err := validateSignIn(a); err != nil {
		return nil, err
	}
	norm := normalizeAddress(a.Address)
	userID, err := s.UserIDBySignInName(ctx, norm)
	known := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	keys := signInKeys(userID, known, norm, a.ClientIP, a.Device)
	if err := s.admitSignIn(ctx, keys, norm, a.ClientIP); err != nil {
		return nil, err
	}
	admin, authErr := s.Authenticate(ctx, norm, a.Password)
	passwordOK := authErr == nil || errors.Is(authErr, ErrNotAdmin) || errors.Is(authErr, ErrSignInBlocked)
	if !passwordOK && !errors.Is(authErr, ErrInvalidCredentials) {
		return nil, authErr
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		lockedUntil, err := s.settleSignIn(tx, keys, passwordOK)
		if err != nil {
			return err
		}
		after := map[string]any{"client_ip": a.ClientIP}
		if a.Device != nil && known && a.Device.UserID == userID {
			after["familiar_device"] = true
		}
		switch {
		case authErr == nil:
			return s.audit(tx, admin, "signin.success", nil, norm, nil, after)
		case errors.Is(authErr, ErrNotAdmin):
			after["reason"] = "not_admin"
		case errors.Is(authErr, ErrSignInBlocked):
			after["reason"] = "blocked"
		}
		if !lockedUntil.IsZero() {
			after["locked_until"] = lockedUntil.UTC().Format(time.RFC3339)
		}
		return s.audit(tx, nil, "signin.failure", nil, norm, nil, after)
	})
	if err != nil {
		return nil, err
	}
	return admin, authErr
}

// validateSignIn refuses a sign-in form no one could have typed in good faith,
// before it costs a lookup or a row: an over-long address or password, or an
// address with control characters or invalid UTF-8.
func validateSignIn(a SignInAttempt) error {
	ve := &ValidationError{}
	addr := strings.TrimSpace(a.Address)
	if addr == "" || len(addr) > MaxAddressLength || !utf8.ValidString(addr) ||
		strings.ContainsFunc(addr, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) {
		ve.Add("email", "signin.error.address", map[string]any{"Max": MaxAddressLength})
	}
	if a.Password == "" {
		ve.Add("password", "signin.error.password_missing", nil)
	} else if len(a.Password) > 4*MaxSignInPasswordLength || utf8.RuneCountInString(a.Password) > MaxSignInPasswordLength {
		ve.Add("password", "signin.error.password_length", map[string]any{"Max": MaxSignInPasswordLength})
	}
	if len(ve.Fields) > 0 {
		return ve
	}
	return nil
}

func normalizeAddress(address string) string {
	return strings.ToLower(strings.TrimSpace(address))
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

// UserIDByAddress returns the live person who owns an email address (primary or
// alias). It is not how people sign in: see UserIDBySignInName.
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
