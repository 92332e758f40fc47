package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Group delegation: Send as and Send on behalf on a mail-enabled group, as the
// Exchange admin center's Groups > Edit > Group delegation and Add-RecipientPermission
// / Set-DistributionGroup -GrantSendOnBehalfTo set them.

// GroupPermission is Send as or Send on behalf on a group held by a trustee (a
// person or a group). The unique index makes a repeated grant a no-op.
type GroupPermission struct {
	ID          uint      `gorm:"primaryKey"`
	GroupID     uint      `gorm:"not null;uniqueIndex:idx_group_perm_unique,priority:1"`
	Group       Group     `gorm:"constraint:OnDelete:CASCADE"`
	TrusteeID   uint      `gorm:"not null;uniqueIndex:idx_group_perm_unique,priority:2;index"`
	Trustee     Recipient `gorm:"foreignKey:TrusteeID;constraint:OnDelete:CASCADE"`
	Right       Right     `gorm:"column:access_right;not null;uniqueIndex:idx_group_perm_unique,priority:3"`
	GrantedByID *uint
	GrantedAt   time.Time `gorm:"not null"`
}

// GroupRights are the rights that can be given on a group.
var GroupRights = []Right{RightSendAs, RightSendOnBehalf}

// checkGroupDelegate applies the rules on who may hold a right on a group: people
// of the organization and the groups Exchange accepts for the right (mail-enabled
// security groups; for Send on behalf also distribution lists); never a mail
// contact, a shared mailbox or the group itself.
func checkGroupDelegate(g *groupRow, right Right, t trusteeRow, found bool) *ValidationError {
	args := map[string]any{"Name": t.DisplayName, "Group": g.DisplayName}
	switch {
	case !found:
		return Invalid("trustee", "perm.error.outside", nil)
	case t.ID == g.RecipientID:
		return Invalid("trustee", "group.error.delegate_self", args)
	case t.Kind == KindContact:
		return Invalid("trustee", "perm.error.contact", args)
	case t.Kind == KindSharedMailbox:
		return Invalid("trustee", "perm.error.not_person", args)
	case t.Kind == KindGroup && !slices.Contains(allowedGroupTypes(right), t.GroupType):
		key := "perm.error.group_type"
		if t.GroupType == GroupDistribution {
			key = "perm.error.distribution_list"
		} else if t.GroupType == GroupSecurity {
			key = "perm.error.not_mail_enabled"
		}
		return Invalid("trustee", key, args)
	case t.Kind == KindUser && t.Address == "":
		return Invalid("trustee", "perm.error.outside", nil)
	}
	return nil
}

// changeGroupDelegation runs a change to who may send as or on behalf of a group:
// the admin must be allowed to change permissions, the right must be one a group
// takes, and the group must be mail-enabled.
func (s *Store) changeGroupDelegation(ctx context.Context, actor *Admin, groupID uint, right Right, change func(*gorm.DB, *groupRow) error) error {
	if !actor.Can(ActionManagePermissions) {
		return ErrForbidden
	}
	if !slices.Contains(GroupRights, right) {
		return Invalid("right", "perm.error.right", nil)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		g, err := loadGroup(tx, groupID)
		if err != nil {
			return err
		}
		if !g.Type.MailEnabled() {
			return Invalid("trustee", "group.error.delegation_not_mail_enabled", map[string]any{"Name": g.DisplayName})
		}
		return change(tx, g)
	})
}

// GrantGroupPermission gives Send as or Send on behalf on a group to trustees: a set
// operation, all or nothing, audited per new grant.
func (s *Store) GrantGroupPermission(ctx context.Context, actor *Admin, groupID uint, right Right, trusteeIDs []uint) (*GrantResult, error) {
	ids := sortedSet(trusteeIDs)
	if len(ids) == 0 {
		if !actor.Can(ActionManagePermissions) {
			return nil, ErrForbidden
		}
		return nil, Invalid("trustee", "perm.error.none_selected", nil)
	}
	var res *GrantResult
	err := s.changeGroupDelegation(ctx, actor, groupID, right, func(tx *gorm.DB, g *groupRow) error {
		var err error
		res, err = s.grantGroupIn(tx, actor, g, right, ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// grantGroupIn is GrantGroupPermission inside the caller's transaction, on a
// mail-enabled group and a right a group takes, checked by the caller.
func (s *Store) grantGroupIn(tx *gorm.DB, actor *Admin, g *groupRow, right Right, ids []uint) (*GrantResult, error) {
	res := &GrantResult{}
	ts, err := s.trustees(tx, ids)
	if err != nil {
		return nil, err
	}
	live, err := liveUsers(tx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		t, ok := ts[id]
		if ok && t.Kind == KindUser && !live[id] {
			ok = false
		}
		if ve := checkGroupDelegate(g, right, t, ok); ve != nil {
			return nil, ve
		}
		res.Trustees = append(res.Trustees, t.candidate())
	}
	slices.SortFunc(res.Trustees, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(ts[a.RecipientID].SortName, ts[b.RecipientID].SortName), cmp.Compare(a.RecipientID, b.RecipientID))
	})
	for _, id := range ids {
		p := GroupPermission{GroupID: g.ID, TrusteeID: id, Right: right, GrantedByID: &actor.UserID, GrantedAt: s.Now()}
		created := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p)
		if created.Error != nil {
			return nil, fmt.Errorf("grant: %w", created.Error)
		}
		if created.RowsAffected == 0 {
			continue
		}
		res.Added++
		if err := s.audit(tx, actor, "group_permission.add", &g.RecipientID, g.target(), nil,
			permAudit{Mailbox: g.target(), Trustee: cmp.Or(ts[id].Address, ts[id].DisplayName), Right: right}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// RemoveGroupPermission takes Send as or Send on behalf on a group away from a
// trustee. Removing what is not held is a no-op.
func (s *Store) RemoveGroupPermission(ctx context.Context, actor *Admin, groupID uint, right Right, trusteeID uint) error {
	return s.changeGroupDelegation(ctx, actor, groupID, right, func(tx *gorm.DB, g *groupRow) error {
		return s.removeGroupPermIn(tx, actor, g, right, trusteeID)
	})
}

// removeGroupPermIn is RemoveGroupPermission inside the caller's transaction.
func (s *Store) removeGroupPermIn(tx *gorm.DB, actor *Admin, g *groupRow, right Right, trusteeID uint) error {
	res := tx.Where("group_id = ? AND trustee_id = ? AND access_right = ?", g.ID, trusteeID, right).Delete(&GroupPermission{})
	if res.Error != nil {
		return fmt.Errorf("remove grant: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	name, err := recipientName(tx, trusteeID)
	if err != nil {
		return err
	}
	return s.audit(tx, actor, "group_permission.remove", &g.RecipientID, g.target(),
		permAudit{Mailbox: g.target(), Trustee: name, Right: right}, nil)
}

// GroupDelegates lists who holds Send as and Send on behalf on a group, in name order.
func (s *Store) GroupDelegates(ctx context.Context, groupID uint) (map[Right][]Candidate, error) {
	var rows []struct {
		Candidate
		Right Right
	}
	err := s.db.WithContext(ctx).Table("group_permissions p").Select(candidateSelect+`, p.access_right AS "right"`).
		Joins("JOIN recipients r ON r.id = p.trustee_id").Joins("LEFT JOIN groups g ON g.recipient_id = r.id").
		Where("p.group_id = ?", groupID).Order("r.sort_name, r.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list group delegates: %w", err)
	}
	out := map[Right][]Candidate{}
	for _, r := range rows {
		out[r.Right] = append(out[r.Right], r.Candidate)
	}
	return out, nil
}

// GroupDelegateCandidates lists the people and groups that may get a right on a
// group and don't hold it yet, filtered by a prefix search.
func (s *Store) GroupDelegateCandidates(ctx context.Context, groupID uint, right Right, search string) ([]Candidate, error) {
	g, err := loadGroup(s.db.WithContext(ctx), groupID)
	if err != nil {
		return nil, err
	}
	return s.pick(ctx, search, "(("+liveUser+") OR (r.kind = ? AND g.type IN ?)) AND r.id <> ?"+
		" AND NOT EXISTS (SELECT 1 FROM group_permissions p WHERE p.group_id = ? AND p.trustee_id = r.id AND p.access_right = ?)",
		KindUser, KindGroup, allowedGroupTypes(right), g.RecipientID, g.ID, right)
}
