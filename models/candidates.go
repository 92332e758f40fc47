package models

import (
	"context"
	"fmt"
)

// Candidate is someone the people picker offers as a trustee.
type Candidate struct {
	RecipientID uint
	DisplayName string
	Address     string
	Kind        RecipientKind
	GroupType   GroupType
}

// PickerLimit bounds how many candidates the picker lists at once.
const PickerLimit = 50

// candidateSelect reads a recipient as a picker entry, from recipients r.
const candidateSelect = `r.id AS recipient_id, r.display_name, r.kind, COALESCE(g.type, '') AS group_type,
	(SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary) AS address`

// liveUser is the condition "r is a person of the organization, not deleted".
const liveUser = "r.kind = ? AND EXISTS (SELECT 1 FROM users u WHERE u.recipient_id = r.id AND u.deleted_at IS NULL)"

// candidates lists the recipients who match the condition who (with its args), have
// a primary address and do not hold the right on the mailbox yet, filtered by a
// prefix search, in name order and bounded by PickerLimit. The limit applies after
// who, so a picker's first page is full of recipients it may offer.
func (s *Store) candidates(ctx context.Context, mailboxID uint, right Right, search string, who string, args ...any) ([]Candidate, error) {
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Table("recipients r").Select(candidateSelect).
		Joins("LEFT JOIN groups g ON g.recipient_id = r.id").
		Where("r.id <> ?", mb.RecipientID).
		Where(who, args...).
		Where("EXISTS (SELECT 1 FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary)").
		Where("NOT EXISTS (SELECT 1 FROM mailbox_permissions p WHERE p.mailbox_id = ? AND p.trustee_id = r.id AND p.access_right = ? AND p.revoke_effective_at IS NULL)", mailboxID, right)
	if term := normalizeSearch(search); term != "" {
		q = matchRecipients(q, term)
	}
	var out []Candidate
	if err := q.Order("r.sort_name, r.id").Limit(PickerLimit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list candidates: %w", err)
	}
	return out, nil
}

// TrusteeCandidates lists the users and groups of the organization that may be given
// a right on a mailbox and do not hold it yet, filtered by a prefix search.
func (s *Store) TrusteeCandidates(ctx context.Context, mailboxID uint, right Right, search string) ([]Candidate, error) {
	return s.candidates(ctx, mailboxID, right, search, "("+liveUser+") OR (r.kind = ? AND g.type IN ?)",
		KindUser, KindGroup, allowedGroupTypes(right))
}

// MemberCandidates lists the people who may become members of a shared mailbox and
// are not yet, filtered by a prefix search. Members are people only: group access
// does not add the mailbox to Outlook.
func (s *Store) MemberCandidates(ctx context.Context, mailboxID uint, search string) ([]Candidate, error) {
	return s.candidates(ctx, mailboxID, RightFullAccess, search, liveUser, KindUser)
}

// Candidates returns the picker entries for the given recipients, for showing what a
// person selected.
func (s *Store) Candidates(ctx context.Context, recipientIDs []uint) ([]Candidate, error) {
	if len(recipientIDs) == 0 {
		return nil, nil
	}
	var out []Candidate
	err := s.db.WithContext(ctx).Table("recipients r").Select(candidateSelect).
		Joins("LEFT JOIN groups g ON g.recipient_id = r.id").
		Where("r.id IN ?", recipientIDs).Order("r.sort_name, r.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load candidates: %w", err)
	}
	return out, nil
}
