package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ParseRight returns the right named s (as in a URL), or false.
func ParseRight(s string) (Right, bool) {
	for _, r := range Rights {
		if strings.EqualFold(string(r), s) {
			return r, true
		}
	}
	return "", false
}

// Holder is one way a person or group holds a right on a mailbox: directly, or as a
// member of the group ViaName that holds it.
type Holder struct {
	PermissionID      uint
	Right             Right
	RecipientID       uint
	DisplayName       string
	Address           string
	Kind              RecipientKind
	GroupType         GroupType
	ViaID             uint
	ViaName           string
	AutoMapping       bool
	GrantedAt         time.Time
	EffectiveAt       time.Time
	RevokeEffectiveAt *time.Time

	sortName string
}

// Direct reports whether the holder was granted the right itself.
func (h Holder) Direct() bool { return h.ViaID == 0 }

// IsGroup reports whether the holder is a group.
func (h Holder) IsGroup() bool { return h.Kind == KindGroup }

// Pending reports whether the grant has not taken effect yet at now.
func (h Holder) Pending(now time.Time) bool { return now.Before(h.EffectiveAt) }

// RemovalPending reports whether the grant was removed but still holds at now.
func (h Holder) RemovalPending(now time.Time) bool {
	return h.RevokeEffectiveAt != nil && now.Before(*h.RevokeEffectiveAt)
}

// MailboxAccess is who holds each right on a mailbox, as of Now.
type MailboxAccess struct {
	Mailbox MailboxRef
	Now     time.Time
	Holders map[Right][]Holder
}

// Direct returns the holders of a right that were granted it themselves.
func (a *MailboxAccess) Direct(r Right) []Holder {
	var out []Holder
	for _, h := range a.Holders[r] {
		if h.Direct() {
			out = append(out, h)
		}
	}
	return out
}

// Members returns the people who hold a right through the group with recipient id.
func (a *MailboxAccess) Members(r Right, groupID uint) []Holder {
	var out []Holder
	for _, h := range a.Holders[r] {
		if h.ViaID == groupID {
			out = append(out, h)
		}
	}
	return out
}

// live is the condition for a grant that has not been removed, or whose removal is
// still propagating.
const live = "(p.revoke_effective_at IS NULL OR p.revoke_effective_at > ?)"

// MailboxAccess lists every holder of every right on a mailbox, with the members of
// groups expanded (nested groups too).
func (s *Store) MailboxAccess(ctx context.Context, mailboxID uint) (*MailboxAccess, error) {
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	return s.MailboxAccessOf(ctx, *mb)
}

// MailboxAccessOf is MailboxAccess of a mailbox the caller has already read (the
// panels have it from resolving the request's mailbox). The mailbox's live grants
// are read first (none: nothing more to read); one recursive query finds who holds
// them through whom; then the people are read by id. (As one query, both SQLite's
// and PostgreSQL's planners misjudged the size of the expansion and read every
// recipient; joined to the expansion, the grants were read whole by both.) Each
// holder's group is looked up by a subquery on its recipient: joined, PostgreSQL
// guessed ten holders a step for every mailbox and hashed every group (20,000 at a
// million people) at each step of the recursion. Every permissions panel reads
// this, so rows are scanned without reflection. What it reads is kept for a while
// (permissions_kept.go).
func (s *Store) readMailboxAccess(ctx context.Context, mb MailboxRef, now time.Time) (*MailboxAccess, error) {
	db := s.db.WithContext(ctx)
	acc := &MailboxAccess{Mailbox: mb, Now: now, Holders: map[Right][]Holder{}}
	grants, err := liveGrants(db, mb.ID, now)
	if err != nil {
		return nil, fmt.Errorf("list mailbox holders: %w", err)
	}
	if len(grants) == 0 {
		return acc, nil
	}
	edges, err := holderEdges(db, mb.ID, now)
	if err != nil {
		return nil, fmt.Errorf("list mailbox holders: %w", err)
	}
	recipientIDs := make([]uint, 0, len(edges)+4)
	for _, e := range edges {
		recipientIDs = append(recipientIDs, e.holderID)
		if e.viaID != 0 {
			recipientIDs = append(recipientIDs, e.viaID)
		}
	}
	people, err := s.listedTrustees(db, sortedSet(recipientIDs))
	if err != nil {
		return nil, err
	}
	rows := make([]Holder, 0, len(edges))
	for _, e := range edges {
		p, r := grants[e.permID], people[e.holderID]
		if p == nil || r.ID == 0 || (e.viaID != 0 && r.Kind != KindUser) {
			continue // members of a group that holds a right through a group are listed once, as people
		}
		rows = append(rows, Holder{PermissionID: p.ID, Right: p.Right, RecipientID: r.ID, DisplayName: r.DisplayName,
			Address: r.Address, Kind: r.Kind, GroupType: r.GroupType, ViaID: e.viaID, ViaName: people[e.viaID].DisplayName,
			AutoMapping: p.AutoMapping, GrantedAt: p.GrantedAt, EffectiveAt: p.EffectiveAt, RevokeEffectiveAt: p.RevokeEffectiveAt,
			sortName: r.SortName})
	}
	slices.SortFunc(rows, func(a, b Holder) int {
		return cmp.Or(cmp.Compare(a.Right, b.Right), compareBool(a.ViaID != 0, b.ViaID != 0),
			cmp.Compare(a.sortName, b.sortName), cmp.Compare(a.RecipientID, b.RecipientID))
	})
	for _, h := range rows {
		acc.Holders[h.Right] = append(acc.Holders[h.Right], h)
	}
	return acc, nil
}

// liveGrants reads a mailbox's grants that hold at now (from idx_perm_report
// alone), by id.
func liveGrants(db *gorm.DB, mailboxID uint, now time.Time) (map[uint]*MailboxPermission, error) {
	rows, err := db.Raw(`SELECT p.id, p.access_right, p.auto_mapping, p.granted_at, p.effective_at, p.revoke_effective_at
	FROM mailbox_permissions p WHERE p.mailbox_id = ? AND `+live, mailboxID, now).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[uint]*MailboxPermission{}
	for rows.Next() {
		p := &MailboxPermission{MailboxID: mailboxID}
		if err := rows.Scan(&p.ID, &p.Right, &p.AutoMapping, &p.GrantedAt, &p.EffectiveAt, &p.RevokeEffectiveAt); err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, rows.Err()
}

// holderEdge is one way a grant reaches a holder: directly (viaID 0), or as a
// member of the group viaID.
type holderEdge struct{ permID, holderID, viaID uint }

// holderEdges reads every live grant on a mailbox and the members its group holders
// pass it on to, nested groups expanded.
func holderEdges(db *gorm.DB, mailboxID uint, now time.Time) ([]holderEdge, error) {
	rows, err := db.Raw(`
WITH RECURSIVE h(perm_id, holder_id, via_id) AS (
	SELECT p.id, p.trustee_id, CAST(0 AS BIGINT) FROM mailbox_permissions p WHERE p.mailbox_id = ? AND `+live+`
	UNION
	SELECT h.perm_id, gm.member_id, CASE WHEN h.via_id = 0 THEN h.holder_id ELSE h.via_id END
	FROM h JOIN group_members gm ON gm.group_id = (SELECT g.id FROM groups g WHERE g.recipient_id = h.holder_id)
)
SELECT perm_id, holder_id, via_id FROM h`, mailboxID, now).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var edges []holderEdge
	for rows.Next() {
		var e holderEdge
		if err := rows.Scan(&e.permID, &e.holderID, &e.viaID); err != nil {
			return nil, err
		}
		edges = append(edges, e)
	}
	return edges, rows.Err()
}

// sortedSet sorts values and drops repeats.
func sortedSet[T cmp.Ordered](values []T) []T {
	return slices.Compact(slices.Sorted(slices.Values(values)))
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// GrantRequest asks for a right on a mailbox for one or more trustees.
type GrantRequest struct {
	MailboxID  uint
	Right      Right
	TrusteeIDs []uint
	// AutoMapping adds the mailbox to the trustee's Outlook; it applies to Read and
	// manage grants to users only (Exchange does not automap through groups).
	AutoMapping bool
}

// permAudit is what the audit log records of a grant.
type permAudit struct {
	Mailbox     string `json:"mailbox"`
	Trustee     string `json:"trustee"`
	Right       Right  `json:"right"`
	AutoMapping bool   `json:"automapping,omitempty"`
	EffectiveAt string `json:"effective_at,omitempty"`
}

type trusteeRow struct {
	ID          uint
	Kind        RecipientKind
	DisplayName string
	SortName    string
	GroupType   GroupType
	Address     string
	// Deleted is set for a deleted person, who may be given nothing.
	Deleted bool
}

// candidate is the trustee as a picker entry.
func (t trusteeRow) candidate() Candidate {
	return Candidate{RecipientID: t.ID, DisplayName: t.DisplayName, Address: t.Address, Kind: t.Kind, GroupType: t.GroupType}
}

// trustees loads recipients by id as permission holders. Every grant reads them, so
// the rows are scanned without reflection.
func (s *Store) trustees(tx *gorm.DB, ids []uint) (map[uint]trusteeRow, error) {
	return readTrustees(tx, ids, true)
}

// listedTrustees loads recipients by id as the permissions panels list them: as
// trustees, without whether a person is deleted (which only a grant needs; looking
// it up in users was 40% of reading 343 holders).
func (s *Store) listedTrustees(tx *gorm.DB, ids []uint) (map[uint]trusteeRow, error) {
	return readTrustees(tx, ids, false)
}

func readTrustees(tx *gorm.DB, ids []uint, deleted bool) (map[uint]trusteeRow, error) {
	out := make(map[uint]trusteeRow, len(ids))
	// In chunks: a bulk grant names more people than SQLite takes variables.
	for _, part := range chunks(ids) {
		if err := scanTrustees(tx, part, deleted, out); err != nil {
			return nil, fmt.Errorf("load trustees: %w", err)
		}
	}
	return out, nil
}

const (
	trusteesSelect = `SELECT r.id, r.kind, r.display_name, r.sort_name, COALESCE(g.type, ''),
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '')`
	trusteesFrom    = ` FROM recipients r LEFT JOIN groups g ON g.recipient_id = r.id WHERE r.id IN ?`
	trusteesDeleted = `,
		EXISTS (SELECT 1 FROM users u WHERE u.recipient_id = r.id AND u.deleted_at IS NOT NULL)`
)

func scanTrustees(tx *gorm.DB, ids []uint, deleted bool, out map[uint]trusteeRow) error {
	query := trusteesSelect + trusteesFrom
	if deleted {
		query = trusteesSelect + trusteesDeleted + trusteesFrom
	}
	rows, err := tx.Raw(query, ids).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r trusteeRow
		if deleted {
			err = rows.Scan(&r.ID, &r.Kind, &r.DisplayName, &r.SortName, &r.GroupType, &r.Address, &r.Deleted)
		} else {
			err = rows.Scan(&r.ID, &r.Kind, &r.DisplayName, &r.SortName, &r.GroupType, &r.Address)
		}
		if err != nil {
			return err
		}
		out[r.ID] = r
	}
	return rows.Err()
}

// allowedGroupTypes are the group types that may hold a right: mail-enabled security
// groups for every right, distribution lists for Send on behalf only, as in Exchange.
func allowedGroupTypes(r Right) []GroupType {
	if r == RightSendOnBehalf {
		return []GroupType{GroupMailSecurity, GroupDistribution}
	}
	return []GroupType{GroupMailSecurity}
}

// checkTrustee applies the rules on who may hold a right on a mailbox. A deleted
// person is refused like an id that names no one: they are gone until restored.
func checkTrustee(mb *MailboxRef, right Right, t trusteeRow, found bool) *ValidationError {
	switch {
	case !found || t.Deleted:
		return Invalid("trustee", "perm.error.outside", nil)
	case t.ID == mb.RecipientID:
		return Invalid("trustee", "perm.error.owner", map[string]any{"Name": t.DisplayName})
	case t.Kind == KindSharedMailbox:
		return Invalid("trustee", "perm.error.not_person", map[string]any{"Name": t.DisplayName})
	case t.Kind == KindContact:
		// A mail contact is outside the organization: it can never hold a permission.
		return Invalid("trustee", "perm.error.contact", map[string]any{"Name": t.DisplayName})
	case t.Kind == KindGroup && !slices.Contains(allowedGroupTypes(right), t.GroupType):
		key := "perm.error.group_type"
		if t.GroupType == GroupDistribution {
			key = "perm.error.distribution_list"
		} else if t.GroupType == GroupSecurity {
			key = "perm.error.not_mail_enabled"
		}
		return Invalid("trustee", key, map[string]any{"Name": t.DisplayName})
	case t.Kind == KindUser && t.Address == "":
		return Invalid("trustee", "perm.error.outside", nil)
	}
	return nil
}

// GrantResult is what a grant did: the trustees of the request in name order, who
// all hold the right now, and how many of the grants are new.
type GrantResult struct {
	Trustees []Candidate
	Added    int
}

// GrantPermissions gives a right on a mailbox to the trustees. It is a set operation:
// a trustee who already holds the right is left as is (a removal still propagating
// is cancelled), so two admins adding different people at once both succeed. Either
// every trustee is valid and granted, or nothing changes.
func (s *Store) GrantPermissions(ctx context.Context, actor *Admin, req GrantRequest) (*GrantResult, error) {
	if !actor.Can(ActionManagePermissions) {
		return nil, ErrForbidden
	}
	if !slices.Contains(Rights, req.Right) {
		return nil, Invalid("right", "perm.error.right", nil)
	}
	ids := sortedSet(req.TrusteeIDs)
	if len(ids) == 0 {
		return nil, Invalid("trustee", "perm.error.none_selected", nil)
	}
	var res GrantResult
	err := s.changeMailbox(ctx, actor, ActionManagePermissions, req.MailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		r, err := s.grantIn(tx, actor, mb, req.Right, ids, req.AutoMapping)
		if err != nil {
			return err
		}
		res = *r
		// A job marks itself done in the same transaction.
		return commitJob(ctx, tx, r.Added, len(ids)-r.Added)
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// grantIn gives a right on a mailbox to the trustees ids (sorted, no repeats) inside
// a write transaction: every trustee is checked first, so one refused trustee
// refuses them all.
func (s *Store) grantIn(tx *gorm.DB, actor *Admin, mb *MailboxRef, right Right, ids []uint, autoMapping bool) (*GrantResult, error) {
	res := &GrantResult{}
	ts, err := s.trustees(tx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		t, ok := ts[id]
		if ve := checkTrustee(mb, right, t, ok); ve != nil {
			return nil, ve
		}
		res.Trustees = append(res.Trustees, t.candidate())
	}
	slices.SortFunc(res.Trustees, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(ts[a.RecipientID].SortName, ts[b.RecipientID].SortName), cmp.Compare(a.RecipientID, b.RecipientID))
	})
	now := s.Now()
	effective := now.Add(s.PropagationDelay())
	for i, id := range ids {
		t := ts[id]
		// A removal that has taken effect leaves a row behind only until now.
		if err := tx.Where("mailbox_id = ? AND trustee_id = ? AND access_right = ? AND revoke_effective_at <= ?",
			mb.ID, id, right, now).Delete(&MailboxPermission{}).Error; err != nil {
			return nil, fmt.Errorf("clear removed grant: %w", err)
		}
		if err := tx.Model(&MailboxPermission{}).Where("mailbox_id = ? AND trustee_id = ? AND access_right = ? AND revoke_effective_at IS NOT NULL",
			mb.ID, id, right).Updates(map[string]any{"revoke_effective_at": nil, "revoked_by_id": nil}).Error; err != nil {
			return nil, fmt.Errorf("cancel removal: %w", err)
		}
		p := MailboxPermission{MailboxID: mb.ID, TrusteeID: id, Right: right,
			AutoMapping: autoMapping && right == RightFullAccess && t.Kind == KindUser,
			GrantedByID: &actor.UserID, GrantedAt: now, EffectiveAt: effective}
		created := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p)
		if created.Error != nil {
			return nil, fmt.Errorf("grant: %w", created.Error)
		}
		// A job that grants to many people counts them (the context is the job's).
		if err := stepDone(tx.Statement.Context, i+1, len(ids)); err != nil {
			return nil, err
		}
		if created.RowsAffected == 0 {
			continue
		}
		res.Added++
		if err := s.audit(tx, actor, "mailbox_permission.add", &mb.RecipientID, mb.DisplayName, nil,
			permAudit{Mailbox: mb.Address, Trustee: t.Address, Right: right, AutoMapping: p.AutoMapping,
				EffectiveAt: effective.Format(time.RFC3339)}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// grantedTo is the trustee of a grant as the audit log names it: the primary
// address, or the display name of a trustee without one.
func grantedTo(p *MailboxPermission) string {
	if len(p.Trustee.Addresses) > 0 {
		return p.Trustee.Addresses[0].Address
	}
	return p.Trustee.DisplayName
}

// RemovePermission takes a right on a mailbox away from a trustee. With a
// propagation delay the right holds until the removal takes effect. Removing what is
// not held is a no-op.
func (s *Store) RemovePermission(ctx context.Context, actor *Admin, mailboxID uint, right Right, trusteeID uint) error {
	return s.changeMailbox(ctx, actor, ActionManagePermissions, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		return s.removeIn(tx, actor, mb, right, trusteeID)
	})
}

// removeIn takes a right on a mailbox away from a trustee inside a write transaction.
func (s *Store) removeIn(tx *gorm.DB, actor *Admin, mb *MailboxRef, right Right, trusteeID uint) error {
	var p MailboxPermission
	err := tx.Where("mailbox_id = ? AND trustee_id = ? AND access_right = ? AND revoke_effective_at IS NULL", mb.ID, trusteeID, right).
		Preload("Trustee.Addresses", "is_primary = ?", true).First(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load grant: %w", err)
	}
	now := s.Now()
	if s.PropagationDelay() > 0 {
		at := now.Add(s.PropagationDelay())
		err = tx.Model(&p).Updates(map[string]any{"revoke_effective_at": at, "revoked_by_id": actor.UserID}).Error
	} else {
		err = tx.Delete(&p).Error
	}
	if err != nil {
		return fmt.Errorf("remove grant: %w", err)
	}
	return s.audit(tx, actor, "mailbox_permission.remove", &mb.RecipientID, mb.DisplayName,
		permAudit{Mailbox: mb.Address, Trustee: grantedTo(&p), Right: right, AutoMapping: p.AutoMapping}, nil)
}

// SetAutoMapping turns automapping of a Read and manage grant to a user on or off.
func (s *Store) SetAutoMapping(ctx context.Context, actor *Admin, mailboxID, trusteeID uint, on bool) error {
	return s.changeMailbox(ctx, actor, ActionManagePermissions, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		var p MailboxPermission
		err := tx.Where("mailbox_id = ? AND trustee_id = ? AND access_right = ?", mailboxID, trusteeID, RightFullAccess).
			Preload("Trustee.Addresses", "is_primary = ?", true).First(&p).Error
		if err != nil {
			return notFound(err, "grant")
		}
		if p.Trustee.Kind != KindUser {
			return Invalid("automapping", "perm.error.automap_group", nil)
		}
		ts, err := s.trustees(tx, []uint{trusteeID})
		if err != nil {
			return err
		}
		if ts[trusteeID].Deleted {
			return Invalid("automapping", "perm.error.outside", nil)
		}
		if p.AutoMapping == on {
			return nil
		}
		if err := tx.Model(&p).Update("auto_mapping", on).Error; err != nil {
			return fmt.Errorf("set automapping: %w", err)
		}
		trustee := grantedTo(&p) // users always have an address
		return s.audit(tx, actor, "mailbox_permission.automapping", &mb.RecipientID, mb.DisplayName,
			permAudit{Mailbox: mb.Address, Trustee: trustee, Right: RightFullAccess, AutoMapping: !on},
			permAudit{Mailbox: mb.Address, Trustee: trustee, Right: RightFullAccess, AutoMapping: on})
	})
}
