package models

import (
	"context"
	"errors"
	"slices"

	"gorm.io/gorm"
)

// BulkAction is a change Active users applies to the selected people at once.
type BulkAction string

// The bulk actions, valued as the list's buttons send them.
const (
	BulkBlock         BulkAction = "block"
	BulkUnblock       BulkAction = "unblock"
	BulkAssignLicense BulkAction = "assign"
	BulkRemoveLicense BulkAction = "unassign"
	BulkDelete        BulkAction = "delete"
)

// BulkActions lists the bulk actions in the order the list's bar shows them.
var BulkActions = []BulkAction{BulkBlock, BulkUnblock, BulkAssignLicense, BulkRemoveLicense, BulkDelete}

// ParseBulkAction returns the bulk action named s, or false.
func ParseBulkAction(s string) (BulkAction, bool) {
	a := BulkAction(s)
	return a, slices.Contains(BulkActions, a)
}

// NeedsLicense reports whether the action assigns or removes a license product.
func (a BulkAction) NeedsLicense() bool { return a == BulkAssignLicense || a == BulkRemoveLicense }

// change is the kind of change to each person the action makes.
func (a BulkAction) change() personChange {
	switch a {
	case BulkBlock, BulkUnblock:
		return changeSignIn
	case BulkAssignLicense, BulkRemoveLicense:
		return changeLicenses
	case BulkDelete:
		return changeDeletion
	}
	return personChange{right: func(PersonRights) bool { return false }}
}

// CanUseBulkActions reports whether the admin's roles allow any bulk action, which is
// when the list offers them.
func CanUseBulkActions(actor *Admin) bool {
	return slices.ContainsFunc(BulkActions, func(a BulkAction) bool { return actor.Can(a.change().action) })
}

// ErrUnknownLicense is returned when a bulk license action names no product.
var ErrUnknownLicense = errors.New("unknown license product")

// BulkRequest is one bulk action on the selected people.
type BulkRequest struct {
	Action  BulkAction
	UserIDs []uint
	// LicenseID is the product a license action assigns or removes.
	LicenseID uint
}

// BulkConsequence is what a bulk action stops for one person.
type BulkConsequence struct {
	Name         string
	ForwardingTo string
}

// BulkPlan is the confirmation of a bulk action: the selected people, in name
// order, the product of a license action, and whose forwarding it stops.
type BulkPlan struct {
	Users    []UserRow
	License  *LicenseUsage
	Affected []BulkConsequence
}

// PlanBulk checks that the admin may apply the action to every selected person and
// says what it would do, for the confirmation. It changes nothing.
func (s *Store) PlanBulk(ctx context.Context, actor *Admin, req BulkRequest) (*BulkPlan, error) {
	pc := req.Action.change()
	if !actor.Can(pc.action) {
		return nil, ErrForbidden
	}
	plan := &BulkPlan{}
	people := make([]*UserDetail, 0, len(req.UserIDs))
	for _, id := range req.UserIDs {
		u, err := s.User(ctx, id)
		if err != nil {
			return nil, err
		}
		if !pc.right(RightsOn(actor, u.Roles)) {
			return nil, ErrForbidden
		}
		if req.Action == BulkDelete && u.ID == actor.UserID {
			return nil, Invalid("", "user.error.delete_self", nil)
		}
		people = append(people, u)
	}
	if req.Action.NeedsLicense() {
		lic, err := s.License(ctx, req.LicenseID)
		if errors.Is(err, ErrNotFound) {
			return nil, ErrUnknownLicense
		}
		if err != nil {
			return nil, err
		}
		plan.License = lic
	}
	var err error
	if plan.Users, err = s.UsersByID(ctx, req.UserIDs); err != nil {
		return nil, err
	}
	for _, u := range people {
		fwd, err := s.bulkStopsForwarding(ctx, req, u)
		if err != nil {
			return nil, err
		}
		if fwd != "" {
			plan.Affected = append(plan.Affected, BulkConsequence{Name: u.DisplayName, ForwardingTo: fwd})
		}
	}
	return plan, nil
}

// bulkStopsForwarding returns where the person's mail is forwarded when the action
// stops it: blocking and deleting do, and removing their last mailbox license.
func (s *Store) bulkStopsForwarding(ctx context.Context, req BulkRequest, u *UserDetail) (string, error) {
	switch req.Action {
	case BulkBlock, BulkDelete:
		if m := u.Mailbox; m != nil && m.ForwardingAddress != "" && m.ForwardingStopped == "" {
			return m.ForwardingAddress, nil
		}
	case BulkRemoveLicense:
		c, err := s.LicenseChangeConsequences(ctx, u.ID, withoutLicense(u.Licenses, req.LicenseID))
		if err != nil {
			return "", err
		}
		return c.ForwardingTo, nil
	}
	return "", nil
}

// BulkResult says what a bulk action did: the people it changed, and those it left
// as they were because there was nothing to change (already blocked, already
// licensed...), by name.
type BulkResult struct {
	Changed   []string
	Unchanged []string
}

// Bulk applies one action to the selected people in one transaction: the admin's
// rights on every person, the seats and every other rule are checked inside it, and
// either every person is changed or nobody is. The confirmation was shown before.
func (s *Store) Bulk(ctx context.Context, actor *Admin, req BulkRequest) (*BulkResult, error) {
	pc := req.Action.change()
	if !actor.Can(pc.action) {
		return nil, ErrForbidden
	}
	if req.Action == BulkDelete {
		defer s.forget()
	}
	var res BulkResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		res = BulkResult{}
		a, err := currentActor(tx, actor)
		if err != nil {
			return err
		}
		people := make([]*User, 0, len(req.UserIDs))
		for _, id := range req.UserIDs {
			u, err := checkPersonAs(tx, a, pc, id)
			if err != nil {
				return err
			}
			if req.Action == BulkDelete && u.ID == actor.UserID {
				return Invalid("", "user.error.delete_self", nil)
			}
			people = append(people, u)
		}
		for i, u := range people {
			changed, err := s.bulkChange(tx, actor, req, u)
			if err != nil {
				return err
			}
			if err := stepDone(ctx, i+1, len(people)); err != nil {
				return err
			}
			if changed {
				res.Changed = append(res.Changed, u.Recipient.DisplayName)
			} else {
				res.Unchanged = append(res.Unchanged, u.Recipient.DisplayName)
			}
		}
		// A job marks itself done in the same transaction.
		return commitJob(ctx, tx, len(res.Changed), len(res.Unchanged))
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// bulkChange makes the action's change to one person inside the bulk transaction
// and reports whether there was anything to change.
func (s *Store) bulkChange(tx *gorm.DB, actor *Admin, req BulkRequest, u *User) (bool, error) {
	switch req.Action {
	case BulkBlock, BulkUnblock:
		return s.setSignInBlocked(tx, actor, u, req.Action == BulkBlock, true)
	case BulkAssignLicense, BulkRemoveLicense:
		has := slices.ContainsFunc(u.Licenses, func(l LicenseProduct) bool { return l.ID == req.LicenseID })
		if has == (req.Action == BulkAssignLicense) {
			return false, nil
		}
		ids := withoutLicense(u.Licenses, req.LicenseID)
		if req.Action == BulkAssignLicense {
			ids = append(ids, req.LicenseID)
		}
		return true, s.setLicenses(tx, actor, u, sortedSet(ids), true)
	case BulkDelete:
		return true, s.deleteUser(tx, actor, u)
	}
	return false, ErrForbidden
}

// withoutLicense lists the ids of the products other than one.
func withoutLicense(ls []LicenseProduct, id uint) []uint {
	var out []uint
	for _, l := range ls {
		if l.ID != id {
			out = append(out, l.ID)
		}
	}
	return out
}
