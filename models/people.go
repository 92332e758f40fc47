package models

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// RestoreWindow is how long a deleted user can be restored.
const RestoreWindow = 30 * 24 * time.Hour

// The password rules of the admin center: 8 to 256 characters, with at least three
// of lower case, upper case, digits and symbols.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// CheckPassword applies the password strength rules.
func CheckPassword(pw string) *FieldError {
	if len(pw) < MinPasswordLength || len(pw) > MaxPasswordLength {
		return &FieldError{Key: "pw.error.length", Args: map[string]any{"Min": MinPasswordLength, "Max": MaxPasswordLength}}
	}
	var lower, upper, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			symbol = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, symbol} {
		if b {
			n++
		}
	}
	if n < 3 {
		return &FieldError{Key: "pw.error.weak"}
	}
	return nil
}

// GeneratePassword makes a strong password that is easy to read out and type.
func GeneratePassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for {
		var b strings.Builder
		for i := 0; i < 16; i++ {
			if i > 0 && i%4 == 0 {
				b.WriteByte('-')
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			if err != nil {
				return "", fmt.Errorf("generate password: %w", err)
			}
			b.WriteByte(alphabet[n.Int64()])
		}
		if pw := b.String(); CheckPassword(pw) == nil && strings.ContainsAny(pw, "23456789") {
			return pw, nil
		}
	}
}

// CheckAlias applies the rules for the part of an address before the @.
func CheckAlias(alias string) *FieldError {
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

// AddressAvailable checks that alias@domain is a well-formed address in an accepted
// domain that no recipient uses, primary or alias, in any case. A taken address gets
// the real product's proxy-address message.
func (s *Store) AddressAvailable(ctx context.Context, alias, domain string) (string, *FieldError, error) {
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
	addr := alias + "@" + domain
	if _, fe := ParseForwardingAddress(addr); fe != nil {
		return "", &FieldError{Key: "addr.error.alias_invalid"}, nil
	}
	owner, err := s.addressOwner(ctx, db, addr)
	if err != nil {
		return "", nil, err
	}
	if owner != "" {
		return "", takenError(addr, owner), nil
	}
	return addr, nil, nil
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

// LicenseUsage is a license product with how many of its seats are in use.
type LicenseUsage struct {
	ID              uint
	SKU             string
	Name            string
	IncludesMailbox bool
	Seats           int
	Assigned        int
}

// Available is how many seats are left.
func (l LicenseUsage) Available() int { return max(l.Seats-l.Assigned, 0) }

// Licenses lists the organization's license products with their seat use: the
// licenses of each product counted in one pass, less those of deleted people (few,
// found from the people's side).
func (s *Store) Licenses(ctx context.Context) ([]LicenseUsage, error) {
	out, err := s.LicenseProducts(ctx)
	if err != nil {
		return nil, err
	}
	type count struct {
		LicenseProductID uint
		N                int
	}
	var all, deleted []count
	db := s.db.WithContext(ctx)
	if err := db.Raw(`SELECT license_product_id, COUNT(*) AS n FROM user_licenses GROUP BY license_product_id`).
		Scan(&all).Error; err != nil {
		return nil, fmt.Errorf("count licenses: %w", err)
	}
	if err := db.Raw(`SELECT ul.license_product_id, COUNT(*) AS n FROM users u
		CROSS JOIN user_licenses ul -- in this order: from the few deleted people
		WHERE u.deleted_at IS NOT NULL AND ul.user_id = u.id GROUP BY ul.license_product_id`).
		Scan(&deleted).Error; err != nil {
		return nil, fmt.Errorf("count licenses: %w", err)
	}
	assigned := map[uint]int{}
	for _, c := range all {
		assigned[c.LicenseProductID] += c.N
	}
	for _, c := range deleted {
		assigned[c.LicenseProductID] -= c.N
	}
	for i := range out {
		out[i].Assigned = assigned[out[i].ID]
	}
	return out, nil
}

// LicenseProducts lists the products by name, without counting seats, for menus.
func (s *Store) LicenseProducts(ctx context.Context) ([]LicenseUsage, error) {
	var out []LicenseUsage
	if err := s.db.WithContext(ctx).Model(&LicenseProduct{}).Select("id, sku, name, includes_mailbox, seats").
		Order("name").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list licenses: %w", err)
	}
	return out, nil
}

// NewUser is the Add a user form.
type NewUser struct {
	FirstName   string
	LastName    string
	DisplayName string
	Alias       string
	Domain      string
	// Password is used when not empty; otherwise one is generated and returned.
	Password   string
	MustChange bool
	LicenseIDs []uint
	JobTitle   string
	Department string
}

// MaxNameLength bounds names and contact fields.
const MaxNameLength = 256

func checkNames(ve *ValidationError, first, last, display, job, dept string) {
	if strings.TrimSpace(display) == "" {
		ve.Add("display_name", "user.error.display_name_required", nil)
	}
	for field, v := range map[string]string{"first_name": first, "last_name": last, "display_name": display, "job_title": job, "department": dept} {
		if len(v) > MaxNameLength {
			ve.Add(field, "user.error.too_long", map[string]any{"Max": MaxNameLength})
		}
	}
}

// CreateUser adds a person: account, primary address, licenses, and a mailbox when
// a license includes one. It returns the new user's id and the password to hand out.
func (s *Store) CreateUser(ctx context.Context, actor *Admin, req NewUser) (uint, string, error) {
	if !actor.Can(ActionManageUsers) {
		return 0, "", ErrForbidden
	}
	ve := &ValidationError{}
	req.FirstName, req.LastName = strings.TrimSpace(req.FirstName), strings.TrimSpace(req.LastName)
	req.DisplayName = strings.TrimSpace(req.DisplayName)
	req.JobTitle, req.Department = strings.TrimSpace(req.JobTitle), strings.TrimSpace(req.Department)
	checkNames(ve, req.FirstName, req.LastName, req.DisplayName, req.JobTitle, req.Department)
	addr, fe, err := s.AddressAvailable(ctx, req.Alias, req.Domain)
	if err != nil {
		return 0, "", err
	}
	if fe != nil {
		ve.Add("alias", fe.Key, fe.Args)
	}
	password := req.Password
	if password == "" {
		if password, err = GeneratePassword(); err != nil {
			return 0, "", err
		}
	} else if fe := CheckPassword(password); fe != nil {
		ve.Add("password", fe.Key, fe.Args)
	}
	if err := ve.OrNil(); err != nil {
		return 0, "", err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return 0, "", err
	}
	var id uint
	err = s.write(ctx, func(tx *gorm.DB) error {
		products, err := s.checkSeats(tx, sortedSet(req.LicenseIDs), nil)
		if err != nil {
			return err
		}
		r := Recipient{Kind: KindUser, DisplayName: req.DisplayName, SortName: sortName(req.DisplayName),
			Addresses: []EmailAddress{{Address: addr, Normalized: strings.ToLower(addr), IsPrimary: true}}}
		if err := tx.Create(&r).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				owner, _ := s.addressOwner(ctx, tx, addr)
				return (&ValidationError{}).Add("alias", "addr.error.taken", takenError(addr, owner).Args)
			}
			return fmt.Errorf("create recipient: %w", err)
		}
		if err := reindex(tx, r.ID); err != nil {
			return err
		}
		u := User{RecipientID: r.ID, SortName: r.SortName, FirstName: req.FirstName, LastName: req.LastName, JobTitle: req.JobTitle,
			Department: req.Department, PasswordHash: hash, MustChangePassword: req.MustChange, Licenses: products}
		if err := tx.Omit("Licenses.*").Create(&u).Error; err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if err := linkTerms(tx, r.ID); err != nil {
			return err
		}
		if slices.ContainsFunc(products, func(p LicenseProduct) bool { return p.IncludesMailbox }) {
			if err := tx.Create(&Mailbox{RecipientID: r.ID, Type: MailboxUser, QuotaBytes: 50 * GB, AutoReplyState: AutoReplyDisabled}).Error; err != nil {
				return fmt.Errorf("create mailbox: %w", err)
			}
		}
		id = u.ID
		names := make([]string, len(products))
		for i, p := range products {
			names[i] = p.Name
		}
		return s.audit(tx, actor, "user.create", &r.ID, req.DisplayName, nil,
			map[string]any{"username": addr, "licenses": names, "job_title": req.JobTitle, "department": req.Department})
	})
	s.forget()
	if err != nil {
		return 0, "", err
	}
	return id, password, nil
}

// checkSeats loads the products and refuses one without a seat left for the users
// who do not hold it yet (holders lists who already holds which product).
func (s *Store) checkSeats(tx *gorm.DB, ids []uint, newHolders map[uint]int) ([]LicenseProduct, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var products []LicenseProduct
	if err := tx.Where("id IN ?", ids).Order("name").Find(&products).Error; err != nil {
		return nil, fmt.Errorf("load licenses: %w", err)
	}
	if len(products) != len(ids) {
		return nil, Invalid("licenses", "lic.error.unknown", nil)
	}
	for _, p := range products {
		var assigned int64
		if err := tx.Table("user_licenses ul").Joins("JOIN users u ON u.id = ul.user_id").
			Where("ul.license_product_id = ? AND u.deleted_at IS NULL", p.ID).Count(&assigned).Error; err != nil {
			return nil, fmt.Errorf("count seats: %w", err)
		}
		need := 1
		if newHolders != nil {
			need = newHolders[p.ID]
		}
		if int(assigned)+need > p.Seats {
			return nil, Invalid("licenses", "lic.error.no_seats", map[string]any{"Product": p.Name, "Seats": p.Seats})
		}
	}
	return products, nil
}

// Consequences is what a change to a person stops or affects, for the confirmation.
type Consequences struct {
	// ForwardingTo is set when mail is forwarded and the change stops it.
	ForwardingTo string
	// MailboxKept is set when the mailbox loses its license (kept for 30 days).
	MailboxKept bool
	// HeldOnOthers are the permissions the person holds on other mailboxes.
	HeldOnOthers []Access
	// OthersOnTheirs are the holders of rights on the person's mailbox.
	OthersOnTheirs []Holder
}

// Any reports whether there is something to confirm.
func (c *Consequences) Any() bool {
	return c != nil && (c.ForwardingTo != "" || c.MailboxKept || len(c.HeldOnOthers) > 0 || len(c.OthersOnTheirs) > 0)
}

// LicenseChangeConsequences says what setting a person's licenses to productIDs
// stops: forwarding and the mailbox's license, when no remaining product includes one.
func (s *Store) LicenseChangeConsequences(ctx context.Context, userID uint, productIDs []uint) (*Consequences, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	had := u.HasMailboxLicense()
	var keep int64
	if len(productIDs) > 0 {
		if err := s.db.WithContext(ctx).Model(&LicenseProduct{}).Where("id IN ? AND includes_mailbox", productIDs).Count(&keep).Error; err != nil {
			return nil, fmt.Errorf("check licenses: %w", err)
		}
	}
	c := &Consequences{}
	if had && keep == 0 && u.Mailbox != nil {
		c.MailboxKept = true
		if u.Mailbox.ForwardingAddress != "" && u.Mailbox.ForwardingStopped == "" {
			c.ForwardingTo = u.Mailbox.ForwardingAddress
		}
	}
	return c, nil
}

// PersonConsequences says what blocking or deleting a person affects.
func (s *Store) PersonConsequences(ctx context.Context, userID uint, deleting bool) (*Consequences, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	c := &Consequences{}
	if u.Mailbox != nil && u.Mailbox.ForwardingAddress != "" && u.Mailbox.ForwardingStopped == "" {
		c.ForwardingTo = u.Mailbox.ForwardingAddress
	}
	if !deleting {
		return c, nil
	}
	c.MailboxKept = u.Mailbox != nil
	if c.HeldOnOthers, err = s.AccessibleMailboxes(ctx, u.RecipientID); err != nil {
		return nil, err
	}
	if u.Mailbox != nil {
		acc, err := s.MailboxAccess(ctx, u.Mailbox.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range Rights {
			c.OthersOnTheirs = append(c.OthersOnTheirs, acc.Direct(r)...)
		}
	}
	return c, nil
}

// stopForwarding marks an active forward as stopped for a reason.
func stopForwarding(tx *gorm.DB, recipientID uint, reason string) error {
	err := tx.Model(&Mailbox{}).Where("recipient_id = ? AND forwarding_address <> '' AND forwarding_stopped = ''", recipientID).
		Updates(map[string]any{"forwarding_stopped": reason, "version": gorm.Expr("version + 1")}).Error
	if err != nil {
		return fmt.Errorf("stop forwarding: %w", err)
	}
	return nil
}

// ErrNeedsConfirmation is returned when a change has consequences the admin has not
// confirmed yet.
var ErrNeedsConfirmation = errors.New("the change needs confirmation")

// SetLicenses sets exactly which products a person has. Adding needs a free seat;
// removing the last product with a mailbox stops forwarding and needs confirm when
// that has consequences. A mailbox is created when a product with one is assigned.
func (s *Store) SetLicenses(ctx context.Context, actor *Admin, userID uint, productIDs []uint, confirm bool) error {
	if !actor.Can(ActionManageLicenses) {
		return ErrForbidden
	}
	productIDs = sortedSet(productIDs)
	cons, err := s.LicenseChangeConsequences(ctx, userID, productIDs)
	if err != nil {
		return err
	}
	if cons.Any() && !confirm {
		return ErrNeedsConfirmation
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Preload("Licenses").Preload("Recipient").First(&u, userID).Error; err != nil {
			return notFound(err, "user")
		}
		var added []uint
		for _, id := range productIDs {
			if !slices.ContainsFunc(u.Licenses, func(l LicenseProduct) bool { return l.ID == id }) {
				added = append(added, id)
			}
		}
		need := map[uint]int{}
		for _, id := range added {
			need[id] = 1
		}
		if _, err := s.checkSeats(tx, added, need); err != nil {
			return err
		}
		products, err := s.checkSeats(tx, productIDs, map[uint]int{})
		if err != nil {
			return err
		}
		before := licenseNames(u.Licenses)
		if err := tx.Model(&u).Omit("Licenses.*").Association("Licenses").Replace(products); err != nil {
			return fmt.Errorf("set licenses: %w", err)
		}
		hasMailboxLicense := slices.ContainsFunc(products, func(p LicenseProduct) bool { return p.IncludesMailbox })
		if hasMailboxLicense {
			var n int64
			if err := tx.Model(&Mailbox{}).Where("recipient_id = ?", u.RecipientID).Count(&n).Error; err != nil {
				return fmt.Errorf("check mailbox: %w", err)
			}
			if n == 0 {
				if err := tx.Create(&Mailbox{RecipientID: u.RecipientID, Type: MailboxUser, QuotaBytes: 50 * GB, AutoReplyState: AutoReplyDisabled}).Error; err != nil {
					return fmt.Errorf("create mailbox: %w", err)
				}
			}
		} else if cons.MailboxKept {
			if err := stopForwarding(tx, u.RecipientID, StoppedLicenseRemoved); err != nil {
				return err
			}
		}
		return s.audit(tx, actor, "user.licenses", &u.RecipientID, u.Recipient.DisplayName,
			map[string]any{"licenses": before}, map[string]any{"licenses": licenseNames(products)})
	})
}

func licenseNames(ps []LicenseProduct) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// loadTarget loads the user an admin acts on, with roles, for the rules below.
func (s *Store) loadTarget(tx *gorm.DB, userID uint) (*User, error) {
	var u User
	if err := tx.Preload("Roles").Preload("Recipient.Addresses", "is_primary = ?", true).First(&u, userID).Error; err != nil {
		return nil, notFound(err, "user")
	}
	return &u, nil
}

func primaryAddress(u *User) string {
	if len(u.Recipient.Addresses) > 0 {
		return u.Recipient.Addresses[0].Address
	}
	return u.Recipient.DisplayName
}

// PersonRights says which actions an admin may take on one person.
type PersonRights struct {
	Block    bool
	Reset    bool
	Delete   bool
	Edit     bool
	Licenses bool
	Roles    bool
}

// RightsOn applies the role rules to a person with the given admin roles: Helpdesk
// administrators block and reset passwords only of people without admin roles, and
// only a Global administrator resets, deletes or changes a Global administrator.
func RightsOn(actor *Admin, targetRoles []Role) PersonRights {
	isAdmin := len(targetRoles) > 0
	isGlobal := slices.Contains(targetRoles, RoleGlobalAdmin)
	return PersonRights{
		Block:    actor.Can(ActionBlockSignIn) && (!isAdmin || actor.Can(ActionManageUsers)) && (!isGlobal || actor.Can(ActionManageRoles)),
		Reset:    actor.Can(ActionResetPassword) && (!isAdmin || actor.Can(ActionManageUsers)) && (!isGlobal || actor.Can(ActionManageRoles)),
		Delete:   actor.Can(ActionManageUsers) && (!isGlobal || actor.Can(ActionManageRoles)),
		Edit:     actor.Can(ActionManageUsers) && (!isGlobal || actor.Can(ActionManageRoles)),
		Licenses: actor.Can(ActionManageLicenses),
		Roles:    actor.Can(ActionManageRoles),
	}
}

func rolesOf(u *User) []Role {
	out := make([]Role, len(u.Roles))
	for i, ra := range u.Roles {
		out[i] = ra.Role
	}
	return out
}

// isLastGlobalAdmin reports whether the user is the only active Global administrator.
func isLastGlobalAdmin(tx *gorm.DB, userID uint) (bool, error) {
	var others int64
	err := tx.Table("role_assignments ra").Joins("JOIN users u ON u.id = ra.user_id").
		Where("ra.role = ? AND ra.user_id <> ? AND u.deleted_at IS NULL AND NOT u.sign_in_blocked", RoleGlobalAdmin, userID).
		Count(&others).Error
	if err != nil {
		return false, fmt.Errorf("count global admins: %w", err)
	}
	var self int64
	if err := tx.Model(&RoleAssignment{}).Where("user_id = ? AND role = ?", userID, RoleGlobalAdmin).Count(&self).Error; err != nil {
		return false, fmt.Errorf("check role: %w", err)
	}
	return self > 0 && others == 0, nil
}

// SetSignInBlocked blocks or unblocks a person's sign-in. Blocking ends their
// sessions and stops forwarding (confirm when it is on); the last Global
// administrator cannot be blocked.
func (s *Store) SetSignInBlocked(ctx context.Context, actor *Admin, userID uint, blocked, confirm bool) error {
	if !actor.Can(ActionBlockSignIn) {
		return ErrForbidden
	}
	if blocked {
		cons, err := s.PersonConsequences(ctx, userID, false)
		if err != nil {
			return err
		}
		if cons.Any() && !confirm {
			return ErrNeedsConfirmation
		}
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		u, err := s.loadTarget(tx, userID)
		if err != nil {
			return err
		}
		if !RightsOn(actor, rolesOf(u)).Block {
			return ErrForbidden
		}
		if u.SignInBlocked == blocked {
			return nil
		}
		if blocked {
			if last, err := isLastGlobalAdmin(tx, userID); err != nil {
				return err
			} else if last {
				return Invalid("", "roles.error.last_global_block", nil)
			}
			if err := stopForwarding(tx, u.RecipientID, StoppedBlocked); err != nil {
				return err
			}
			if err := tx.Delete(&Session{}, "user_id = ?", userID).Error; err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		if err := tx.Model(u).Update("sign_in_blocked", blocked).Error; err != nil {
			return fmt.Errorf("block sign-in: %w", err)
		}
		return s.audit(tx, actor, "user.sign_in_blocked", &u.RecipientID, primaryAddress(u),
			map[string]any{"blocked": !blocked}, map[string]any{"blocked": blocked})
	})
}

// ResetPassword sets a new password (generated when empty) and returns it, to be
// shown once. The person's sessions end.
func (s *Store) ResetPassword(ctx context.Context, actor *Admin, userID uint, password string, mustChange bool) (string, error) {
	if !actor.Can(ActionResetPassword) {
		return "", ErrForbidden
	}
	var err error
	if password == "" {
		if password, err = GeneratePassword(); err != nil {
			return "", err
		}
	} else if fe := CheckPassword(password); fe != nil {
		return "", (&ValidationError{}).Add("password", fe.Key, fe.Args)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		u, err := s.loadTarget(tx, userID)
		if err != nil {
			return err
		}
		if !RightsOn(actor, rolesOf(u)).Reset {
			return ErrForbidden
		}
		if err := tx.Model(u).Updates(map[string]any{"password_hash": hash, "must_change_password": mustChange}).Error; err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		if err := tx.Delete(&Session{}, "user_id = ?", userID).Error; err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return s.audit(tx, actor, "user.password_reset", &u.RecipientID, primaryAddress(u), nil, map[string]any{"must_change": mustChange})
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

func hasRole(u *User, r Role) bool {
	return slices.ContainsFunc(u.Roles, func(ra RoleAssignment) bool { return ra.Role == r })
}

// DeleteUser deletes a person: sign-in ends, forwarding stops, the mailbox and the
// permissions are kept for 30 days so the person can be restored. The last Global
// administrator, and the acting admin, cannot be deleted.
func (s *Store) DeleteUser(ctx context.Context, actor *Admin, userID uint) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	defer s.forget()
	return s.write(ctx, func(tx *gorm.DB) error {
		u, err := s.loadTarget(tx, userID)
		if err != nil {
			return err
		}
		if !RightsOn(actor, rolesOf(u)).Delete {
			return ErrForbidden
		}
		if u.ID == actor.UserID {
			return Invalid("", "user.error.delete_self", nil)
		}
		if last, err := isLastGlobalAdmin(tx, userID); err != nil {
			return err
		} else if last {
			return Invalid("", "roles.error.last_global_delete", nil)
		}
		if err := stopForwarding(tx, u.RecipientID, StoppedDeleted); err != nil {
			return err
		}
		if err := tx.Delete(&Session{}, "user_id = ?", userID).Error; err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		if err := tx.Delete(u).Error; err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		if err := linkTerms(tx, u.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "user.delete", &u.RecipientID, primaryAddress(u), map[string]any{"username": primaryAddress(u)}, nil)
	})
}

// DeletedUser is one line of Deleted users.
type DeletedUser struct {
	ID          uint
	DisplayName string
	Username    string
	DeletedAt   time.Time
}

// PurgeAt is when the person can no longer be restored.
func (d DeletedUser) PurgeAt() time.Time { return d.DeletedAt.Add(RestoreWindow) }

// DeletedUsers lists the people deleted in the last 30 days.
func (s *Store) DeletedUsers(ctx context.Context) ([]DeletedUser, error) {
	var out []DeletedUser
	err := s.db.WithContext(ctx).Unscoped().Table("users").
		Select(`users.id, r.display_name, users.deleted_at,
			(SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary) AS username`).
		Joins("JOIN recipients r ON r.id = users.recipient_id").
		Where("users.deleted_at IS NOT NULL AND users.deleted_at > ?", s.Now().Add(-RestoreWindow)).
		Order("users.deleted_at DESC").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list deleted users: %w", err)
	}
	return out, nil
}

// RestoreUser brings back a person deleted in the last 30 days, with their mailbox,
// addresses and permissions. Forwarding stays stopped until an admin turns it on.
func (s *Store) RestoreUser(ctx context.Context, actor *Admin, userID uint) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	defer s.forget()
	return s.write(ctx, func(tx *gorm.DB) error {
		var u User
		err := tx.Unscoped().Preload("Recipient.Addresses", "is_primary = ?", true).
			Where("id = ? AND deleted_at IS NOT NULL AND deleted_at > ?", userID, s.Now().Add(-RestoreWindow)).First(&u).Error
		if err != nil {
			return notFound(err, "deleted user")
		}
		if err := tx.Unscoped().Model(&u).Update("deleted_at", nil).Error; err != nil {
			return fmt.Errorf("restore user: %w", err)
		}
		if err := linkTerms(tx, u.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "user.restore", &u.RecipientID, primaryAddress(&u), nil, map[string]any{"username": primaryAddress(&u)})
	})
}

// purgeBatch bounds how many people one purge transaction removes.
const purgeBatch = 200

// PurgeDeletedUsers removes for good the people deleted more than RestoreWindow ago,
// as Microsoft 365 does after 30 days: the account with its licenses and roles, the
// mailbox with the permissions on it, the person's own permissions on other
// mailboxes and group memberships. Their addresses become free to use again. The
// audit log keeps their history. It returns how many people it removed.
func (s *Store) PurgeDeletedUsers(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.write(ctx, func(tx *gorm.DB) error {
			n = 0
			var us []User
			if err := tx.Unscoped().Preload("Recipient.Addresses", "is_primary = ?", true).
				Where("deleted_at IS NOT NULL AND deleted_at <= ?", s.Now().Add(-RestoreWindow)).
				Order("id").Limit(purgeBatch).Find(&us).Error; err != nil {
				return fmt.Errorf("find people to purge: %w", err)
			}
			for i := range us {
				if err := purgeUser(tx, &us[i]); err != nil {
					return err
				}
				if err := s.audit(tx, nil, "user.purge", nil, primaryAddress(&us[i]),
					map[string]any{"username": primaryAddress(&us[i]), "deleted": us[i].DeletedAt.Time.Format(time.RFC3339)}, nil); err != nil {
					return err
				}
			}
			n = len(us)
			return nil
		})
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}

// purgeUser deletes one person: their sessions, roles, licenses and account, then
// their recipient with everything that hangs on it.
func purgeUser(tx *gorm.DB, u *User) error {
	if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("purge sessions: %w", err)
	}
	if err := tx.Where("user_id = ?", u.ID).Delete(&RoleAssignment{}).Error; err != nil {
		return fmt.Errorf("purge roles: %w", err)
	}
	if err := tx.Exec("DELETE FROM user_licenses WHERE user_id = ?", u.ID).Error; err != nil {
		return fmt.Errorf("purge licenses: %w", err)
	}
	if err := tx.Unscoped().Delete(&User{}, u.ID).Error; err != nil {
		return fmt.Errorf("purge account: %w", err)
	}
	return deleteRecipient(tx, u.RecipientID)
}

// Contact is the Manage contact information form.
type Contact struct {
	FirstName   string
	LastName    string
	DisplayName string
	JobTitle    string
	Department  string
	Version     int
}

// UserVersion returns the version a contact form must be based on.
func (s *Store) UserVersion(ctx context.Context, userID uint) (int, error) {
	var u User
	if err := s.db.WithContext(ctx).Select("version").First(&u, userID).Error; err != nil {
		return 0, notFound(err, "user")
	}
	return u.Version, nil
}

// UpdateContact changes a person's names and contact details; a form based on an
// older version is refused.
func (s *Store) UpdateContact(ctx context.Context, actor *Admin, userID uint, c Contact) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	c.FirstName, c.LastName, c.DisplayName = strings.TrimSpace(c.FirstName), strings.TrimSpace(c.LastName), strings.TrimSpace(c.DisplayName)
	c.JobTitle, c.Department = strings.TrimSpace(c.JobTitle), strings.TrimSpace(c.Department)
	ve := &ValidationError{}
	checkNames(ve, c.FirstName, c.LastName, c.DisplayName, c.JobTitle, c.Department)
	if err := ve.OrNil(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		u, err := s.loadTarget(tx, userID)
		if err != nil {
			return err
		}
		if !RightsOn(actor, rolesOf(u)).Edit {
			return ErrForbidden
		}
		before := Contact{u.FirstName, u.LastName, u.Recipient.DisplayName, u.JobTitle, u.Department, u.Version}
		res := tx.Model(&User{}).Where("id = ? AND version = ?", userID, c.Version).Updates(map[string]any{
			"first_name": c.FirstName, "last_name": c.LastName, "job_title": c.JobTitle, "department": c.Department,
			"sort_name": sortName(c.DisplayName),
			"version":   gorm.Expr("version + 1"),
		})
		if res.Error != nil {
			return fmt.Errorf("update contact: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		if err := tx.Model(&Recipient{}).Where("id = ?", u.RecipientID).
			Updates(map[string]any{"display_name": c.DisplayName, "sort_name": sortName(c.DisplayName)}).Error; err != nil {
			return fmt.Errorf("rename: %w", err)
		}
		if err := reindex(tx, u.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "user.contact", &u.RecipientID, primaryAddress(u), before, c)
	})
}

// AddAlias gives a person another address.
func (s *Store) AddAlias(ctx context.Context, actor *Admin, userID uint, alias, domain string) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	addr, err := s.freeAddress(ctx, alias, domain)
	if err != nil {
		return err
	}
	return s.personAddresses(ctx, actor, userID, func(tx *gorm.DB, u *User) error {
		return s.addAddress(ctx, tx, actor, u.RecipientID, primaryAddress(u), addr, "user.alias_add")
	})
}

// freeAddress checks alias@domain before a write transaction starts, so the check
// does not hold the write lock; the unique index settles any race inside it.
func (s *Store) freeAddress(ctx context.Context, alias, domain string) (string, error) {
	addr, fe, err := s.AddressAvailable(ctx, alias, domain)
	if err != nil {
		return "", err
	}
	if fe != nil {
		return "", (&ValidationError{}).Add("alias", fe.Key, fe.Args)
	}
	return addr, nil
}

// RemoveAlias takes an alias away; the primary address (the username) cannot be removed.
func (s *Store) RemoveAlias(ctx context.Context, actor *Admin, userID uint, address string) error {
	return s.personAddresses(ctx, actor, userID, func(tx *gorm.DB, u *User) error {
		return s.removeAddress(tx, actor, u.RecipientID, primaryAddress(u), address, "user.alias_remove")
	})
}

// SetPrimaryAddress makes one of a person's addresses the primary one, which is also
// their username.
func (s *Store) SetPrimaryAddress(ctx context.Context, actor *Admin, userID uint, address string) error {
	return s.personAddresses(ctx, actor, userID, func(tx *gorm.DB, u *User) error {
		return s.setPrimary(tx, actor, u.RecipientID, primaryAddress(u), address, "user.primary_address")
	})
}

// personAddresses runs a change to a person's addresses in a transaction, after the
// role checks.
func (s *Store) personAddresses(ctx context.Context, actor *Admin, userID uint, change func(*gorm.DB, *User) error) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		u, err := s.loadTarget(tx, userID)
		if err != nil {
			return err
		}
		if !RightsOn(actor, rolesOf(u)).Edit {
			return ErrForbidden
		}
		return change(tx, u)
	})
}

// addAddress adds a checked address to a recipient; the unique index has the last
// word on uniqueness across every address of every recipient.
func (s *Store) addAddress(ctx context.Context, tx *gorm.DB, actor *Admin, recipientID uint, target, addr, action string) error {
	if err := tx.Create(&EmailAddress{RecipientID: recipientID, Address: addr, Normalized: strings.ToLower(addr)}).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			owner, _ := s.addressOwner(ctx, tx, addr)
			return (&ValidationError{}).Add("alias", "addr.error.taken", takenError(addr, owner).Args)
		}
		return fmt.Errorf("add alias: %w", err)
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

// setPrimary makes one of a recipient's addresses the primary one.
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

// SetRoles sets exactly which admin roles a person holds. Only a Global
// administrator may; the last Global administrator keeps the role. A person who
// loses every role is signed out everywhere.
func (s *Store) SetRoles(ctx context.Context, actor *Admin, userID uint, roles []Role) error {
	if !actor.Can(ActionManageRoles) {
		return ErrForbidden
	}
	for _, r := range roles {
		if !r.Valid() {
			return Invalid("roles", "roles.error.unknown", nil)
		}
	}
	roles = sortedSet(roles)
	return s.write(ctx, func(tx *gorm.DB) error {
		u, err := s.loadTarget(tx, userID)
		if err != nil {
			return err
		}
		if hasRole(u, RoleGlobalAdmin) && !slices.Contains(roles, RoleGlobalAdmin) {
			if last, err := isLastGlobalAdmin(tx, userID); err != nil {
				return err
			} else if last {
				return Invalid("roles", "roles.error.last_global", nil)
			}
		}
		var before []Role
		for _, ra := range u.Roles {
			before = append(before, ra.Role)
		}
		if err := tx.Where("user_id = ?", userID).Delete(&RoleAssignment{}).Error; err != nil {
			return fmt.Errorf("clear roles: %w", err)
		}
		for _, r := range roles {
			if err := tx.Create(&RoleAssignment{UserID: userID, Role: r, AssignedAt: s.Now()}).Error; err != nil {
				return fmt.Errorf("assign role: %w", err)
			}
		}
		removed := slices.ContainsFunc(before, func(r Role) bool { return !slices.Contains(roles, r) })
		if removed {
			// Roles are read on every request, but a person who lost one is signed out
			// everywhere so no page rendered with the old role lingers.
			if err := tx.Delete(&Session{}, "user_id = ?", userID).Error; err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		return s.audit(tx, actor, "user.roles", &u.RecipientID, primaryAddress(u), map[string]any{"roles": before}, map[string]any{"roles": roles})
	})
}

// UsersByID returns list rows for the given people, sorted by name.
func (s *Store) UsersByID(ctx context.Context, ids []uint) ([]UserRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var raw []struct {
		ID            uint
		DisplayName   string
		Username      string
		SignInBlocked bool
	}
	err := s.db.WithContext(ctx).Table("users").
		Select(`users.id, r.display_name, users.sign_in_blocked,
			(SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary) AS username`).
		Joins("JOIN recipients r ON r.id = users.recipient_id").
		Where("users.id IN ? AND users.deleted_at IS NULL", ids).Order("r.sort_name, users.id").Scan(&raw).Error
	if err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	if len(raw) == 0 {
		return nil, nil
	}
	rows := make([]UserRow, len(raw))
	for i, r := range raw {
		rows[i] = UserRow{ID: r.ID, DisplayName: r.DisplayName, Username: r.Username, SignInBlocked: r.SignInBlocked}
	}
	lic, err := s.licenseNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Licenses = lic[rows[i].ID]
	}
	return rows, nil
}

// BulkConsequence is what a bulk action stops for one person.
type BulkConsequence struct {
	Name         string
	ForwardingTo string
}

// BulkConsequences lists the people whose forwarding a bulk action would stop.
func (s *Store) BulkConsequences(ctx context.Context, ids []uint, action string, lic *LicenseUsage) ([]BulkConsequence, error) {
	var out []BulkConsequence
	for _, id := range ids {
		var c *Consequences
		var err error
		switch action {
		case "block", "delete":
			c, err = s.PersonConsequences(ctx, id, false)
		case "unassign":
			u, uerr := s.User(ctx, id)
			if uerr != nil {
				return nil, uerr
			}
			var keep []uint
			for _, l := range u.Licenses {
				if l.ID != lic.ID {
					keep = append(keep, l.ID)
				}
			}
			c, err = s.LicenseChangeConsequences(ctx, id, keep)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		if c.ForwardingTo != "" {
			u, err := s.User(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, BulkConsequence{Name: u.DisplayName, ForwardingTo: c.ForwardingTo})
		}
	}
	return out, nil
}

// Bulk runs one action on several people after checking it may be done to every
// one of them, and returns how many changed. The confirmation was shown before.
func (s *Store) Bulk(ctx context.Context, actor *Admin, action string, ids []uint, licenseID uint) (int, error) {
	users, err := s.BulkTargets(ctx, actor, action, ids)
	if err != nil {
		return 0, err
	}
	return s.bulk(ctx, actor, action, users, licenseID)
}

// BulkTargets loads the people of a bulk action, refusing when the admin may not do
// it to every one of them.
func (s *Store) BulkTargets(ctx context.Context, actor *Admin, action string, ids []uint) ([]*UserDetail, error) {
	users := make([]*UserDetail, 0, len(ids))
	for _, id := range ids {
		u, err := s.User(ctx, id)
		if err != nil {
			return nil, err
		}
		rights := RightsOn(actor, u.Roles)
		allowed := map[string]bool{"block": rights.Block, "unblock": rights.Block, "assign": rights.Licenses,
			"unassign": rights.Licenses, "delete": rights.Delete}[action]
		if !allowed {
			return nil, ErrForbidden
		}
		if action == "delete" && u.ID == actor.UserID {
			return nil, Invalid("", "user.error.delete_self", nil)
		}
		users = append(users, u)
	}
	return users, nil
}

func (s *Store) bulk(ctx context.Context, actor *Admin, action string, users []*UserDetail, licenseID uint) (int, error) {
	if action == "assign" {
		need := 0
		for _, u := range users {
			if !slices.ContainsFunc(u.Licenses, func(l LicenseProduct) bool { return l.ID == licenseID }) {
				need++
			}
		}
		if _, err := s.checkSeats(s.db.WithContext(ctx), []uint{licenseID}, map[uint]int{licenseID: need}); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, u := range users {
		var err error
		switch action {
		case "block", "unblock":
			if u.SignInBlocked == (action == "block") {
				continue
			}
			err = s.SetSignInBlocked(ctx, actor, u.ID, action == "block", true)
		case "assign", "unassign":
			has := slices.ContainsFunc(u.Licenses, func(l LicenseProduct) bool { return l.ID == licenseID })
			if has == (action == "assign") {
				continue
			}
			var ids []uint
			for _, l := range u.Licenses {
				if l.ID != licenseID {
					ids = append(ids, l.ID)
				}
			}
			if action == "assign" {
				ids = append(ids, licenseID)
			}
			err = s.SetLicenses(ctx, actor, u.ID, ids, true)
		case "delete":
			err = s.DeleteUser(ctx, actor, u.ID)
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
