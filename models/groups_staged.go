package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// The Exchange admin center's group edit page stages its changes to membership,
// ownership and Group delegation, as Mailbox delegation does, and Save applies
// them together: one write transaction over the same steps as the single changes
// (addMembersIn, removeOwnerIn, grantGroupIn ...), so a refusal anywhere leaves
// the group as it was.

// GroupStagedChange is a group's staged changes: per list ("members", "owners",
// or a right of Group delegation), who is added and who removed.
type GroupStagedChange struct {
	Add    map[string][]uint
	Remove map[string][]uint
}

// GroupStagedLists are the lists a group's edit page stages, in the order Save
// applies them: owners are added before any is removed, so replacing the last
// owner works.
var GroupStagedLists = []string{"owners", "members", string(RightSendAs), string(RightSendOnBehalf)}

// Empty reports whether the change adds and removes no one.
func (c GroupStagedChange) Empty() bool {
	for _, l := range GroupStagedLists {
		if len(c.Add[l]) > 0 || len(c.Remove[l]) > 0 {
			return false
		}
	}
	return true
}

// onList moves a refusal's message to the list it concerns, where the page shows it.
func onList(err error, list string) error {
	ve, ok := AsValidation(err)
	if !ok {
		return err
	}
	fe := ve.First()
	return Invalid(list, fe.Key, fe.Args)
}

// ApplyGroupChanges applies a group's staged changes in one transaction, all or
// nothing: the admin's right to change the group's type (and to change
// permissions, for Group delegation) is checked inside it, and each list's rules
// (who may be a member, an owner or a delegate; the last owner stays; no nesting
// cycle) as the single changes check them. A refusal is a *ValidationError on the
// list's name. It returns how many additions and removals changed something.
func (s *Store) ApplyGroupChanges(ctx context.Context, actor *Admin, groupID uint, c GroupStagedChange) (int, error) {
	if c.Empty() {
		if !CanCreateGroups(actor) {
			return 0, ErrForbidden
		}
		return 0, Invalid("", "eac.error.no_changes", nil)
	}
	if c.delegation() && !actor.Can(ActionManagePermissions) {
		return 0, ErrForbidden
	}
	changed := 0
	err := s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		changed = 0
		return s.applyStaged(tx, actor, g, c, &changed)
	})
	return changed, err
}

// delegation reports whether the change touches Group delegation.
func (c GroupStagedChange) delegation() bool {
	for _, r := range GroupRights {
		if len(c.Add[string(r)]) > 0 || len(c.Remove[string(r)]) > 0 {
			return true
		}
	}
	return false
}

// applyStaged applies every staged list inside the caller's transaction.
func (s *Store) applyStaged(tx *gorm.DB, actor *Admin, g *groupRow, c GroupStagedChange, changed *int) error {
	if c.delegation() && !g.Type.MailEnabled() {
		return Invalid(string(GroupRights[0]), "group.error.delegation_not_mail_enabled", map[string]any{"Name": g.DisplayName})
	}
	for _, list := range GroupStagedLists {
		// Someone both added and removed is left as they are (the staged
		// changes cancel out).
		add, remove := sortedSet(c.Add[list]), sortedSet(c.Remove[list])
		both := func(id uint) bool { return slices.Contains(add, id) && slices.Contains(remove, id) }
		add, remove = slices.DeleteFunc(slices.Clone(add), both), slices.DeleteFunc(slices.Clone(remove), both)
		if err := s.applyGroupList(tx, actor, g, list, add, remove, changed); err != nil {
			return onList(err, list)
		}
	}
	return nil
}

// applyGroupList applies one list's additions, then its removals.
func (s *Store) applyGroupList(tx *gorm.DB, actor *Admin, g *groupRow, list string, add, remove []uint, changed *int) error {
	if len(add) > 0 {
		switch list {
		case "members":
			res, err := s.addMembersIn(tx, actor, g, add)
			if err != nil {
				return err
			}
			*changed += res.Added
		case "owners":
			res, err := s.addOwnersIn(tx, actor, g, add)
			if err != nil {
				return err
			}
			*changed += res.Added
		default:
			res, err := s.grantGroupIn(tx, actor, g, Right(list), add)
			if err != nil {
				return err
			}
			*changed += res.Added
		}
	}
	for _, id := range remove {
		var err error
		switch list {
		case "members":
			err = s.removeMemberIn(tx, actor, g, id)
		case "owners":
			err = s.removeOwnerIn(tx, actor, g, id)
		default:
			err = s.removeGroupPermIn(tx, actor, g, Right(list), id)
		}
		if err != nil {
			return err
		}
		*changed++
	}
	return nil
}
