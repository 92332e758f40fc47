package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"
)

// scaleCompanies are the outside organizations generated contacts work for.
var scaleCompanies = []string{"Fabrikam", "Tailspin Toys", "Northwind Traders", "Wingtip Toys", "Adventure Works", "Litware", "Proseware", "Woodgrove Bank"}

// seedScaleContacts adds opt.Contacts mail contacts at outside domains and puts
// about a third of them in the generated distribution lists. It draws from its own
// random stream, so the rest of the generated tenant is the same with or without
// contacts.
func (s *Store) seedScaleContacts(ctx context.Context, opt ScaleOptions, now time.Time) error {
	if opt.Contacts <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(opt.Seed^0x636f6e7461637473, opt.Seed))
	return s.seedWrite(ctx, func(tx *gorm.DB) error {
		var nextR, nextC uint
		for _, q := range []struct {
			t string
			v *uint
		}{{"recipients", &nextR}, {"mail_contacts", &nextC}} {
			var m *uint
			if err := tx.Raw("SELECT MAX(id) FROM " + q.t).Scan(&m).Error; err != nil {
				return fmt.Errorf("read ids: %w", err)
			}
			if m != nil {
				*q.v = *m
			}
		}
		taken := map[string]bool{}
		var existing []string
		if err := tx.Model(&EmailAddress{}).Pluck("normalized", &existing).Error; err != nil {
			return fmt.Errorf("read addresses: %w", err)
		}
		for _, a := range existing {
			taken[a] = true
		}
		var lists []uint
		if err := tx.Model(&Group{}).Where("type = ?", GroupDistribution).Order("id").Pluck("id", &lists).Error; err != nil {
			return fmt.Errorf("read lists: %w", err)
		}
		var recipients, addresses, terms, contacts, members [][]any
		for i := 0; i < opt.Contacts; i++ {
			first := scaleFirst[rng.IntN(len(scaleFirst))]
			last := scaleLast[rng.IntN(len(scaleLast))]
			company := scaleCompanies[rng.IntN(len(scaleCompanies))]
			domain := AliasFromName(company) + ".example"
			base := AliasFromName(first + "." + last)
			addr := base + "@" + domain
			for n := 2; taken[addr]; n++ {
				addr = fmt.Sprintf("%s%d@%s", base, n, domain)
			}
			taken[addr] = true
			name := first + " " + last
			nextR++
			nextC++
			recipients = append(recipients, []any{nextR, KindContact, name, sortName(name), aliasOf(addr), now})
			addresses = append(addresses, []any{nextR, addr, strings.ToLower(addr), true})
			for _, t := range termsFor(name, []string{addr}) {
				terms = append(terms, []any{t, nextR, nil, nil, ""})
			}
			contacts = append(contacts, []any{nextC, nextR, sortName(name), first, last, company, 1, now, now})
			if len(lists) > 0 && rng.IntN(3) == 0 {
				members = append(members, []any{lists[rng.IntN(len(lists))], nextR})
			}
		}
		for _, b := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"recipients", []string{"id", "kind", "display_name", "sort_name", "alias", "created_at"}, recipients},
			{"email_addresses", []string{"recipient_id", "address", "normalized", "is_primary"}, addresses},
			{"mail_contacts", []string{"id", "recipient_id", "sort_name", "first_name", "last_name", "company", "version", "created_at", "updated_at"}, contacts},
			{"group_members", []string{"group_id", "member_id"}, members},
			{"search_terms", []string{"term", "recipient_id", "user_id", "shared_id", "sort_name"}, dedupe(terms)},
		} {
			if err := bulk(tx, b.table, b.cols, b.rows); err != nil {
				return err
			}
		}
		if s.postgres {
			for _, t := range []string{"recipients", "mail_contacts"} {
				if err := tx.Exec("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))").Error; err != nil {
					return fmt.Errorf("advance %s ids: %w", t, err)
				}
			}
		}
		return analyze(tx)
	})
}
