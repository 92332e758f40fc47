package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// CheckAlias applies the rules for the part of an address before the @.
func CheckAlias(alias string) *FieldError {
	if fe := CheckText(alias, false); fe != nil {
		return fe
	}
	if alias == "" {
		return &FieldError{Key: "addr.error.alias_required"}
	}
	if len(alias) > 64 || strings.HasPrefix(alias, ".") || strings.HasSuffix(alias, ".") || strings.Contains(alias, "..") {
		return &FieldError{Key: "addr.error.alias_invalid"}
	}
	for _, r := range alias {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-+'", r)) {
			return &FieldError{Key: "addr.error.alias_invalid"}
		}
	}
	return nil
}

// AddressDomains returns the accepted domains, the default first, and the domain an
// address form starts with: chosen when the admin picked one, otherwise the default
// domain ("" for an organization without domains, whose forms then offer none).
func (s *Store) AddressDomains(ctx context.Context, chosen string) ([]Domain, string, error) {
	domains, err := s.Domains(ctx)
	if err != nil {
		return nil, "", err
	}
	if chosen == "" && len(domains) > 0 {
		chosen = domains[0].Name
	}
	return domains, chosen, nil
}

// AddressAvailable checks that alias@domain is a well-formed address in an accepted
// domain that no recipient uses, primary or alias, in any case, and that is no
// person's username. A taken address gets the real product's proxy-address message.
func (s *Store) AddressAvailable(ctx context.Context, alias, domain string) (string, *FieldError, error) {
	return s.addressAvailableFor(ctx, alias, domain, 0)
}

// addressAvailableFor is AddressAvailable for an address of the recipient with id
// self (0 for a new one), which may be its own person's username.
func (s *Store) addressAvailableFor(ctx context.Context, alias, domain string, self uint) (string, *FieldError, error) {
	db := s.db
	alias = strings.TrimSpace(alias)
	if fe := CheckAlias(alias); fe != nil {
		return "", fe, nil
	}
	domain = strings.ToLower(strings.TrimSpace(domain))
	var d Domain
	if err := db.WithContext(ctx).Where("name = ?", domain).First(&d).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return "", &FieldError{Key: "addr.error.domain"}, nil
		}
		return "", nil, fmt.Errorf("check domain: %w", err)
	}
	// The address is stored lower-case; a refusal names it as it was typed, as
	// Exchange's proxy-address message does.
	typed := alias + "@" + domain
	addr := storedAddress(typed)
	if _, fe := ParseForwardingAddress(addr); fe != nil {
		return "", &FieldError{Key: "addr.error.alias_invalid"}, nil
	}
	owner, err := s.addressOwner(ctx, db, addr)
	if err != nil {
		return "", nil, err
	}
	if owner == "" {
		if owner, err = upnHolderOf(db.WithContext(ctx), addr, self); err != nil {
			return "", nil, err
		}
	}
	if owner != "" {
		return "", takenError(typed, owner), nil
	}
	return addr, nil, nil
}

// freeAddress checks alias@domain, a new recipient's address, before a write
// transaction starts, so the check does not hold the write lock; inside it, the
// unique index and createRecipient or addAddress settle any race.
func (s *Store) freeAddress(ctx context.Context, alias, domain string) (string, error) {
	return s.freeAddressFor(ctx, alias, domain, 0)
}

// freeAddressFor is freeAddress for a new address of the recipient self, which may
// be its own person's username.
func (s *Store) freeAddressFor(ctx context.Context, alias, domain string, self uint) (string, error) {
	addr, fe, err := s.addressAvailableFor(ctx, alias, domain, self)
	if err != nil {
		return "", err
	}
	if fe != nil {
		return "", Invalid("alias", fe.Key, fe.Args)
	}
	return addr, nil
}

func takenError(addr, owner string) *FieldError {
	return &FieldError{Key: "addr.error.taken", Args: map[string]any{"Address": addr, "Owner": owner}}
}

// addressOwner returns the display name of the recipient that uses the address.
func (s *Store) addressOwner(ctx context.Context, db *gorm.DB, addr string) (string, error) {
	var names []string
	err := db.WithContext(ctx).Table("email_addresses e").Select("r.display_name").
		Joins("JOIN recipients r ON r.id = e.recipient_id").
		Where("e.normalized = ?", strings.ToLower(addr)).Limit(1).Pluck("r.display_name", &names).Error
	if err != nil {
		return "", fmt.Errorf("check address: %w", err)
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], nil
}

// addressTaken turns a write refused by the unique index on addresses into the
// proxy-address message on the alias field: someone took addr since it was checked.
func (s *Store) addressTaken(ctx context.Context, tx *gorm.DB, addr string, err error, what string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		owner, _ := s.addressOwner(ctx, tx, addr)
		return Invalid("alias", "addr.error.taken", takenError(addr, owner).Args)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// storedAddress is the one form an SMTP address is written in: trimmed and
// lower-case. Every writer of an address (a recipient's primary and proxy
// addresses, a contact's outside address, a forwarding address) stores this form;
// the alias as typed is kept apart, on the recipient, for display.
func storedAddress(addr string) string {
	return strings.ToLower(strings.TrimSpace(addr))
}

// aliasOf is the alias an address gives when none was typed: its part before the @,
// in the case it was typed.
func aliasOf(addr string) string {
	local, _, _ := strings.Cut(strings.TrimSpace(addr), "@")
	return local
}

// migrateAddresses runs once, on a database from before aliases were kept apart:
// each recipient's alias becomes the part of its primary address before the @, as
// it was typed, and then every address is stored lower-case. Two addresses that
// differ only in case cannot exist (the unique index has always been on the
// lower-case form), so lowering them never collides; forwarding addresses are not
// unique. The lower-case form is Go's (normalized, strings.ToLower), not SQL's
// lower(), which leaves non-ASCII letters alone in SQLite.
func migrateAddresses(db *gorm.DB, pg bool) error {
	local := "substr(e.address, 1, instr(e.address, '@') - 1)"
	if pg {
		local = "split_part(e.address, '@', 1)"
	}
	if err := db.Exec(`UPDATE recipients SET alias = COALESCE((SELECT ` + local + ` FROM email_addresses e
		WHERE e.recipient_id = recipients.id AND e.is_primary), '') WHERE alias = ''`).Error; err != nil {
		return fmt.Errorf("migrate: keep aliases: %w", err)
	}
	if err := db.Exec(`UPDATE email_addresses SET address = normalized WHERE address <> normalized`).Error; err != nil {
		return fmt.Errorf("migrate: lower-case addresses: %w", err)
	}
	var forwards []struct {
		ID                uint
		ForwardingAddress string
	}
	if err := db.Raw(`SELECT id, forwarding_address FROM mailboxes WHERE forwarding_address <> ''`).Scan(&forwards).Error; err != nil {
		return fmt.Errorf("migrate: lower-case forwarding addresses: %w", err)
	}
	for _, f := range forwards {
		if lower := storedAddress(f.ForwardingAddress); lower != f.ForwardingAddress {
			if err := db.Exec(`UPDATE mailboxes SET forwarding_address = ? WHERE id = ?`, lower, f.ID).Error; err != nil {
				return fmt.Errorf("migrate: lower-case forwarding addresses: %w", err)
			}
		}
	}
	return nil
}

// createRecipient creates a recipient of a kind (a person, a shared mailbox...) with
// its checked primary address (stored lower-case) and its alias as typed ("" takes
// the address's part before the @), indexed for search.
//
// A shared mailbox, mail contact or mail-enabled group gets a name no other
// recipient has (nameFree, on field "name"), as Exchange refuses a duplicate Name.
func (s *Store) createRecipient(ctx context.Context, tx *gorm.DB, kind RecipientKind, name, alias, addr string) (*Recipient, error) {
	if err := nameFree(tx, "name", kind, name, 0); err != nil {
		return nil, err
	}
	return s.insertRecipient(ctx, tx, kind, name, alias, addr)
}

// insertRecipient is createRecipient without the name rule, for the one surface
// that allows a name twice (Microsoft Graph: a group's displayName need not be
// unique).
func (s *Store) insertRecipient(ctx context.Context, tx *gorm.DB, kind RecipientKind, name, alias, addr string) (*Recipient, error) {
	if alias = strings.TrimSpace(alias); alias == "" {
		alias = aliasOf(addr)
	}
	addr = storedAddress(addr)
	if owner, err := upnHolder(tx, addr, 0); err != nil {
		return nil, err
	} else if owner != "" {
		return nil, Invalid("alias", "addr.error.taken", takenError(addr, owner).Args)
	}
	r := Recipient{Kind: kind, DisplayName: name, Alias: alias, SortName: sortName(name),
		Addresses: []EmailAddress{{Address: addr, Normalized: addr, IsPrimary: true}}}
	if err := tx.Create(&r).Error; err != nil {
		return nil, s.addressTaken(ctx, tx, addr, err, "create recipient")
	}
	if err := reindex(tx, r.ID); err != nil {
		return nil, err
	}
	return &r, nil
}

// RecipientByAddress returns the recipient that owns an address (primary or alias).
func (s *Store) RecipientByAddress(ctx context.Context, address string) (uint, error) {
	var e EmailAddress
	err := s.db.WithContext(ctx).Where("normalized = ?", strings.ToLower(strings.TrimSpace(address))).First(&e).Error
	if err != nil {
		return 0, notFound(err, "recipient")
	}
	return e.RecipientID, nil
}

// AddAlias gives a person another email address. Their username stays as it is.
func (s *Store) AddAlias(ctx context.Context, actor *Admin, userID uint, alias, domain string) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	var rid uint
	if err := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Pluck("recipient_id", &rid).Error; err != nil {
		return fmt.Errorf("load user: %w", err)
	}
	addr, err := s.freeAddressFor(ctx, alias, domain, rid)
	if err != nil {
		return err
	}
	return s.changePerson(ctx, actor, changeDetails, userID, func(tx *gorm.DB, u *User) error {
		return s.addAddress(ctx, tx, actor, u.RecipientID, personName(u), addr, "user.alias_add")
	})
}

// RemoveAlias takes an email address away; the primary address cannot be removed.
// The username, the person's sign-in name, is not an email address and stays.
func (s *Store) RemoveAlias(ctx context.Context, actor *Admin, userID uint, address string) error {
	return s.changePerson(ctx, actor, changeDetails, userID, func(tx *gorm.DB, u *User) error {
		return s.removeAddress(tx, actor, u.RecipientID, personName(u), address, "user.alias_remove")
	})
}

// SetPrimaryAddress makes one of a person's email addresses the primary one. Their
// username (sign-in name) does not change.
func (s *Store) SetPrimaryAddress(ctx context.Context, actor *Admin, userID uint, address string) error {
	return s.changePerson(ctx, actor, changeDetails, userID, func(tx *gorm.DB, u *User) error {
		return s.setPrimary(tx, actor, u.RecipientID, personName(u), address, "user.primary_address")
	})
}

// addAddress adds a checked address to a recipient; the unique index has the last
// word on uniqueness across every address of every recipient, and no other person
// may have it as their username.
func (s *Store) addAddress(ctx context.Context, tx *gorm.DB, actor *Admin, recipientID uint, target, addr, action string) error {
	addr = storedAddress(addr)
	if owner, err := upnHolderOf(tx, addr, recipientID); err != nil {
		return err
	} else if owner != "" {
		return Invalid("alias", "addr.error.taken", takenError(addr, owner).Args)
	}
	if err := tx.Create(&EmailAddress{RecipientID: recipientID, Address: addr, Normalized: addr}).Error; err != nil {
		return s.addressTaken(ctx, tx, addr, err, "add alias")
	}
	if err := indexAddress(tx, recipientID, addr); err != nil {
		return err
	}
	return s.audit(tx, actor, action, &recipientID, target, nil, map[string]any{"alias": addr})
}

// removeAddress removes a non-primary address of a recipient.
func (s *Store) removeAddress(tx *gorm.DB, actor *Admin, recipientID uint, target, address, action string) error {
	var e EmailAddress
	if err := tx.Where("recipient_id = ? AND normalized = ?", recipientID, strings.ToLower(address)).First(&e).Error; err != nil {
		return notFound(err, "alias")
	}
	if e.IsPrimary {
		return Invalid("alias", "addr.error.remove_primary", nil)
	}
	if err := tx.Delete(&e).Error; err != nil {
		return fmt.Errorf("remove alias: %w", err)
	}
	if err := reindex(tx, recipientID); err != nil {
		return err
	}
	return s.audit(tx, actor, action, &recipientID, target, map[string]any{"alias": e.Address}, nil)
}

// setPrimary makes one of a recipient's addresses the primary one. It changes no
// one's username.
func (s *Store) setPrimary(tx *gorm.DB, actor *Admin, recipientID uint, target, address, action string) error {
	var e EmailAddress
	if err := tx.Where("recipient_id = ? AND normalized = ?", recipientID, strings.ToLower(address)).First(&e).Error; err != nil {
		return notFound(err, "address")
	}
	if e.IsPrimary {
		return nil
	}
	var old []string
	if err := tx.Model(&EmailAddress{}).Where("recipient_id = ? AND is_primary", recipientID).Pluck("address", &old).Error; err != nil {
		return fmt.Errorf("set primary: %w", err)
	}
	if err := tx.Model(&EmailAddress{}).Where("recipient_id = ?", recipientID).Update("is_primary", false).Error; err != nil {
		return fmt.Errorf("set primary: %w", err)
	}
	if err := tx.Model(&e).Update("is_primary", true).Error; err != nil {
		return fmt.Errorf("set primary: %w", err)
	}
	return s.audit(tx, actor, action, &recipientID, target, map[string]any{"address": old}, map[string]any{"address": e.Address})
}

// AliasFromName makes the part before the @ from a display name, as the admin center
// does when a name is typed: lower case, accents dropped, spaces and punctuation
// removed (dots, hyphens and underscores kept, but not at the ends).
func AliasFromName(name string) string {
	plain := AliasLikeFold(name)
	var b strings.Builder
	for _, r := range strings.ToLower(plain) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ø':
			b.WriteRune('o')
		case r == 'æ':
			b.WriteString("ae")
		case r == '.' || r == '-' || r == '_':
			b.WriteRune(r)
		}
	}
	alias := b.String()
	for strings.Contains(alias, "..") {
		alias = strings.ReplaceAll(alias, "..", ".")
	}
	alias = strings.Trim(alias, ".-_")
	if len(alias) > 64 {
		alias = strings.Trim(alias[:64], ".-_")
	}
	return alias
}

// AliasLikeFold removes the diacritics of a text (é to e), keeping everything else.
func AliasLikeFold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	plain, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return plain
}

// SuggestAlias returns a free alias for the name on the domain: the alias from the
// name, or with 2, 3 ... appended when it is taken.
func (s *Store) SuggestAlias(ctx context.Context, name, domain string) (string, error) {
	base := AliasFromName(name)
	if base == "" {
		return "", nil
	}
	for i := 1; i < 1000; i++ {
		alias := base
		if i > 1 {
			alias = fmt.Sprintf("%s%d", base, i)
		}
		_, fe, err := s.AddressAvailable(ctx, alias, domain)
		if err != nil {
			return "", err
		}
		if fe == nil || fe.Key != "addr.error.taken" {
			return alias, nil
		}
	}
	return base, nil
}
