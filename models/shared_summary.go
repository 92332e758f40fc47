package models

import (
	"context"
	"fmt"
)

// Storage is the state of a listed shared mailbox's storage, for the list's badge.
func (r SharedMailboxRow) Storage() StorageState {
	return StorageStateOf(r.StorageUsedBytes, r.QuotaBytes)
}

// HolderCount is how many people and how many groups hold a right themselves.
type HolderCount struct {
	People int
	Groups int
}

// holderCounts counts the direct holders of each right, people and groups apart.
func holderCounts(acc *MailboxAccess) map[Right]HolderCount {
	out := map[Right]HolderCount{}
	for _, r := range Rights {
		var c HolderCount
		for _, h := range acc.Direct(r) {
			if h.Kind == KindGroup {
				c.Groups++
			} else {
				c.People++
			}
		}
		out[r] = c
	}
	return out
}

// sharedMemberCounts counts each mailbox's members as its pane lists them: people
// given both Read and manage and Send as themselves, whose grants still hold.
func (s *Store) sharedMemberCounts(ctx context.Context, mailboxIDs []uint) (map[uint]int, error) {
	var counts []struct {
		MailboxID uint
		N         int
	}
	now := s.Now()
	err := s.db.WithContext(ctx).Raw(`
SELECT p.mailbox_id, COUNT(DISTINCT p.trustee_id) AS n
FROM mailbox_permissions p
JOIN recipients r ON r.id = p.trustee_id AND r.kind = ?
JOIN mailbox_permissions sa ON sa.mailbox_id = p.mailbox_id AND sa.trustee_id = p.trustee_id AND sa.access_right = ?
	AND (sa.revoke_effective_at IS NULL OR sa.revoke_effective_at > ?)
WHERE p.mailbox_id IN ? AND p.access_right = ? AND `+live+`
GROUP BY p.mailbox_id`, KindUser, RightSendAs, now, mailboxIDs, RightFullAccess, now).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	out := make(map[uint]int, len(counts))
	for _, c := range counts {
		out[c.MailboxID] = c.N
	}
	return out, nil
}
