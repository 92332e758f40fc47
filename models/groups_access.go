package models

import (
	"context"
	"fmt"
	"slices"
)

// GroupAccess is a group that holds rights on a mailbox itself, so its members do.
type GroupAccess struct {
	GroupRef
	Rights  []Right
	Members int
}

// GroupsWithAccess lists the groups that hold rights on a mailbox (grants not yet
// removed), in name order, with the rights each holds and its member count.
func (s *Store) GroupsWithAccess(ctx context.Context, mailboxID uint) ([]GroupAccess, error) {
	db := s.db.WithContext(ctx)
	var rows []struct {
		GroupRef
		Right Right
	}
	err := db.Table("mailbox_permissions p").Select(`g.id, g.recipient_id, r.display_name, g.type, p.access_right AS "right",
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = g.recipient_id AND e.is_primary), '') AS address`).
		Joins("JOIN groups g ON g.recipient_id = p.trustee_id").Joins("JOIN recipients r ON r.id = g.recipient_id").
		Where("p.mailbox_id = ? AND "+live, mailboxID, s.Now()).Order("r.sort_name, g.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list groups with access: %w", err)
	}
	var out []GroupAccess
	var ids []uint
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].ID == r.ID {
			out[n-1].Rights = append(out[n-1].Rights, r.Right)
			continue
		}
		out = append(out, GroupAccess{GroupRef: r.GroupRef, Rights: []Right{r.Right}})
		ids = append(ids, r.ID)
	}
	if len(out) == 0 {
		return nil, nil
	}
	counts, err := countByGroup(db, "group_members", ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Members = counts[out[i].ID]
		slices.SortFunc(out[i].Rights, func(a, b Right) int { return slices.Index(Rights, a) - slices.Index(Rights, b) })
	}
	return out, nil
}
