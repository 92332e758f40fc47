package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

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
// Every Active users page shows them (the bulk bar's product menu), so the rows are
// scanned without reflection.
func (s *Store) LicenseProducts(ctx context.Context) ([]LicenseUsage, error) {
	gen, cacheable := s.authGeneration(ctx)
	if cacheable {
		if out, ok := s.auth.licenseProducts(gen); ok {
			return out, nil
		}
	}
	out, err := s.readLicenseProducts(ctx)
	if err == nil && cacheable {
		s.auth.putLicenseProducts(gen, out)
	}
	return out, err
}

// readLicenseProducts reads the products from the database.
func (s *Store) readLicenseProducts(ctx context.Context) ([]LicenseUsage, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT id, sku, name, includes_mailbox, seats FROM license_products ORDER BY name`).Rows()
	if err != nil {
		return nil, fmt.Errorf("list licenses: %w", err)
	}
	defer rows.Close()
	var out []LicenseUsage
	for rows.Next() {
		var l LicenseUsage
		if err := rows.Scan(&l.ID, &l.SKU, &l.Name, &l.IncludesMailbox, &l.Seats); err != nil {
			return nil, fmt.Errorf("list licenses: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list licenses: %w", err)
	}
	return out, nil
}

// License returns one product with its seat use; ErrNotFound when there is none.
func (s *Store) License(ctx context.Context, id uint) (*LicenseUsage, error) {
	ls, err := s.Licenses(ctx)
	if err != nil {
		return nil, err
	}
	for i := range ls {
		if ls[i].ID == id {
			return &ls[i], nil
		}
	}
	return nil, ErrNotFound
}

// checkSeats loads the products and refuses one without a seat left for the users
// who do not hold it yet (newHolders counts them per product; nil means one each).
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

// LicenseChangeConsequences says what setting a person's licenses to productIDs
// stops: forwarding and the mailbox's license, when no remaining product includes one.
func (s *Store) LicenseChangeConsequences(ctx context.Context, userID uint, productIDs []uint) (*Consequences, error) {
	db := s.db.WithContext(ctx)
	var u User
	if err := db.Preload("Licenses").First(&u, userID).Error; err != nil {
		return nil, notFound(err, "user")
	}
	return licenseConsequences(db, &u, productIDs)
}

// licenseConsequences is LicenseChangeConsequences for a loaded person, read with db
// (inside the transaction that makes the change, when there is one).
func licenseConsequences(db *gorm.DB, u *User, productIDs []uint) (*Consequences, error) {
	var keep int64
	if len(productIDs) > 0 {
		if err := db.Model(&LicenseProduct{}).Where("id IN ? AND includes_mailbox", productIDs).Count(&keep).Error; err != nil {
			return nil, fmt.Errorf("check licenses: %w", err)
		}
	}
	c := &Consequences{}
	if !includesMailbox(u.Licenses) || keep > 0 {
		return c, nil
	}
	var mbs []Mailbox
	if err := db.Where("recipient_id = ?", u.RecipientID).Limit(1).Find(&mbs).Error; err != nil {
		return nil, fmt.Errorf("load mailbox: %w", err)
	}
	// A converted (shared) mailbox needs no license: losing it stops nothing.
	if len(mbs) == 1 && mbs[0].Type == MailboxUser {
		c.MailboxKept = true
		if mbs[0].ForwardingAddress != "" && mbs[0].ForwardingStopped == "" {
			c.ForwardingTo = mbs[0].ForwardingAddress
		}
	}
	return c, nil
}

// SetLicenses sets exactly which products a person has. Adding needs a free seat;
// removing the last product with a mailbox stops forwarding and needs confirm when
// that has consequences. A mailbox is created when a product with one is assigned.
// A form based on an older version of the person's licenses is refused (ErrStale);
// AnyVersion skips that check.
func (s *Store) SetLicenses(ctx context.Context, actor *Admin, userID uint, productIDs []uint, confirm bool, version int) error {
	return s.changePerson(ctx, actor, changeLicenses, userID, func(tx *gorm.DB, u *User) error {
		if version != AnyVersion && u.LicensesVersion != version {
			return ErrStale
		}
		return s.setLicenses(tx, actor, u, sortedSet(productIDs), confirm)
	})
}

// setLicenses is SetLicenses inside the caller's write transaction.
func (s *Store) setLicenses(tx *gorm.DB, actor *Admin, u *User, productIDs []uint, confirm bool) error {
	cons, err := licenseConsequences(tx, u, productIDs)
	if err != nil {
		return err
	}
	if cons.Any() && !confirm {
		return ErrNeedsConfirmation
	}
	need := map[uint]int{}
	var added []uint
	for _, id := range productIDs {
		if !slices.ContainsFunc(u.Licenses, func(l LicenseProduct) bool { return l.ID == id }) {
			added = append(added, id)
			need[id] = 1
		}
	}
	if _, err := s.checkSeats(tx, added, need); err != nil {
		return err
	}
	products, err := s.checkSeats(tx, productIDs, map[uint]int{})
	if err != nil {
		return err
	}
	before := licenseNames(u.Licenses)
	if err := replaceLicenses(tx, u, products); err != nil {
		return err
	}
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("licenses_version", gorm.Expr("licenses_version + 1")).Error; err != nil {
		return fmt.Errorf("set licenses: %w", err)
	}
	if includesMailbox(products) {
		if err := ensureUserMailbox(tx, u.RecipientID); err != nil {
			return err
		}
	} else if cons.MailboxKept {
		if err := stopForwarding(tx, u.RecipientID, StoppedLicenseRemoved); err != nil {
			return err
		}
	}
	return s.audit(tx, actor, "user.licenses", &u.RecipientID, personName(u),
		map[string]any{"licenses": before}, map[string]any{"licenses": licenseNames(products)})
}

// replaceLicenses makes products the person's licenses.
func replaceLicenses(tx *gorm.DB, u *User, products []LicenseProduct) error {
	if err := tx.Model(u).Omit("Licenses.*").Association("Licenses").Replace(products); err != nil {
		return fmt.Errorf("set licenses: %w", err)
	}
	return nil
}

// ensureUserMailbox gives a person a mailbox when they have none (a license that
// includes one was assigned).
func ensureUserMailbox(tx *gorm.DB, recipientID uint) error {
	var n int64
	if err := tx.Model(&Mailbox{}).Where("recipient_id = ?", recipientID).Count(&n).Error; err != nil {
		return fmt.Errorf("check mailbox: %w", err)
	}
	if n > 0 {
		return nil
	}
	if err := tx.Create(&Mailbox{RecipientID: recipientID, Type: MailboxUser, QuotaBytes: 50 * GB, AutoReplyState: AutoReplyDisabled}).Error; err != nil {
		return fmt.Errorf("create mailbox: %w", err)
	}
	return nil
}

// includesMailbox reports whether one of the products includes a mailbox.
func includesMailbox(ps []LicenseProduct) bool {
	return slices.ContainsFunc(ps, func(p LicenseProduct) bool { return p.IncludesMailbox })
}

func licenseNames(ps []LicenseProduct) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}
