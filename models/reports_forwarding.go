package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// The Forwarding report: every mailbox that forwards its mail, where to, whether the
// organization's policy bounces it (5.7.520), the chains and loops forwards make,
// and the forwards that stopped and why.

// ForwardingScope filters the Forwarding report by where mail goes.
type ForwardingScope string

// The scopes of the Forwarding report.
const (
	ForwardAnywhere ForwardingScope = ""
	ForwardInside   ForwardingScope = "internal"
	ForwardOutside  ForwardingScope = "external"
)

// ForwardingState filters the Forwarding report by what happens to the mail.
type ForwardingState string

// The states of a forward.
const (
	ForwardAnyState ForwardingState = ""
	// ForwardActive forwards now (outside ones included, even when they bounce).
	ForwardActive ForwardingState = "active"
	// ForwardBlocked goes outside while the policy blocks it: every copy bounces.
	ForwardBlocked ForwardingState = "blocked"
	// ForwardStopped was set but no longer applies (license removed, sign-in blocked,
	// person deleted).
	ForwardStopped ForwardingState = "stopped"
)

// ForwardingReportQuery filters and pages the Forwarding report.
type ForwardingReportQuery struct {
	// Search matches the start of the mailbox's name or of the forwarding address.
	Search string
	Scope  ForwardingScope
	State  ForwardingState
	After  string
	Size   int
}

// ForwardingReportRow is one mailbox that forwards.
type ForwardingReportRow struct {
	MailboxID      uint
	RecipientID    uint
	MailboxName    string
	MailboxSort    string
	MailboxAddress string
	MailboxType    MailboxType
	OwnerUserID    uint
	Target         string
	// TargetName is the recipient the address belongs to, for an inside address.
	TargetName string
	External   bool
	KeepCopy   bool
	Stopped    string
	// BlockedByPolicy is set for an active forward outside while the policy blocks it.
	BlockedByPolicy bool
	// Chain names the mailboxes mail goes on to when the target forwards again, in
	// order; Loop is set when the chain comes back to this mailbox.
	Chain []string
	Loop  bool

	targetID uint
}

// Active reports whether the forward applies now.
func (r ForwardingReportRow) Active() bool { return r.Stopped == "" }

// ForwardingReport is one page of the Forwarding report.
type ForwardingReport struct {
	Rows   []ForwardingReportRow
	Total  int
	Next   string
	Policy ForwardingPolicy
}

// forwardingReportQuery is the filtered query for q, without paging.
func (s *Store) forwardingReportQuery(db *gorm.DB, q ForwardingReportQuery, policy ForwardingPolicy) *gorm.DB {
	outside := "NOT EXISTS (SELECT 1 FROM domains d WHERE d.name = LOWER(SUBSTR(mb.forwarding_address, INSTR(mb.forwarding_address, '@') + 1)))"
	if s.postgres {
		outside = "NOT EXISTS (SELECT 1 FROM domains d WHERE d.name = LOWER(SPLIT_PART(mb.forwarding_address, '@', 2)))"
	}
	qq := db.Table("mailboxes mb").Joins("JOIN recipients r ON r.id = mb.recipient_id").
		Where("mb.forwarding_address <> ''")
	if v := normalizeSearch(q.Search); v != "" {
		qq = qq.Where(`(r.sort_name LIKE ? ESCAPE '\' OR LOWER(mb.forwarding_address) LIKE ? ESCAPE '\'
			OR mb.recipient_id IN (SELECT e.recipient_id FROM email_addresses e WHERE e.normalized LIKE ? ESCAPE '\'))`,
			likePrefix(v), likePrefix(v), likePrefix(v))
	}
	switch q.Scope {
	case ForwardInside:
		qq = qq.Where("NOT " + outside)
	case ForwardOutside:
		qq = qq.Where(outside)
	}
	switch q.State {
	case ForwardActive:
		qq = qq.Where("mb.forwarding_stopped = ''")
	case ForwardStopped:
		qq = qq.Where("mb.forwarding_stopped <> ''")
	case ForwardBlocked:
		if policy.ExternalForwardingAllowed() {
			qq = qq.Where("1 = 0")
		} else {
			qq = qq.Where("mb.forwarding_stopped = '' AND " + outside)
		}
	}
	return qq.Select(`mb.id AS mailbox_id, mb.recipient_id AS recipient_id, r.display_name AS mailbox_name, r.sort_name AS mailbox_sort,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '') AS mailbox_address,
		mb.type AS mailbox_type, COALESCE((SELECT u.id FROM users u WHERE u.recipient_id = r.id), 0) AS owner_user_id,
		mb.forwarding_address AS target, mb.forward_keep_copy AS keep_copy, mb.forwarding_stopped AS stopped,
		CASE WHEN ` + outside + ` THEN 1 ELSE 0 END AS external`)
}

type forwardingScan struct {
	MailboxID      uint
	RecipientID    uint
	MailboxName    string
	MailboxSort    string
	MailboxAddress string
	MailboxType    MailboxType
	OwnerUserID    uint
	Target         string
	KeepCopy       bool
	Stopped        string
	External       int
}

func (f forwardingScan) row(policy ForwardingPolicy) ForwardingReportRow {
	r := ForwardingReportRow{MailboxID: f.MailboxID, RecipientID: f.RecipientID, MailboxName: f.MailboxName, MailboxSort: f.MailboxSort,
		MailboxAddress: f.MailboxAddress, MailboxType: f.MailboxType, OwnerUserID: f.OwnerUserID, Target: f.Target,
		External: f.External == 1, KeepCopy: f.KeepCopy, Stopped: f.Stopped}
	r.BlockedByPolicy = r.Active() && r.External && !policy.ExternalForwardingAllowed()
	return r
}

func (s *Store) orgPolicy(db *gorm.DB) (ForwardingPolicy, error) {
	var org Organization
	if err := db.Order("id").First(&org).Error; err != nil {
		return "", notFound(err, "organization")
	}
	return org.ExternalForwarding, nil
}

// MailboxForwardingReport reads one page of the Forwarding report, in mailbox name
// order, and counts the matching mailboxes.
func (s *Store) MailboxForwardingReport(ctx context.Context, q ForwardingReportQuery) (*ForwardingReport, error) {
	q.Size = NormalizePageSize(q.Size)
	db := s.db.WithContext(ctx)
	policy, err := s.orgPolicy(db)
	if err != nil {
		return nil, err
	}
	rep := &ForwardingReport{Policy: policy}
	var n int64
	if err := s.forwardingReportQuery(db, q, policy).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("count forwarding report: %w", err)
	}
	rep.Total = int(n)
	pq, _ := keyset(s.forwardingReportQuery(db, q, policy), Page{After: q.After, Size: q.Size}, "r.sort_name", "mb.id")
	var scans []forwardingScan
	if err := pq.Scan(&scans).Error; err != nil {
		return nil, fmt.Errorf("read forwarding report: %w", err)
	}
	if len(scans) > q.Size {
		scans = scans[:q.Size]
		last := scans[q.Size-1]
		rep.Next = encodeCursor(last.MailboxSort, last.MailboxID)
	}
	for _, f := range scans {
		rep.Rows = append(rep.Rows, f.row(policy))
	}
	if err := s.forwardChains(db, rep.Rows); err != nil {
		return nil, err
	}
	return rep, nil
}

// EachMailboxForward calls fn for every mailbox of the report that matches the
// filters, reading them in batches so memory stays bounded however many forward.
func (s *Store) EachMailboxForward(ctx context.Context, q ForwardingReportQuery, fn func(ForwardingReportRow) error) error {
	q.Size = 100
	q.After = ""
	for {
		rep, err := s.MailboxForwardingReport(ctx, q)
		if err != nil {
			return err
		}
		for _, r := range rep.Rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if rep.Next == "" {
			return nil
		}
		q.After = rep.Next
	}
}

// maxChain bounds how far the report follows a chain of forwards.
const maxChain = 10

// forwardChains fills in the targets' names, the chains of forwards that go on
// from each target, and loops, for the rows: one recursive query follows the
// active forwards of every row at once.
func (s *Store) forwardChains(db *gorm.DB, rows []ForwardingReportRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.RecipientID
	}
	var hops []struct {
		Origin uint
		Depth  int
		Cur    uint
	}
	err := db.Raw(`
WITH RECURSIVE f(origin, cur, depth) AS (
	SELECT mb.recipient_id, e.recipient_id, 1 FROM mailboxes mb JOIN email_addresses e ON e.normalized = LOWER(mb.forwarding_address)
	WHERE mb.recipient_id IN ?
	UNION ALL
	SELECT f.origin, e.recipient_id, f.depth + 1 FROM f
	JOIN mailboxes m2 ON m2.recipient_id = f.cur AND m2.forwarding_address <> '' AND m2.forwarding_stopped = ''
	JOIN email_addresses e ON e.normalized = LOWER(m2.forwarding_address)
	WHERE f.cur <> f.origin AND f.depth < ?
)
SELECT origin, depth, cur FROM f ORDER BY origin, depth`, ids, maxChain).Scan(&hops).Error
	if err != nil {
		return fmt.Errorf("follow forwarding chains: %w", err)
	}
	var names []uint
	for _, h := range hops {
		names = append(names, h.Cur)
	}
	people, err := s.trustees(db, sortedSet(names))
	if err != nil {
		return err
	}
	byOrigin := map[uint][]uint{}
	for _, h := range hops {
		byOrigin[h.Origin] = append(byOrigin[h.Origin], h.Cur)
	}
	for i := range rows {
		path := byOrigin[rows[i].RecipientID]
		if len(path) == 0 {
			continue
		}
		rows[i].TargetName = people[path[0]].DisplayName
		// A chain is a line (a mailbox forwards to one address); it loops when it
		// comes back to a mailbox it passed, this one included.
		seen := map[uint]bool{rows[i].RecipientID: true, path[0]: true}
		rows[i].Loop = path[0] == rows[i].RecipientID
		for _, id := range path[1:] {
			rows[i].Chain = append(rows[i].Chain, people[id].DisplayName)
			if seen[id] {
				rows[i].Loop = true
				break
			}
			seen[id] = true
		}
	}
	return nil
}

// ChainText is the chain as one line: "A > B > C".
func (r ForwardingReportRow) ChainText() string { return strings.Join(r.Chain, " > ") }
