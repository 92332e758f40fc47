package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// MaxNameLength bounds names and contact fields.
const MaxNameLength = 256

// checkNames applies the rules on a person's names and contact details.
func checkNames(ve *ValidationError, first, last, display, job, dept string) {
	if strings.TrimSpace(display) == "" {
		ve.Add("display_name", "user.error.display_name_required", nil)
	}
	for _, f := range []struct{ field, value string }{
		{"first_name", first}, {"last_name", last}, {"display_name", display}, {"job_title", job}, {"department", dept},
	} {
		checkText(ve, f.field, f.value, false)
		if len(f.value) > MaxNameLength {
			ve.Add(f.field, "user.error.too_long", map[string]any{"Max": MaxNameLength})
		}
	}
}

// checkName applies the rules on a recipient's display name: required, text
// (CheckText), and not too long. requiredKey names the message of a missing name.
func checkName(ve *ValidationError, field, name, requiredKey string) {
	checkText(ve, field, name, false)
	switch {
	case name == "":
		ve.Add(field, requiredKey, nil)
	case len(name) > MaxNameLength:
		ve.Add(field, "user.error.too_long", map[string]any{"Max": MaxNameLength})
	}
}

// Contact is the Manage contact information form.
type Contact struct {
	FirstName   string
	LastName    string
	DisplayName string
	JobTitle    string
	Department  string
	Version     int
}

// UserVersion returns the version a contact form must be based on.
func (s *Store) UserVersion(ctx context.Context, userID uint) (int, error) {
	var u User
	if err := s.db.WithContext(ctx).Select("version").First(&u, userID).Error; err != nil {
		return 0, notFound(err, "user")
	}
	return u.Version, nil
}

// UpdateContact changes a person's names and contact details; a form based on an
// older version is refused.
func (s *Store) UpdateContact(ctx context.Context, actor *Admin, userID uint, c Contact) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	c.FirstName, c.LastName, c.DisplayName = strings.TrimSpace(c.FirstName), strings.TrimSpace(c.LastName), strings.TrimSpace(c.DisplayName)
	c.JobTitle, c.Department = strings.TrimSpace(c.JobTitle), strings.TrimSpace(c.Department)
	ve := &ValidationError{}
	checkNames(ve, c.FirstName, c.LastName, c.DisplayName, c.JobTitle, c.Department)
	if err := ve.OrNil(); err != nil {
		return err
	}
	return s.changePerson(ctx, actor, changeDetails, userID, func(tx *gorm.DB, u *User) error {
		return s.setContact(tx, actor, u, c)
	})
}

// setContact is UpdateContact inside the caller's write transaction, for a person
// loaded and checked there; c is trimmed and checked already. The person in memory
// takes the new values and version.
func (s *Store) setContact(tx *gorm.DB, actor *Admin, u *User, c Contact) error {
	before := Contact{u.FirstName, u.LastName, u.Recipient.DisplayName, u.JobTitle, u.Department, u.Version}
	res := tx.Model(&User{}).Where("id = ? AND version = ?", u.ID, c.Version).Updates(map[string]any{
		"first_name": c.FirstName, "last_name": c.LastName, "job_title": c.JobTitle, "department": c.Department,
		"sort_name": sortName(c.DisplayName),
		"version":   gorm.Expr("version + 1"),
	})
	if res.Error != nil {
		return fmt.Errorf("update contact: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	if err := renameRecipient(tx, u.RecipientID, "display_name", c.DisplayName); err != nil {
		return err
	}
	u.FirstName, u.LastName, u.JobTitle, u.Department = c.FirstName, c.LastName, c.JobTitle, c.Department
	u.Recipient.DisplayName, u.SortName, u.Version = c.DisplayName, sortName(c.DisplayName), c.Version+1
	return s.audit(tx, actor, "user.contact", &u.RecipientID, personName(u), before, c)
}

// renameRecipient changes a recipient's display name, and what search finds it by,
// once the name is free (nameFree; its error is on field).
func renameRecipient(tx *gorm.DB, recipientID uint, field, name string) error {
	kind, err := namedKind(tx, recipientID)
	if err != nil {
		return err
	}
	if err := nameFree(tx, field, kind, name, recipientID); err != nil {
		return err
	}
	if err := tx.Model(&Recipient{}).Where("id = ?", recipientID).
		Updates(map[string]any{"display_name": name, "sort_name": sortName(name)}).Error; err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	return reindex(tx, recipientID)
}
