package models

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SearchTerm is one prefix-searchable word of a recipient: each word of its display
// name (accents folded), the whole name, and each address with its local part. The
// index on (term, recipient_id) makes "starts with" a range scan at any size.
//
// Terms of a live person also carry the person's user id and sort key, so a search
// of Active users reads its page, in name order, from the terms alone
// (idx_search_terms_people) rather than probing every person; linkTerms keeps them.
type SearchTerm struct {
	Term        string `gorm:"primaryKey;size:320"`
	RecipientID uint   `gorm:"primaryKey;index"`
	// UserID is the live person whose term this is; nil for shared mailboxes,
	// groups and deleted people.
	UserID *uint
	// SharedID is the shared mailbox whose term this is (a converted person's
	// too); nil for everything else. It makes a search of Shared mailboxes a range
	// of its own index, as UserID does for Active users.
	SharedID *uint
	// SortName is the name key of the person or shared mailbox; '' otherwise.
	SortName string `gorm:"not null;default:''"`
}

// termsFor lists the search terms of a name and addresses.
func termsFor(displayName string, addresses []string) []string {
	var terms []string
	add := func(t string) {
		if t = strings.TrimSpace(t); t != "" && len(t) <= 320 && !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	name := sortName(displayName)
	add(name)
	folded := foldAccents(name)
	add(folded)
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '(' || r == ')' }) {
		add(w)
		add(foldAccents(w))
	}
	for _, a := range addresses {
		a = strings.ToLower(a)
		add(a)
		if local, _, ok := strings.Cut(a, "@"); ok {
			add(local)
		}
	}
	return withoutPrefixes(terms)
}

// withoutPrefixes drops every term that starts another term of the list: whatever
// prefix finds "william" also finds "william smith", so the shorter one only adds rows
// to read (a search for "wil" read four terms per William Smith, now two). In sorted
// order a term that starts others is followed by one of them.
func withoutPrefixes(terms []string) []string {
	slices.Sort(terms)
	out := terms[:0]
	for i, t := range terms {
		if i+1 < len(terms) && strings.HasPrefix(terms[i+1], t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// foldAccents drops diacritics so "belgie" finds "België".
func foldAccents(s string) string {
	return strings.ToLower(AliasLikeFold(s))
}

// reindex rewrites the search terms of recipients from their names and addresses,
// and a person's username too.
func reindex(tx *gorm.DB, ids ...uint) error {
	if len(ids) == 0 {
		return nil
	}
	var rs []Recipient
	if err := tx.Preload("Addresses").Where("id IN ?", ids).Find(&rs).Error; err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	var upns []struct {
		RecipientID       uint
		UserPrincipalName string
	}
	if err := tx.Table("users").Select("recipient_id, user_principal_name").
		Where("recipient_id IN ? AND user_principal_name <> ''", ids).Scan(&upns).Error; err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if err := tx.Where("recipient_id IN ?", ids).Delete(&SearchTerm{}).Error; err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	var rows []SearchTerm
	for _, r := range rs {
		addrs := make([]string, len(r.Addresses))
		for i, a := range r.Addresses {
			addrs[i] = a.Address
		}
		for _, u := range upns {
			if u.RecipientID == r.ID {
				addrs = append(addrs, u.UserPrincipalName)
			}
		}
		for _, t := range termsFor(r.DisplayName, addrs) {
			rows = append(rows, SearchTerm{Term: t, RecipientID: r.ID})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(rows, 500).Error; err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	return linkTerms(tx, ids...)
}

// linkTermsSQL sets the person and shared mailbox of search terms (add a WHERE
// for some of them).
const linkTermsSQL = `UPDATE search_terms SET
	user_id = (SELECT u.id FROM users u WHERE u.recipient_id = search_terms.recipient_id AND u.deleted_at IS NULL),
	shared_id = (SELECT m.id FROM mailboxes m WHERE m.recipient_id = search_terms.recipient_id AND m.type = 'shared'),
	sort_name = COALESCE((SELECT u.sort_name FROM users u WHERE u.recipient_id = search_terms.recipient_id AND u.deleted_at IS NULL),
		(SELECT r.sort_name FROM recipients r JOIN mailboxes m ON m.recipient_id = r.id WHERE r.id = search_terms.recipient_id AND m.type = 'shared'), '')`

// linkTerms sets whose terms the recipients' terms are: the live person's user id,
// the shared mailbox's id, and their sort key, or none. Every change to a person's
// or shared mailbox's name, addresses or existence (create, delete, restore,
// convert) ends with it.
func linkTerms(tx *gorm.DB, recipientIDs ...uint) error {
	if len(recipientIDs) == 0 {
		return nil
	}
	if err := tx.Exec(linkTermsSQL+` WHERE recipient_id IN ?`, recipientIDs).Error; err != nil {
		return fmt.Errorf("link search terms: %w", err)
	}
	return nil
}

// indexAddress adds the search terms of one new address of a recipient.
func indexAddress(tx *gorm.DB, recipientID uint, address string) error {
	var rows []SearchTerm
	for _, t := range termsFor("", []string{address}) {
		rows = append(rows, SearchTerm{Term: t, RecipientID: recipientID})
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
		return fmt.Errorf("index address: %w", err)
	}
	return linkTerms(tx, recipientID)
}

// prefixUpper is the smallest string greater than every string starting with p.
func prefixUpper(p string) string { return p + "\U0010FFFF" }

// shortPrefix is the longest search, in characters, answered by the prefix
// indexes (idx_search_terms_people1..3, idx_search_terms_shared1..3).
const shortPrefix = 3

// termStarts is the condition "st.term starts with term" for a normalized search.
// A search of one to three letters matches many terms ('a': a third of the people)
// whose names are in no order on the term index; the expression indexes on the
// term's first one, two or three characters, then (sort name, id), hold every
// person or shared mailbox with such a term in name order, so a page is a range of
// one index whatever the number of matches. Longer searches match few terms, read
// as a range of the term index and sorted.
func termStarts(term string) (string, []any) {
	if n := utf8.RuneCountInString(term); n <= shortPrefix {
		return fmt.Sprintf("substr(st.term, 1, %d) = ?", n), []any{term}
	}
	return "st.term >= ? AND st.term < ?", []any{term, prefixUpper(term)}
}

// matchRecipients is the condition "the recipient has a search term starting with q"
// on a recipients table aliased r, for an already normalized search term.
func matchRecipients(db *gorm.DB, term string) *gorm.DB {
	return db.Where("r.id IN (SELECT st.recipient_id FROM search_terms st WHERE st.term >= ? AND st.term < ?)", term, prefixUpper(term))
}

// ownersByName selects the first distinct owners (idCol: st.user_id or
// st.shared_id) of a range of search terms as (sort name, id) in name order, one
// beyond the page to tell whether another follows, and whether they come
// reversed. An owner matches by name, word and address alike; its terms are made
// distinct in the database. A search of one to three letters, and the list of
// shared mailboxes, read an index in (sort name, id) order (termStarts), so the
// duplicates are skipped as the range is walked and the read stops after the
// page; a longer search matches few terms, collected and sorted.
func ownersByName(terms func() *gorm.DB, idCol string, p Page) (*gorm.DB, bool) {
	return keyset(terms().Distinct("st.sort_name", idCol), p, "st.sort_name", idCol)
}
