package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// GroupEdit is every change Set-DistributionGroup makes to a group at once: a
// field left nil stays as it is.
type GroupEdit struct {
	Name                 *string
	AllowExternalSenders *bool
	HiddenFromGAL        *bool
	Lists                GroupStagedChange
}

// EditGroup applies a group's new name, delivery settings and staged lists
// (owners, members, Group delegation) in one transaction, all or nothing, with
// the same checks and audit entries as each single change. It returns how many
// things changed; a value already set changes nothing.
func (s *Store) EditGroup(ctx context.Context, actor *Admin, groupID uint, e GroupEdit) (int, error) {
	var name string
	if e.Name != nil {
		name = strings.TrimSpace(*e.Name)
	}
	if e.Lists.delegation() && !actor.Can(ActionManagePermissions) {
		return 0, ErrForbidden
	}
	changed := 0
	err := s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		changed = 0
		version := g.Version
		if e.Name != nil && name != g.DisplayName {
			if err := checkGroupBasics(name, g.Description); err != nil {
				return err
			}
			if err := s.renameGroupIn(tx, actor, g, name, g.Description, version); err != nil {
				return err
			}
			version++
			changed++
			g.DisplayName = name
		}
		set := GroupSettings{AllowExternalSenders: g.AllowExternalSenders, HiddenFromGAL: g.HiddenFromGAL, Version: version}
		if e.AllowExternalSenders != nil {
			set.AllowExternalSenders = *e.AllowExternalSenders
		}
		if e.HiddenFromGAL != nil {
			set.HiddenFromGAL = *e.HiddenFromGAL
		}
		if set.AllowExternalSenders != g.AllowExternalSenders || set.HiddenFromGAL != g.HiddenFromGAL {
			if err := s.setGroupSettingsIn(tx, actor, g, set); err != nil {
				return err
			}
			changed++
		}
		return s.applyStaged(tx, actor, g, e.Lists, &changed)
	})
	return changed, err
}
