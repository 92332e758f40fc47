package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The directory is the organization's recipients as Exchange's Get-* cmdlets list
// them: people, shared mailboxes and groups with their addresses, mailbox settings
// and account, read in batches. Identity resolution (FindRecipients) finds a
// recipient by what an Exchange identity may name.

// DirectoryType is a kind of recipient as Exchange's RecipientTypeDetails tells
// them apart.
type DirectoryType string

// The directory types.
const (
	TypeUserMailbox       DirectoryType = "UserMailbox"
	TypeSharedMailbox     DirectoryType = "SharedMailbox"
	TypeUser              DirectoryType = "User" // a person without a mailbox
	TypeMailSecurityGroup DirectoryType = "MailUniversalSecurityGroup"
	TypeDistributionGroup DirectoryType = "MailUniversalDistributionGroup"
	TypeM365Group         DirectoryType = "GroupMailbox"
	TypeSecurityGroup     DirectoryType = "UniversalSecurityGroup"
	TypeMailContact       DirectoryType = "MailContact"
)

// MailboxTypes are the recipients with a mailbox (Get-Mailbox).
var MailboxTypes = []DirectoryType{TypeUserMailbox, TypeSharedMailbox}

// MailEnabledTypes are what Exchange's Get-Recipient lists: mailboxes, mail
// contacts and mail-enabled groups, not people without a mailbox nor plain
// security groups.
var MailEnabledTypes = []DirectoryType{TypeUserMailbox, TypeSharedMailbox, TypeMailSecurityGroup, TypeDistributionGroup, TypeM365Group, TypeMailContact}

// DirectoryQuery says which recipients a directory read returns.
type DirectoryQuery struct {
	// Types keeps recipients of any of these types; nil keeps every recipient. A
	// non-nil empty list keeps none.
	Types []DirectoryType
	// Search keeps recipients with a name word, address or alias starting with it
	// (Exchange's -Anr).
	Search string
	// Limit is how many to return; 0 is no limit.
	Limit int
	// After starts the read after this recipient in name order (a keyset cursor,
	// for a reader that pages); the zero value starts at the beginning.
	After DirectoryCursor
}

// DirectoryCursor is a recipient's place in the directory's name order.
type DirectoryCursor struct {
	SortName string
	ID       uint
}

// Cursor is the entry's place in name order, for DirectoryQuery.After.
func (e *DirectoryEntry) Cursor() DirectoryCursor {
	return DirectoryCursor{SortName: e.sortName, ID: e.RecipientID}
}

// RecipientName names a recipient that another one refers to (a delegate, a
// forwarding target, a group member).
type RecipientName struct {
	RecipientID uint
	DisplayName string
	Address     string
	Kind        RecipientKind
	GroupType   GroupType
}

// DirectoryUser is the account behind a recipient.
type DirectoryUser struct {
	ID            uint
	FirstName     string
	LastName      string
	JobTitle      string
	Department    string
	SignInBlocked bool
	// UserPrincipalName is the sign-in name (Entra's), apart from the addresses.
	UserPrincipalName string
	UpdatedAt         time.Time
}

// DirectoryMailbox is a recipient's mailbox with its settings.
type DirectoryMailbox struct {
	ID                uint
	Type              MailboxType
	StorageUsedBytes  int64
	QuotaBytes        int64
	HiddenFromGAL     bool
	ForwardingAddress string
	// ForwardingTo is the recipient of this organization that owns the forwarding
	// address; nil when the address is outside (or none is set).
	ForwardingTo      *RecipientName
	ForwardKeepCopy   bool
	ForwardingStopped string
	CopySentAs        bool
	CopySentOnBehalf  bool
	AutoReply         AutoReply
	// SendOnBehalf are the recipients granted Send on behalf directly, by name.
	SendOnBehalf []RecipientName
	Version      int
	UpdatedAt    time.Time
}

// DirectoryEntry is one recipient as the directory reads it.
type DirectoryEntry struct {
	RecipientID uint
	Kind        RecipientKind
	DisplayName string
	// Addresses are every address, the primary one first.
	Addresses []string
	CreatedAt time.Time
	// User is the account (nil for a shared mailbox without one and for groups).
	User *DirectoryUser
	// Mailbox is nil for a recipient without a mailbox.
	Mailbox *DirectoryMailbox
	// GroupType is set for groups.
	GroupType GroupType
	sortName  string
	alias     string
}

// PrimaryAddress returns the primary address ("" for a recipient without one).
func (e *DirectoryEntry) PrimaryAddress() string {
	if len(e.Addresses) == 0 {
		return ""
	}
	return e.Addresses[0]
}

// Alias is the recipient's alias as it was typed (its addresses are stored
// lower-case); for a recipient from before aliases were kept, the part of its
// primary address before the @.
func (e *DirectoryEntry) Alias() string {
	if e.alias != "" {
		return e.alias
	}
	return aliasOf(e.PrimaryAddress())
}

// UserPrincipalName is the sign-in name of a recipient with an account ("" for
// one without): Entra's name, which a change of addresses never changes.
func (e *DirectoryEntry) UserPrincipalName() string {
	if e.User == nil {
		return ""
	}
	return e.User.UserPrincipalName
}

// ObjectID is the recipient's directory object id (Exchange's
// ExternalDirectoryObjectId), a GUID that always names the same recipient.
func (e *DirectoryEntry) ObjectID() string { return ObjectID(e.RecipientID) }

// ObjectID returns the directory object id of a recipient: a GUID whose last group
// is the recipient id and whose other groups are a hash of it, so it reads like a
// directory GUID and leads back to the recipient without a lookup table.
func ObjectID(recipientID uint) string {
	var buf [36]byte
	return string(AppendObjectID(buf[:0], recipientID))
}

// AppendObjectID appends the recipient's ObjectID to b, without allocating: a
// Graph list writes one for each person.
func AppendObjectID(b []byte, recipientID uint) []byte {
	var in [32]byte
	sum := sha256.Sum256(strconv.AppendUint(append(in[:0], "recipient:"...), uint64(recipientID), 10))
	var h [20]byte
	hex.Encode(h[:], sum[:10])
	b = append(b, h[0:8]...)
	b = append(b, '-')
	b = append(b, h[8:12]...)
	b = append(b, "-4"...)
	b = append(b, h[13:16]...)
	b = append(b, "-8"...)
	b = append(b, h[17:20]...)
	b = append(b, '-')
	// The recipient id in hex, at least twelve digits.
	var x [16]byte
	id := strconv.AppendUint(x[:0], uint64(recipientID), 16)
	for n := len(id); n < 12; n++ {
		b = append(b, '0')
	}
	return append(b, id...)
}

// RecipientIDOfObjectID returns the recipient an object id names, if s is one.
func RecipientIDOfObjectID(s string) (uint, bool) {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), "{}"))
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[24:], 16, 64)
	if err != nil || n == 0 || n > uint64(^uint(0)>>1) {
		return 0, false
	}
	id := uint(n)
	if ObjectID(id) != s {
		return 0, false
	}
	return id, true
}

// typeCondition is the SQL condition for recipients r of one directory type.
func typeCondition(t DirectoryType) (string, []any) {
	mailbox := func(mt MailboxType) (string, []any) {
		return "EXISTS (SELECT 1 FROM mailboxes dm WHERE dm.recipient_id = r.id AND dm.type = ?)", []any{mt}
	}
	group := func(gt GroupType) (string, []any) {
		return "EXISTS (SELECT 1 FROM groups dg WHERE dg.recipient_id = r.id AND dg.type = ?)", []any{gt}
	}
	switch t {
	case TypeUserMailbox:
		return mailbox(MailboxUser)
	case TypeSharedMailbox:
		return mailbox(MailboxShared)
	case TypeUser:
		return "(r.kind = ? AND NOT EXISTS (SELECT 1 FROM mailboxes dm WHERE dm.recipient_id = r.id))", []any{KindUser}
	case TypeMailSecurityGroup:
		return group(GroupMailSecurity)
	case TypeDistributionGroup:
		return group(GroupDistribution)
	case TypeM365Group:
		return group(GroupM365)
	case TypeSecurityGroup:
		return group(GroupSecurity)
	case TypeMailContact:
		return "r.kind = ?", []any{KindContact}
	}
	return "1 = 0", nil
}

// Type is the recipient's directory type.
func (e *DirectoryEntry) Type() DirectoryType {
	switch {
	case e.Mailbox != nil && e.Mailbox.Type == MailboxShared:
		return TypeSharedMailbox
	case e.Mailbox != nil:
		return TypeUserMailbox
	case e.Kind == KindUser:
		return TypeUser
	case e.Kind == KindContact:
		return TypeMailContact
	}
	switch e.GroupType {
	case GroupMailSecurity:
		return TypeMailSecurityGroup
	case GroupDistribution:
		return TypeDistributionGroup
	case GroupM365:
		return TypeM365Group
	}
	return TypeSecurityGroup
}

// directoryBase is the recipients a query keeps, as "recipients r"; deleted
// people are never part of the directory.
func (s *Store) directoryBase(ctx context.Context, q DirectoryQuery) *gorm.DB {
	db := s.db.WithContext(ctx).Table("recipients r").
		Where("NOT EXISTS (SELECT 1 FROM users du WHERE du.recipient_id = r.id AND du.deleted_at IS NOT NULL)")
	if q.Types != nil {
		var conds []string
		var args []any
		for _, t := range sortedSet(q.Types) {
			c, a := typeCondition(t)
			conds, args = append(conds, c), append(args, a...)
		}
		if len(conds) == 0 {
			conds = []string{"1 = 0"}
		}
		db = db.Where("("+strings.Join(conds, " OR ")+")", args...)
	}
	if term := normalizeSearch(q.Search); term != "" {
		db = matchRecipients(db, term)
	}
	return db
}

// directoryBatch is how many recipients one round of directory queries reads.
const directoryBatch = 500

// EachDirectoryEntry reads the recipients a query keeps, in name order, and calls
// fn with each; it reports whether more recipients match than the query's Limit.
// Recipients are read in batches, so a read without a limit holds one batch at a
// time.
func (s *Store) EachDirectoryEntry(ctx context.Context, q DirectoryQuery, fn func(*DirectoryEntry) error) (bool, error) {
	type row struct {
		ID       uint
		SortName string
	}
	seen := 0
	after := row{ID: q.After.ID, SortName: q.After.SortName}
	for {
		want, remaining := directoryBatch, -1
		if q.Limit > 0 {
			remaining = q.Limit - seen
			want = min(want, remaining+1)
		}
		db := s.directoryBase(ctx, q).Select("r.id, r.sort_name")
		if after.ID != 0 {
			db = db.Where("(r.sort_name > ? OR (r.sort_name = ? AND r.id > ?))", after.SortName, after.SortName, after.ID)
		}
		var rows []row
		if err := db.Order("r.sort_name, r.id").Limit(want).Scan(&rows).Error; err != nil {
			return false, fmt.Errorf("list recipients: %w", err)
		}
		fetched := len(rows)
		more := remaining >= 0 && fetched > remaining
		if more {
			rows = rows[:remaining]
		}
		ids := make([]uint, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		entries, err := s.directoryEntries(ctx, ids)
		if err != nil {
			return false, err
		}
		for _, id := range ids {
			if e := entries[id]; e != nil {
				if err := fn(e); err != nil {
					return false, err
				}
			}
		}
		seen += len(rows)
		if more || fetched < want {
			return more, nil
		}
		after = rows[len(rows)-1]
	}
}

// DirectoryByIDs reads recipients by id; ids that name no live recipient are left
// out of the map.
func (s *Store) DirectoryByIDs(ctx context.Context, ids []uint) (map[uint]*DirectoryEntry, error) {
	out := map[uint]*DirectoryEntry{}
	for start := 0; start < len(ids); start += directoryBatch {
		part, err := s.directoryEntries(ctx, ids[start:min(start+directoryBatch, len(ids))])
		if err != nil {
			return nil, err
		}
		for id, e := range part {
			out[id] = e
		}
	}
	return out, nil
}

// MaxIdentityMatches bounds how many recipients an ambiguous identity lists.
const MaxIdentityMatches = 10

// FindRecipients resolves an identity the way Exchange does: the recipients the
// query keeps whose display name (Exchange's Name and DisplayName) is the text,
// whose alias is the text, that have the text as any of their addresses, whose
// user principal name it is, or whose object id it is. "smtp:" before an
// address is allowed. It returns every match, in name order, up to
// MaxIdentityMatches+1, so a caller can tell one from several.
func (s *Store) FindRecipients(ctx context.Context, identity string, q DirectoryQuery) ([]*DirectoryEntry, error) {
	text := strings.TrimSpace(identity)
	if text == "" {
		return nil, nil
	}
	if strings.HasPrefix(strings.ToLower(text), "smtp:") && strings.Contains(text, "@") {
		text = text[len("smtp:"):]
	}
	norm := strings.ToLower(text)
	conds := []string{"r.sort_name = ?", "r.id IN (SELECT e.recipient_id FROM email_addresses e WHERE e.normalized = ?)",
		"r.id IN (SELECT u.recipient_id FROM users u WHERE lower(u.user_principal_name) = ? AND u.user_principal_name <> '')"}
	args := []any{sortName(text), norm, norm}
	if !strings.Contains(norm, "@") {
		domains, err := s.Domains(ctx)
		if err != nil {
			return nil, err
		}
		var primaries []string
		for _, d := range domains {
			primaries = append(primaries, norm+"@"+strings.ToLower(d.Name))
		}
		if len(primaries) > 0 {
			conds = append(conds, "r.id IN (SELECT e.recipient_id FROM email_addresses e WHERE e.is_primary AND e.normalized IN ?)")
			args = append(args, primaries)
		}
	}
	if id, ok := RecipientIDOfObjectID(text); ok {
		conds = append(conds, "r.id = ?")
		args = append(args, id)
	}
	var ids []uint
	q.Search, q.Limit = "", 0
	err := s.directoryBase(ctx, q).Where("("+strings.Join(conds, " OR ")+")", args...).
		Order("r.sort_name, r.id").Limit(MaxIdentityMatches+1).Pluck("r.id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("resolve identity: %w", err)
	}
	entries, err := s.directoryEntries(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*DirectoryEntry, 0, len(ids))
	for _, id := range ids {
		if e := entries[id]; e != nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// DirectoryMembers lists a group's direct members (people and nested groups), in
// name order.
func (s *Store) DirectoryMembers(ctx context.Context, groupRecipientID uint) ([]*DirectoryEntry, error) {
	var ids []uint
	err := s.db.WithContext(ctx).Table("group_members gm").Joins("JOIN groups g ON g.id = gm.group_id").
		Where("g.recipient_id = ?", groupRecipientID).Pluck("gm.member_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("list group members: %w", err)
	}
	entries, err := s.DirectoryByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*DirectoryEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *DirectoryEntry) int {
		if c := strings.Compare(a.sortName, b.sortName); c != 0 {
			return c
		}
		return int(a.RecipientID) - int(b.RecipientID)
	})
	return out, nil
}

// directoryEntries reads recipients with their addresses, account, mailbox (with
// its delegates and forwarding target) and group type: a handful of queries for
// the whole batch.
func (s *Store) directoryEntries(ctx context.Context, ids []uint) (map[uint]*DirectoryEntry, error) {
	out := map[uint]*DirectoryEntry{}
	if len(ids) == 0 {
		return out, nil
	}
	db := s.db.WithContext(ctx)
	var rs []Recipient
	if err := db.Where("id IN ?", ids).Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("load recipients: %w", err)
	}
	for _, r := range rs {
		out[r.ID] = &DirectoryEntry{RecipientID: r.ID, Kind: r.Kind, DisplayName: r.DisplayName, CreatedAt: r.CreatedAt,
			sortName: r.SortName, alias: r.Alias}
	}
	var addrs []EmailAddress
	if err := db.Where("recipient_id IN ?", ids).Order("recipient_id, is_primary DESC, normalized").Find(&addrs).Error; err != nil {
		return nil, fmt.Errorf("load addresses: %w", err)
	}
	for _, a := range addrs {
		if e := out[a.RecipientID]; e != nil {
			e.Addresses = append(e.Addresses, a.Address)
		}
	}
	var users []User
	if err := db.Where("recipient_id IN ?", ids).Find(&users).Error; err != nil {
		return nil, fmt.Errorf("load accounts: %w", err)
	}
	for _, u := range users {
		if e := out[u.RecipientID]; e != nil {
			e.User = &DirectoryUser{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, JobTitle: u.JobTitle,
				Department: u.Department, SignInBlocked: u.SignInBlocked, UserPrincipalName: u.UserPrincipalName, UpdatedAt: u.UpdatedAt}
		}
	}
	var groups []Group
	if err := db.Where("recipient_id IN ?", ids).Find(&groups).Error; err != nil {
		return nil, fmt.Errorf("load groups: %w", err)
	}
	for _, g := range groups {
		if e := out[g.RecipientID]; e != nil {
			e.GroupType = g.Type
		}
	}
	var mbs []Mailbox
	if err := db.Where("recipient_id IN ?", ids).Find(&mbs).Error; err != nil {
		return nil, fmt.Errorf("load mailboxes: %w", err)
	}
	if len(mbs) == 0 {
		return out, nil
	}
	byMailbox := map[uint]*DirectoryMailbox{}
	var mailboxIDs []uint
	var forwards []string
	for _, m := range mbs {
		e := out[m.RecipientID]
		if e == nil {
			continue
		}
		e.Mailbox = &DirectoryMailbox{ID: m.ID, Type: m.Type, StorageUsedBytes: m.StorageUsedBytes, QuotaBytes: m.QuotaBytes,
			HiddenFromGAL: m.HiddenFromGAL, ForwardingAddress: m.ForwardingAddress, ForwardKeepCopy: m.ForwardKeepCopy,
			ForwardingStopped: m.ForwardingStopped, CopySentAs: m.CopySentAs, CopySentOnBehalf: m.CopySentOnBehalf,
			AutoReply: m.autoReply(),
			Version:   m.Version, UpdatedAt: m.UpdatedAt}
		byMailbox[m.ID] = e.Mailbox
		mailboxIDs = append(mailboxIDs, m.ID)
		if m.ForwardingAddress != "" {
			forwards = append(forwards, strings.ToLower(m.ForwardingAddress))
		}
	}
	var grants []struct{ MailboxID, TrusteeID uint }
	if err := db.Model(&MailboxPermission{}).Select("mailbox_id, trustee_id").
		Where("mailbox_id IN ? AND access_right = ? AND revoke_effective_at IS NULL", mailboxIDs, RightSendOnBehalf).
		Order("mailbox_id, id").Scan(&grants).Error; err != nil {
		return nil, fmt.Errorf("load delegates: %w", err)
	}
	var named []uint
	for _, g := range grants {
		named = append(named, g.TrusteeID)
	}
	owners := map[string]uint{}
	if len(forwards) > 0 {
		var rows []struct {
			Normalized  string
			RecipientID uint
		}
		if err := db.Model(&EmailAddress{}).Select("normalized, recipient_id").Where("normalized IN ?", sortedSet(forwards)).
			Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("load forwarding targets: %w", err)
		}
		for _, r := range rows {
			owners[r.Normalized] = r.RecipientID
			named = append(named, r.RecipientID)
		}
	}
	if len(named) == 0 {
		return out, nil
	}
	names, err := s.trustees(db, sortedSet(named))
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		if t, ok := names[g.TrusteeID]; ok {
			mb := byMailbox[g.MailboxID]
			mb.SendOnBehalf = append(mb.SendOnBehalf, t.name())
		}
	}
	for _, mb := range byMailbox {
		slices.SortFunc(mb.SendOnBehalf, func(a, b RecipientName) int { return strings.Compare(sortName(a.DisplayName), sortName(b.DisplayName)) })
		if id, ok := owners[strings.ToLower(mb.ForwardingAddress)]; ok {
			if t, ok := names[id]; ok {
				n := t.name()
				mb.ForwardingTo = &n
			}
		}
	}
	return out, nil
}

// name is the trustee as a RecipientName.
func (t trusteeRow) name() RecipientName {
	return RecipientName{RecipientID: t.ID, DisplayName: t.DisplayName, Address: t.Address, Kind: t.Kind, GroupType: t.GroupType}
}
