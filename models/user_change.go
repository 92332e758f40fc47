package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// UserChange is a change to some of a person's properties, as a program sends it
// (Graph's PATCH /users/{id}): only the fields set change. Each field needs the
// right its own form needs on the admin center's pane.
type UserChange struct {
	DisplayName *string
	GivenName   *string
	Surname     *string
	JobTitle    *string
	Department  *string
	// UserPrincipalName is alias@domain, a domain of the organization.
	UserPrincipalName *string
	// UsageLocation is an ISO 3166-1 alpha-2 code; "" clears it.
	UsageLocation *string
	// AccountEnabled false blocks sign-in (ending sessions and stopping forwarding,
	// without asking), true unblocks it.
	AccountEnabled *bool
}

func (c UserChange) contact() bool {
	return c.DisplayName != nil || c.GivenName != nil || c.Surname != nil || c.JobTitle != nil || c.Department != nil
}

// kinds are the kinds of change the fields set make.
func (c UserChange) kinds() []personChange {
	var out []personChange
	if c.contact() || c.UsageLocation != nil {
		out = append(out, changeDetails)
	}
	if c.UserPrincipalName != nil {
		out = append(out, changeUsername)
	}
	if c.AccountEnabled != nil {
		out = append(out, changeSignIn)
	}
	if len(out) == 0 {
		// A change of nothing is still a change of the person's details.
		out = append(out, changeDetails)
	}
	return out
}

// ChangeUser applies every field of a change to a person in one write transaction:
// the actor's roles are read again and their rights on the person checked for each
// kind of change inside it, each change writes its own audit entry, and a field
// that breaks a rule (or a right the actor lacks) leaves the person as they were.
// Fields that already hold the value sent change nothing.
func (s *Store) ChangeUser(ctx context.Context, actor *Admin, userID uint, c UserChange) error {
	kinds := c.kinds()
	for _, k := range kinds {
		if !actor.Can(k.action) {
			return ErrForbidden
		}
	}
	var location string
	if c.UsageLocation != nil {
		var err error
		if location, err = UsageLocation(*c.UsageLocation); err != nil {
			return err
		}
	}
	if c.UserPrincipalName != nil {
		defer s.forget()
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		a, err := currentActor(tx, actor)
		if err != nil {
			return err
		}
		var u *User
		for _, k := range kinds {
			if u == nil {
				if u, err = checkPersonAs(tx, a, k, userID); err != nil {
					return err
				}
			} else if !a.Can(k.action) || !k.right(RightsOn(a, rolesOf(u))) {
				return ErrForbidden
			}
		}
		if c.contact() {
			pick := func(p *string, v string) string {
				if p != nil {
					return strings.TrimSpace(*p)
				}
				return v
			}
			next := Contact{FirstName: pick(c.GivenName, u.FirstName), LastName: pick(c.Surname, u.LastName),
				DisplayName: pick(c.DisplayName, u.Recipient.DisplayName), JobTitle: pick(c.JobTitle, u.JobTitle),
				Department: pick(c.Department, u.Department), Version: u.Version}
			ve := &ValidationError{}
			checkNames(ve, next.FirstName, next.LastName, next.DisplayName, next.JobTitle, next.Department)
			if err := ve.OrNil(); err != nil {
				return err
			}
			if next != (Contact{u.FirstName, u.LastName, u.Recipient.DisplayName, u.JobTitle, u.Department, u.Version}) {
				if err := s.setContact(tx, actor, u, next); err != nil {
					return err
				}
			}
		}
		if c.UsageLocation != nil {
			if err := s.setUsageLocation(tx, actor, u, location); err != nil {
				return err
			}
		}
		if c.UserPrincipalName != nil {
			alias, domain := SplitAddress(strings.TrimSpace(*c.UserPrincipalName))
			if err := s.setUPN(tx, actor, u, alias, domain, AnyVersion); err != nil {
				return err
			}
		}
		if c.AccountEnabled != nil {
			if _, err := s.setSignInBlocked(tx, actor, u, !*c.AccountEnabled, true); err != nil {
				return err
			}
		}
		return nil
	})
}
