package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A group after it is made: what its pane reads, and the changes to its name,
// settings and addresses (members and owners are in groups_members.go).

// GroupDetail is everything a group's pane shows.
type GroupDetail struct {
	ID                   uint
	RecipientID          uint
	Type                 GroupType
	DisplayName          string
	Description          string
	Address              string
	Aliases              []string
	AllowExternalSenders bool
	HiddenFromGAL        bool
	Version              int
	CreatedAt            time.Time
	Owners               []Candidate
	Members              []Candidate
	// MemberOf are the groups this group is a direct member of.
	MemberOf []GroupRef
}

// GroupRef names a group for a link to its pane.
type GroupRef struct {
	ID          uint
	RecipientID uint
	DisplayName string
	Address     string
	Type        GroupType
}

// groupRow is a group as the changes load it.
type groupRow struct {
	Group
	DisplayName string
	Address     string
}

// loadGroup reads a group with its name and primary address.
func loadGroup(db *gorm.DB, id uint) (*groupRow, error) {
	var g groupRow
	res := db.Table("groups g").Select(`g.*, r.display_name,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = g.recipient_id AND e.is_primary), '') AS address`).
		Joins("JOIN recipients r ON r.id = g.recipient_id").Where("g.id = ?", id).Limit(1).Scan(&g)
	if res.Error != nil {
		return nil, fmt.Errorf("load group: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return &g, nil
}

// target is how the audit log names the group.
func (g *groupRow) target() string {
	if g.Address != "" {
		return g.Address
	}
	return g.DisplayName
}

// GroupDetail loads a group for its pane: owners and members in name order (people
// deleted within the last 30 days are left out), and the groups it belongs to.
func (s *Store) GroupDetail(ctx context.Context, id uint) (*GroupDetail, error) {
	db := s.db.WithContext(ctx)
	g, err := loadGroup(db, id)
	if err != nil {
		return nil, err
	}
	d := &GroupDetail{ID: g.ID, RecipientID: g.RecipientID, Type: g.Type, DisplayName: g.DisplayName, Description: g.Description,
		Address: g.Address, AllowExternalSenders: g.AllowExternalSenders, HiddenFromGAL: g.HiddenFromGAL, Version: g.Version, CreatedAt: g.CreatedAt}
	if err := db.Model(&EmailAddress{}).Where("recipient_id = ? AND NOT is_primary", g.RecipientID).Order("normalized").
		Pluck("address", &d.Aliases).Error; err != nil {
		return nil, fmt.Errorf("load group addresses: %w", err)
	}
	if d.Owners, err = s.groupPeople(db, "group_owners", "owner_id", g.ID); err != nil {
		return nil, err
	}
	if d.Members, err = s.groupPeople(db, "group_members", "member_id", g.ID); err != nil {
		return nil, err
	}
	if d.MemberOf, err = parentGroups(db, g.RecipientID); err != nil {
		return nil, err
	}
	return d, nil
}

// groupPeople lists the recipients a group links to in a table (owners or members),
// in name order, without people deleted but still restorable.
func (s *Store) groupPeople(db *gorm.DB, table, column string, groupID uint) ([]Candidate, error) {
	var out []Candidate
	err := db.Table("recipients r").Select(candidateSelect).
		Joins("LEFT JOIN groups g ON g.recipient_id = r.id").
		Where("r.id IN (SELECT "+column+" FROM "+table+" WHERE group_id = ?)", groupID).
		Where("r.kind <> ? OR EXISTS (SELECT 1 FROM users u WHERE u.recipient_id = r.id AND u.deleted_at IS NULL)", KindUser).
		Order("r.sort_name, r.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load group %s: %w", table, err)
	}
	return out, nil
}

// parentGroups lists the groups a recipient is a direct member of, in name order.
func parentGroups(db *gorm.DB, recipientID uint) ([]GroupRef, error) {
	var out []GroupRef
	err := db.Table("group_members gm").Select(`g.id, g.recipient_id, r.display_name, g.type,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = g.recipient_id AND e.is_primary), '') AS address`).
		Joins("JOIN groups g ON g.id = gm.group_id").Joins("JOIN recipients r ON r.id = g.recipient_id").
		Where("gm.member_id = ?", recipientID).Order("r.sort_name, g.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load parent groups: %w", err)
	}
	return out, nil
}

// GroupIDOfRecipient returns the group whose recipient id is given; ErrNotFound for
// any other recipient.
func (s *Store) GroupIDOfRecipient(ctx context.Context, recipientID uint) (uint, error) {
	var g Group
	if err := s.db.WithContext(ctx).Select("id").Where("recipient_id = ?", recipientID).First(&g).Error; err != nil {
		return 0, notFound(err, "group")
	}
	return g.ID, nil
}

// GroupIDsOfRecipients maps the recipient ids that are groups to their group ids.
func (s *Store) GroupIDsOfRecipients(ctx context.Context, recipientIDs []uint) (map[uint]uint, error) {
	out := map[uint]uint{}
	if len(recipientIDs) == 0 {
		return out, nil
	}
	var gs []Group
	if err := s.db.WithContext(ctx).Select("id, recipient_id").Where("recipient_id IN ?", recipientIDs).Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("load groups: %w", err)
	}
	for _, g := range gs {
		out[g.RecipientID] = g.ID
	}
	return out, nil
}

// changeGroup runs one change to a group: in one write transaction the group is
// loaded, the admin's right to change groups of its type is checked, and change
// writes.
func (s *Store) changeGroup(ctx context.Context, actor *Admin, groupID uint, change func(*gorm.DB, *groupRow) error) error {
	if !CanCreateGroups(actor) {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		g, err := loadGroup(tx, groupID)
		if err != nil {
			return err
		}
		if !CanManageGroup(actor, g.Type) {
			return ErrForbidden
		}
		return change(tx, g)
	})
}

// bumpGroup moves a group's version on when the form was based on version; a form
// based on another version is stale.
func bumpGroup(tx *gorm.DB, g *groupRow, version int, fields map[string]any) error {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["version"] = gorm.Expr("version + 1")
	res := tx.Model(&Group{}).Where("id = ? AND version = ?", g.ID, version).Updates(fields)
	if res.Error != nil {
		return fmt.Errorf("change group: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	return nil
}

// UpdateGroupBasics changes a group's name and description; a form based on an
// older version is refused. The type never changes.
func (s *Store) UpdateGroupBasics(ctx context.Context, actor *Admin, groupID uint, name, description string, version int) error {
	name, description = strings.TrimSpace(name), strings.TrimSpace(description)
	if err := checkGroupBasics(name, description); err != nil {
		if !CanCreateGroups(actor) {
			return ErrForbidden
		}
		return err
	}
	return s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		return s.renameGroupIn(tx, actor, g, name, description, version)
	})
}

// checkGroupBasics checks a group's new name and description.
func checkGroupBasics(name, description string) error {
	ve := &ValidationError{}
	checkName(ve, "name", name, "group.error.name_required")
	checkText(ve, "description", description, true)
	if len(description) > MaxDescriptionLength {
		ve.Add("description", "user.error.too_long", map[string]any{"Max": MaxDescriptionLength})
	}
	return ve.OrNil()
}

// renameGroupIn is UpdateGroupBasics inside the caller's transaction, on checked
// values.
func (s *Store) renameGroupIn(tx *gorm.DB, actor *Admin, g *groupRow, name, description string, version int) error {
	if err := bumpGroup(tx, g, version, map[string]any{"description": description, "sort_name": sortName(name)}); err != nil {
		return err
	}
	if err := renameRecipient(tx, g.RecipientID, "name", name); err != nil {
		return err
	}
	return s.audit(tx, actor, "group.update", &g.RecipientID, g.target(),
		map[string]any{"name": g.DisplayName, "description": g.Description}, map[string]any{"name": name, "description": description})
}

// GroupSettings are a mail-enabled group's delivery settings.
type GroupSettings struct {
	// AllowExternalSenders is "Allow people outside of my organization to send
	// email to this group".
	AllowExternalSenders bool
	HiddenFromGAL        bool
	Version              int
}

// SetGroupSettings saves a mail-enabled group's settings; a security group has none.
func (s *Store) SetGroupSettings(ctx context.Context, actor *Admin, groupID uint, set GroupSettings) error {
	return s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		return s.setGroupSettingsIn(tx, actor, g, set)
	})
}

// setGroupSettingsIn is SetGroupSettings inside the caller's transaction.
func (s *Store) setGroupSettingsIn(tx *gorm.DB, actor *Admin, g *groupRow, set GroupSettings) error {
	if !g.Type.MailEnabled() {
		return Invalid("", "group.error.not_mail_enabled", map[string]any{"Name": g.DisplayName})
	}
	if err := bumpGroup(tx, g, set.Version, map[string]any{"allow_external_senders": set.AllowExternalSenders,
		"hidden_from_gal": set.HiddenFromGAL}); err != nil {
		return err
	}
	return s.audit(tx, actor, "group.settings", &g.RecipientID, g.target(),
		map[string]any{"allow_external_senders": g.AllowExternalSenders, "hidden_from_gal": g.HiddenFromGAL},
		map[string]any{"allow_external_senders": set.AllowExternalSenders, "hidden_from_gal": set.HiddenFromGAL})
}

// AddGroupAlias gives a mail-enabled group another address, checked like every
// address (the proxy-address message when taken).
func (s *Store) AddGroupAlias(ctx context.Context, actor *Admin, groupID uint, alias, domain string) error {
	if !CanCreateGroups(actor) {
		return ErrForbidden
	}
	addr, err := s.freeAddress(ctx, alias, domain)
	if err != nil {
		return err
	}
	return s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		if !g.Type.MailEnabled() {
			return Invalid("alias", "group.error.not_mail_enabled", map[string]any{"Name": g.DisplayName})
		}
		return s.addAddress(ctx, tx, actor, g.RecipientID, g.target(), addr, "group.alias_add")
	})
}

// RemoveGroupAlias removes a non-primary address of a group.
func (s *Store) RemoveGroupAlias(ctx context.Context, actor *Admin, groupID uint, address string) error {
	return s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		return s.removeAddress(tx, actor, g.RecipientID, g.target(), address, "group.alias_remove")
	})
}

// SetGroupPrimaryAddress makes one of a group's addresses the primary one.
func (s *Store) SetGroupPrimaryAddress(ctx context.Context, actor *Admin, groupID uint, address string) error {
	return s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		return s.setPrimary(tx, actor, g.RecipientID, g.target(), address, "group.primary_address")
	})
}
