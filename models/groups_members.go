package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// A group's owners and members: adding and removing them (set operations, all or
// nothing), the pickers' candidates, and the groups a recipient belongs to.

// GroupOwner makes a person an owner of a group. Owners manage the group; in
// Exchange terms they are the group's ManagedBy.
type GroupOwner struct {
	GroupID uint      `gorm:"primaryKey"`
	OwnerID uint      `gorm:"primaryKey;index"`
	Group   Group     `gorm:"constraint:OnDelete:CASCADE"`
	Owner   Recipient `gorm:"foreignKey:OwnerID;constraint:OnDelete:CASCADE"`
}

// GroupChange is what adding owners or members did: the recipients of the request
// in name order, and how many of them are new.
type GroupChange struct {
	Names []string
	Added int
}

// checkedRecipients loads the recipients of a request in name order, each checked
// by check; the first violation refuses the whole request on field.
func (s *Store) checkedRecipients(tx *gorm.DB, ids []uint, field string, check func(trusteeRow, uint) *FieldError) ([]trusteeRow, error) {
	if len(ids) == 0 {
		return nil, Invalid(field, "group.error.none_selected", nil)
	}
	rows, err := s.trustees(tx, ids)
	if err != nil {
		return nil, err
	}
	live, err := liveUsers(tx, ids)
	if err != nil {
		return nil, err
	}
	var out []trusteeRow
	for _, id := range ids {
		t := rows[id]
		if t.Kind == KindUser && !live[id] {
			t = trusteeRow{} // deleted people can't be added
		}
		if fe := check(t, id); fe != nil {
			return nil, Invalid(field, fe.Key, fe.Args)
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b trusteeRow) int { return cmp.Or(cmp.Compare(a.SortName, b.SortName), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// addOwners makes people owners of a group inside the caller's transaction; those
// who already are stay. It returns the owners' addresses for the audit log.
func (s *Store) addOwners(tx *gorm.DB, g *Group, ids []uint) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.checkedRecipients(tx, ids, "owners", checkOwner)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, t := range rows {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&GroupOwner{GroupID: g.ID, OwnerID: t.ID}).Error; err != nil {
			return nil, fmt.Errorf("add owner: %w", err)
		}
		names = append(names, t.Address)
	}
	return names, nil
}

// addMembers adds members to a group inside the caller's transaction: every one must
// be allowed in a group of its type, and a nested group must not contain the group
// already (directly or further down), which would make a loop. It returns the
// members' addresses (or names) for the audit log.
func (s *Store) addMembers(tx *gorm.DB, g *Group, groupRecipient uint, ids []uint) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.checkedRecipients(tx, ids, "members", func(t trusteeRow, id uint) *FieldError {
		return checkMember(g.Type, groupRecipient, t, id)
	})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, t := range rows {
		if t.Kind == KindGroup {
			loop, err := contains(tx, t.ID, groupRecipient)
			if err != nil {
				return nil, err
			}
			if loop {
				var parent Recipient
				if err := tx.Select("display_name").First(&parent, groupRecipient).Error; err != nil {
					return nil, notFound(err, "group")
				}
				return nil, Invalid("members", "group.error.cycle", map[string]any{"Name": t.DisplayName, "Group": parent.DisplayName})
			}
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&GroupMember{GroupID: g.ID, MemberID: t.ID})
		if res.Error != nil {
			return nil, fmt.Errorf("add member: %w", res.Error)
		}
		names = append(names, cmp.Or(t.Address, t.DisplayName))
	}
	return names, nil
}

// contains reports whether the group with recipient id outer holds the recipient
// inner as a member, directly or through nested groups (or is it).
func contains(tx *gorm.DB, outer, inner uint) (bool, error) {
	if outer == inner {
		return true, nil
	}
	var hits []uint
	err := tx.Raw(`
WITH RECURSIVE d(rid) AS (
	SELECT CAST(? AS BIGINT)
	UNION
	SELECT gm.member_id FROM d JOIN groups g ON g.recipient_id = d.rid JOIN group_members gm ON gm.group_id = g.id
)
SELECT rid FROM d WHERE rid = ? LIMIT 1`, outer, inner).Scan(&hits).Error
	if err != nil {
		return false, fmt.Errorf("check nested groups: %w", err)
	}
	return len(hits) > 0, nil
}

// memberAudit is what the audit log records of a membership change.
type memberAudit struct {
	Group  string   `json:"group"`
	Role   string   `json:"role"`
	Names  []string `json:"names"`
	Type   string   `json:"type,omitempty"`
	Reason string   `json:"reason,omitempty"`
}

// AddGroupMembers adds people, mail contacts (distribution groups) or groups (where
// the type allows nesting) to a group. It is a set operation: who already is a
// member stays, so two admins adding different people at once both succeed. Either
// every new member is allowed and added, or nothing changes.
func (s *Store) AddGroupMembers(ctx context.Context, actor *Admin, groupID uint, memberIDs []uint) (*GroupChange, error) {
	var res *GroupChange
	err := s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		var err error
		res, err = s.addMembersIn(tx, actor, g, memberIDs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// addMembersIn is AddGroupMembers inside the caller's transaction.
func (s *Store) addMembersIn(tx *gorm.DB, actor *Admin, g *groupRow, memberIDs []uint) (*GroupChange, error) {
	ids := uniqueIDs(memberIDs)
	res := &GroupChange{}
	if len(ids) == 0 {
		return nil, Invalid("members", "group.error.none_selected", nil)
	}
	var before int64
	if err := tx.Model(&GroupMember{}).Where("group_id = ? AND member_id IN ?", g.ID, ids).Count(&before).Error; err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	names, err := s.addMembers(tx, &g.Group, g.RecipientID, ids)
	if err != nil {
		return nil, err
	}
	res.Names, res.Added = names, len(ids)-int(before)
	if res.Added == 0 {
		return res, nil
	}
	return res, s.audit(tx, actor, "group.member_add", &g.RecipientID, g.target(), nil, memberAudit{Group: g.target(), Role: "member", Names: names})
}

// RemoveGroupMember takes a member out of a group. Removing someone who isn't a
// member is a no-op.
func (s *Store) RemoveGroupMember(ctx context.Context, actor *Admin, groupID, memberID uint) error {
	return s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		return s.removeMemberIn(tx, actor, g, memberID)
	})
}

// removeMemberIn is RemoveGroupMember inside the caller's transaction.
func (s *Store) removeMemberIn(tx *gorm.DB, actor *Admin, g *groupRow, memberID uint) error {
	res := tx.Where("group_id = ? AND member_id = ?", g.ID, memberID).Delete(&GroupMember{})
	if res.Error != nil {
		return fmt.Errorf("remove member: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	name, err := recipientName(tx, memberID)
	if err != nil {
		return err
	}
	return s.audit(tx, actor, "group.member_remove", &g.RecipientID, g.target(), memberAudit{Group: g.target(), Role: "member", Names: []string{name}}, nil)
}

// AddGroupOwners makes people owners of a group, as a set operation, all or nothing.
func (s *Store) AddGroupOwners(ctx context.Context, actor *Admin, groupID uint, ownerIDs []uint) (*GroupChange, error) {
	var res *GroupChange
	err := s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		var err error
		res, err = s.addOwnersIn(tx, actor, g, ownerIDs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// addOwnersIn is AddGroupOwners inside the caller's transaction.
func (s *Store) addOwnersIn(tx *gorm.DB, actor *Admin, g *groupRow, ownerIDs []uint) (*GroupChange, error) {
	ids := uniqueIDs(ownerIDs)
	res := &GroupChange{}
	if len(ids) == 0 {
		return nil, Invalid("owners", "group.error.none_selected", nil)
	}
	var before int64
	if err := tx.Model(&GroupOwner{}).Where("group_id = ? AND owner_id IN ?", g.ID, ids).Count(&before).Error; err != nil {
		return nil, fmt.Errorf("count owners: %w", err)
	}
	names, err := s.addOwners(tx, &g.Group, ids)
	if err != nil {
		return nil, err
	}
	res.Names, res.Added = names, len(ids)-int(before)
	if res.Added == 0 {
		return res, nil
	}
	return res, s.audit(tx, actor, "group.owner_add", &g.RecipientID, g.target(), nil, memberAudit{Group: g.target(), Role: "owner", Names: names})
}

// RemoveGroupOwner takes an owner away; a Microsoft 365 group, distribution list or
// mail-enabled security group keeps its last owner (people deleted within the last
// 30 days don't count).
func (s *Store) RemoveGroupOwner(ctx context.Context, actor *Admin, groupID, ownerID uint) error {
	return s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		return s.removeOwnerIn(tx, actor, g, ownerID)
	})
}

// removeOwnerIn is RemoveGroupOwner inside the caller's transaction.
func (s *Store) removeOwnerIn(tx *gorm.DB, actor *Admin, g *groupRow, ownerID uint) error {
	var n int64
	if err := tx.Model(&GroupOwner{}).Where("group_id = ? AND owner_id = ?", g.ID, ownerID).Count(&n).Error; err != nil {
		return fmt.Errorf("check owner: %w", err)
	}
	if n == 0 {
		return nil
	}
	if g.Type.OwnersRequired() {
		var others int64
		if err := tx.Table("group_owners o").Joins("JOIN users u ON u.recipient_id = o.owner_id AND u.deleted_at IS NULL").
			Where("o.group_id = ? AND o.owner_id <> ?", g.ID, ownerID).Count(&others).Error; err != nil {
			return fmt.Errorf("count owners: %w", err)
		}
		if others == 0 {
			return Invalid("owners", "group.error.last_owner", map[string]any{"Name": g.DisplayName})
		}
	}
	if err := tx.Where("group_id = ? AND owner_id = ?", g.ID, ownerID).Delete(&GroupOwner{}).Error; err != nil {
		return fmt.Errorf("remove owner: %w", err)
	}
	name, err := recipientName(tx, ownerID)
	if err != nil {
		return err
	}
	return s.audit(tx, actor, "group.owner_remove", &g.RecipientID, g.target(), memberAudit{Group: g.target(), Role: "owner", Names: []string{name}}, nil)
}

// recipientName is a recipient's primary address, or its name when it has none.
func recipientName(tx *gorm.DB, id uint) (string, error) {
	var r Recipient
	if err := tx.Preload("Addresses", "is_primary = ?", true).First(&r, id).Error; err != nil {
		return "", notFound(err, "recipient")
	}
	if len(r.Addresses) > 0 {
		return r.Addresses[0].Address, nil
	}
	return r.DisplayName, nil
}

// pick lists recipients for a picker: the condition who (with its args), filtered by
// a prefix search, in name order, bounded by PickerLimit.
func (s *Store) pick(ctx context.Context, search string, who string, args ...any) ([]Candidate, error) {
	q := s.db.WithContext(ctx).Table("recipients r").Select(candidateSelect).
		Joins("LEFT JOIN groups g ON g.recipient_id = r.id").Where(who, args...)
	if term := normalizeSearch(search); term != "" {
		q = matchRecipients(q, term)
	}
	var out []Candidate
	if err := q.Order("r.sort_name, r.id").Limit(PickerLimit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list candidates: %w", err)
	}
	return out, nil
}

// PeopleCandidates lists the people of the organization for a picker that has no
// group yet (Add a group's owners), leaving out those already chosen.
func (s *Store) PeopleCandidates(ctx context.Context, search string, chosen []uint) ([]Candidate, error) {
	return s.pick(ctx, search, "("+liveUser+") AND r.id NOT IN ?", KindUser, append(uniqueIDs(chosen), 0))
}

// GroupOwnerCandidates lists the people who may become owners of a group and are not yet.
func (s *Store) GroupOwnerCandidates(ctx context.Context, groupID uint, search string) ([]Candidate, error) {
	g, err := loadGroup(s.db.WithContext(ctx), groupID)
	if err != nil {
		return nil, err
	}
	return s.pick(ctx, search, "("+liveUser+") AND NOT EXISTS (SELECT 1 FROM group_owners o WHERE o.group_id = ? AND o.owner_id = r.id)",
		KindUser, g.ID)
}

// GroupMemberCandidates lists who may become a member of a group and is not yet:
// people; mail contacts for distribution groups; groups of the nestable types,
// other than the group itself.
func (s *Store) GroupMemberCandidates(ctx context.Context, groupID uint, search string) ([]Candidate, error) {
	g, err := loadGroup(s.db.WithContext(ctx), groupID)
	if err != nil {
		return nil, err
	}
	who := "((" + liveUser + ")"
	args := []any{KindUser}
	if g.Type.AllowsContacts() {
		who += " OR r.kind = ?"
		args = append(args, KindContact)
	}
	if nest := g.Type.NestableTypes(); len(nest) > 0 {
		who += " OR (r.kind = ? AND g.type IN ?)"
		args = append(args, KindGroup, nest)
	}
	who += ") AND r.id <> ? AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = ? AND m.member_id = r.id)"
	args = append(args, g.RecipientID, g.ID)
	return s.pick(ctx, search, who, args...)
}

// Membership is a group a recipient belongs to, directly or through the group Via.
type Membership struct {
	GroupRef
	ViaID   uint
	ViaName string
}

// Direct reports whether the recipient is a member of the group itself.
func (m Membership) Direct() bool { return m.ViaID == 0 }

// GroupsOf lists every group a recipient is a member of, directly or through nested
// groups (each once, by the shortest way), in name order. Access held by any of
// them is the recipient's access.
func (s *Store) GroupsOf(ctx context.Context, recipientID uint) ([]Membership, error) {
	db := s.db.WithContext(ctx)
	e, err := expandGroups(db, recipientID)
	if err != nil {
		return nil, err
	}
	return e.memberships(db)
}

// maxNesting is how deep GroupsOf follows nested groups (the 32 in memberGroupsCTE).
const maxNesting = 32

// groupExpansion is the groups a recipient is in, each with the group it is in
// them through (0: directly), in the order of the shortest way.
type groupExpansion struct {
	via  map[uint]uint
	rids []uint
	// whole is false when the depth limit cut the expansion short, so there may
	// be groups further up than those in via.
	whole bool
}

// memberGroupsCTE is m: the groups a recipient (the parameter) is in, nested ones
// too, to maxNesting levels: each group's recipient, the group it is reached
// through at the top (zero when the recipient is in it directly), and the depth.
const memberGroupsCTE = `
WITH RECURSIVE m(group_rid, via_rid, depth) AS (
	SELECT g.recipient_id, CAST(0 AS BIGINT), 1 FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.member_id = ?
	UNION
	SELECT g.recipient_id, CASE WHEN m.via_rid = 0 THEN m.group_rid ELSE m.via_rid END, m.depth + 1
	FROM m JOIN group_members gm ON gm.member_id = m.group_rid JOIN groups g ON g.id = gm.group_id
	WHERE m.depth < 32
)
`

// expandGroups follows a recipient's memberships up through nested groups, to
// maxNesting levels.
func expandGroups(db *gorm.DB, recipientID uint) (*groupExpansion, error) {
	// Every Mail tab shows them: scanned without reflection.
	rows, err := db.Raw(memberGroupsCTE+`SELECT group_rid, via_rid, depth FROM m ORDER BY depth`, recipientID).Rows()
	if err != nil {
		return nil, fmt.Errorf("list groups of a recipient: %w", err)
	}
	e := &groupExpansion{via: map[uint]uint{}, whole: true}
	err = scanEach(rows, func() error {
		var group, v uint
		var depth int64
		if err := rows.Scan(asUint(&group), asUint(&v), &depth); err != nil {
			return err
		}
		if depth >= maxNesting {
			e.whole = false
		}
		if _, seen := e.via[group]; !seen {
			e.via[group] = v
			e.rids = append(e.rids, group, v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list groups of a recipient: %w", err)
	}
	return e, nil
}

// memberships reads the expanded groups' names and addresses, in name order.
func (e *groupExpansion) memberships(db *gorm.DB) ([]Membership, error) {
	if len(e.via) == 0 {
		return nil, nil
	}
	rows, err := db.Raw(`SELECT g.id, g.recipient_id, r.display_name, g.type,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = g.recipient_id AND e.is_primary), '') AS address
		FROM groups g JOIN recipients r ON r.id = g.recipient_id WHERE g.recipient_id IN ? ORDER BY r.sort_name, g.id`, sortedSet(e.rids)).Rows()
	if err != nil {
		return nil, fmt.Errorf("list groups of a recipient: %w", err)
	}
	var refs []GroupRef
	err = scanEach(rows, func() error {
		var r GroupRef
		if err := rows.Scan(asUint(&r.ID), asUint(&r.RecipientID), &r.DisplayName, &r.Type, &r.Address); err != nil {
			return err
		}
		refs = append(refs, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list groups of a recipient: %w", err)
	}
	return e.membershipsOf(refs), nil
}

// membershipsOf makes the memberships from the expanded groups' details (refs, in
// name order): each group with the group it is in it through.
func (e *groupExpansion) membershipsOf(refs []GroupRef) []Membership {
	names := map[uint]string{}
	for _, r := range refs {
		names[r.RecipientID] = r.DisplayName
	}
	var out []Membership
	for _, r := range refs {
		v, ok := e.via[r.RecipientID]
		if !ok {
			continue
		}
		out = append(out, Membership{GroupRef: r, ViaID: v, ViaName: names[v]})
	}
	return out
}
