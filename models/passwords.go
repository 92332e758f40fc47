package models

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"unicode"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// The password rules of the admin center: 8 to 256 characters, with at least three
// of lower case, upper case, digits and symbols.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// CheckPassword applies the password strength rules.
func CheckPassword(pw string) *FieldError {
	if len(pw) < MinPasswordLength || len(pw) > MaxPasswordLength {
		return &FieldError{Key: "pw.error.length", Args: map[string]any{"Min": MinPasswordLength, "Max": MaxPasswordLength}}
	}
	var lower, upper, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			symbol = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, symbol} {
		if b {
			n++
		}
	}
	if n < 3 {
		return &FieldError{Key: "pw.error.weak"}
	}
	return nil
}

// GeneratePassword makes a strong password that is easy to read out and type.
func GeneratePassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for {
		var b strings.Builder
		for i := 0; i < 16; i++ {
			if i > 0 && i%4 == 0 {
				b.WriteByte('-')
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			if err != nil {
				return "", fmt.Errorf("generate password: %w", err)
			}
			b.WriteByte(alphabet[n.Int64()])
		}
		if pw := b.String(); CheckPassword(pw) == nil && strings.ContainsAny(pw, "23456789") {
			return pw, nil
		}
	}
}

// PasswordMode is how a new password comes about, as the admin center's two choices
// name it.
type PasswordMode string

// The password modes, valued as the forms send them.
const (
	// PasswordGenerated is "Automatically create a password".
	PasswordGenerated PasswordMode = "auto"
	// PasswordTyped is "Let me create the password".
	PasswordTyped PasswordMode = "manual"
)

// ParsePasswordMode reads a form's choice: "manual" is a typed password, anything
// else a generated one.
func ParsePasswordMode(s string) PasswordMode {
	if PasswordMode(s) == PasswordTyped {
		return PasswordTyped
	}
	return PasswordGenerated
}

// PasswordChoice is a new password as the admin chose it: generated, or typed. A
// typed password must meet the rules as typed; an empty or blank one is refused,
// never replaced by a generated one.
type PasswordChoice struct {
	Mode  PasswordMode
	Typed string
}

// TypedPassword is the choice of a password the admin typed.
func TypedPassword(pw string) PasswordChoice { return PasswordChoice{Mode: PasswordTyped, Typed: pw} }

// password returns the password to set: a new generated one, or the typed one when
// it meets the rules (otherwise a field error on "password").
func (p PasswordChoice) password() (string, *FieldError, error) {
	if p.Mode != PasswordTyped {
		pw, err := GeneratePassword()
		return pw, nil, err
	}
	if fe := CheckPassword(p.Typed); fe != nil {
		return "", fe, nil
	}
	return p.Typed, nil, nil
}

// hashPassword returns the slow hash of a password, for storing, at the store's
// work factor.
func (s *Store) hashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), s.passwordCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// ResetPassword sets a new password, generated or typed, and returns it, to be shown
// once. The person's sessions end. A typed password that breaks the rules changes
// nothing.
func (s *Store) ResetPassword(ctx context.Context, actor *Admin, userID uint, choice PasswordChoice, mustChange bool) (string, error) {
	if !actor.Can(ActionResetPassword) {
		return "", ErrForbidden
	}
	password, fe, err := choice.password()
	if err != nil {
		return "", err
	}
	if fe != nil {
		return "", Invalid("password", fe.Key, fe.Args)
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return "", err
	}
	err = s.changePerson(ctx, actor, changePassword, userID, func(tx *gorm.DB, u *User) error {
		if err := tx.Model(u).Updates(map[string]any{"password_hash": hash, "must_change_password": mustChange}).Error; err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		if err := endSessions(tx, u.ID); err != nil {
			return err
		}
		return s.audit(tx, actor, "user.password_reset", &u.RecipientID, personName(u), nil, map[string]any{"must_change": mustChange})
	})
	if err != nil {
		return "", err
	}
	return password, nil
}
