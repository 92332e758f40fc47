package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ScaleOptions size the generated tenant.
type ScaleOptions struct {
	Users  int
	Shared int
	Groups int
	Grants int
	// Contacts are mail contacts at outside domains, some in distribution lists.
	Contacts int
	// Seed makes the tenant reproducible: the same seed gives the same tenant.
	Seed uint64
}

// Names in several languages, so search, sorting and accents meet real data.
var (
	scaleFirst = []string{
		"Anna", "Bram", "Daan", "Emma", "Fleur", "Jeroen", "Lotte", "Sanne", "Thijs", "Wouter", "Zoë", "Noor",
		"James", "Olivia", "William", "Sophia", "Henry", "Charlotte", "Jack", "Amelia", "Oliver", "Isla",
		"Lukas", "Lena", "Jonas", "Mia", "Felix", "Hannah", "Jürgen", "Käthe", "Matthias", "Sören",
		"Camille", "Léa", "Hugo", "Chloé", "Louis", "Inès", "Théo", "Manon", "Gaël", "Anaïs",
		"Sofía", "Mateo", "Lucía", "Martín", "Valentina", "José", "Ana", "Íñigo", "Nuria", "Álvaro",
		"Zofia", "Jakub", "Małgorzata", "Paweł", "Agnieszka", "Łukasz", "Kasia", "Wojciech",
		"Elif", "Emre", "Zeynep", "Mehmet", "Ayşe", "Burak", "Çağla", "Oğuz",
		"Yuki", "Haruto", "Sakura", "Ren", "Aoi", "Sota", "Hina", "Kenji",
		"Wei", "Mei", "Jun", "Xiu", "Hao", "Lin", "Yan", "Zhen",
		"Omar", "Fatima", "Youssef", "Layla", "Karim", "Amira", "Hassan", "Nour",
		"Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Diya", "Arjun", "Kavya",
		"Siobhán", "Niamh", "Seán", "Aoife", "Björn", "Åsa", "Sigrid", "Øystein",
	}
	scaleLast = []string{
		"de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Taylor", "Davies", "Evans", "Wilson", "Thomas",
		"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer", "Groß",
		"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Lefèvre", "Moreau",
		"García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Díaz",
		"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
		"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın",
		"Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura",
		"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao",
		"Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Aziz", "Rahman", "Hussein",
		"Sharma", "Patel", "Gupta", "Singh", "Kumar", "Reddy", "Iyer", "Nair",
		"Ó Briain", "Murphy", "Kelly", "Andersson", "Johansson", "Nilsson", "Hansen", "Østergaard",
	}
	scaleDepartments = []string{"Sales", "Marketing", "Finance", "HR", "Engineering", "Support", "Legal", "Operations", "Retail", "IT"}
	scaleTitles      = []string{"Specialist", "Manager", "Director", "Analyst", "Engineer", "Consultant", "Assistant", "Lead"}
	scaleShared      = []string{"Info", "Support", "Sales", "Billing", "Jobs", "Press", "Helpdesk", "Facilities", "Klantenservice", "Reception", "Orders", "Returns"}
	scaleRegions     = []string{"Amsterdam", "London", "Berlin", "Paris", "Madrid", "Warsaw", "Istanbul", "Tokyo", "Shanghai", "Dubai", "Mumbai", "Dublin", "Stockholm"}
)

// bulk inserts rows in multi-row statements, under SQLite's variable limit.
func bulk(tx *gorm.DB, table string, cols []string, rows [][]any) error {
	per := max(1, 30000/len(cols))
	placeholder := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var sb strings.Builder
		sb.WriteString(`INSERT INTO "` + table + `" (` + strings.Join(cols, ",") + ") VALUES ")
		args := make([]any, 0, (end-start)*len(cols))
		for i := start; i < end; i++ {
			if i > start {
				sb.WriteByte(',')
			}
			sb.WriteString(placeholder)
			args = append(args, rows[i]...)
		}
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// SeedScale adds a large generated tenant to a database that holds the demo tenant:
// people (whose usernames are their primary addresses) with licenses and
// mailboxes, shared mailboxes, groups with members, permissions (directly and
// through groups) and some forwarding. The same options always give the same tenant.
func (s *Store) SeedScale(ctx context.Context, opt ScaleOptions) error {
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	defer s.forget()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	if err := s.seedScale(ctx, opt, rng, now); err != nil {
		return err
	}
	if err := s.seedScaleContacts(ctx, opt, now); err != nil {
		return err
	}
	if s.postgres {
		// After a bulk load, PostgreSQL's index-only scans visit the table for every
		// row until a vacuum marks the pages all-visible; autovacuum would get there
		// in its own time.
		if err := s.db.WithContext(ctx).Exec("VACUUM ANALYZE").Error; err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
	}
	return nil
}

func (s *Store) seedScale(ctx context.Context, opt ScaleOptions, rng *rand.Rand, now time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var next struct{ R, U, M, G uint }
		for _, q := range []struct {
			t string
			v *uint
		}{{"recipients", &next.R}, {"users", &next.U}, {"mailboxes", &next.M}, {"groups", &next.G}} {
			var m *uint
			if err := tx.Raw("SELECT MAX(id) FROM " + q.t).Scan(&m).Error; err != nil {
				return fmt.Errorf("read ids: %w", err)
			}
			if m != nil {
				*q.v = *m
			}
		}
		var std, p1 LicenseProduct
		if err := tx.Where("sku = ?", "O365_BUSINESS_PREMIUM").First(&std).Error; err != nil {
			return fmt.Errorf("seed scale needs the demo tenant: %w", err)
		}
		tx.Where("sku = ?", "EXCHANGESTANDARD").First(&p1)
		// Enough seats for everyone.
		if err := tx.Model(&std).Update("seats", opt.Users+100).Error; err != nil {
			return err
		}
		var recipients, addresses, users, licenses, mailboxes, terms [][]any
		taken := map[string]bool{}
		var existing []string
		tx.Model(&EmailAddress{}).Pluck("normalized", &existing)
		for _, a := range existing {
			taken[a] = true
		}
		unique := func(local, domain string) string {
			base := AliasFromName(local)
			if base == "" {
				base = "user"
			}
			addr := base + "@" + domain
			for n := 2; taken[addr]; n++ {
				addr = fmt.Sprintf("%s%d@%s", base, n, domain)
			}
			taken[addr] = true
			return addr
		}
		// addRecipient adds a recipient with its addresses and search terms; userID is
		// the person it belongs to, or 0.
		addRecipient := func(kind RecipientKind, name string, addrs []string, userID uint) uint {
			next.R++
			id := next.R
			recipients = append(recipients, []any{id, kind, name, sortName(name), now})
			for i, a := range addrs {
				addresses = append(addresses, []any{id, a, strings.ToLower(a), i == 0})
			}
			var owner any
			key := ""
			if userID != 0 {
				owner, key = userID, sortName(name)
			}
			for _, t := range termsFor(name, addrs) {
				terms = append(terms, []any{t, id, owner, key})
			}
			return id
		}
		userRecipients := make([]uint, 0, opt.Users)
		mailboxOf := map[uint]uint{}
		for i := 0; i < opt.Users; i++ {
			first := scaleFirst[rng.IntN(len(scaleFirst))]
			last := scaleLast[rng.IntN(len(scaleLast))]
			name := first + " " + last
			domain := "contoso.com"
			if rng.IntN(5) == 0 {
				domain = "contoso.nl"
			}
			addrs := []string{unique(first+"."+last, domain)}
			if rng.IntN(10) == 0 {
				addrs = append(addrs, unique(first+last, "contoso.com"))
			}
			next.U++
			rid := addRecipient(KindUser, name, addrs, next.U)
			blocked := rng.IntN(50) == 0
			users = append(users, []any{next.U, rid, sortName(name), addrs[0], first, last, scaleTitles[rng.IntN(len(scaleTitles))],
				scaleDepartments[rng.IntN(len(scaleDepartments))], "", false, blocked, 1, now, now})
			licensed := rng.IntN(20) != 0
			if licensed {
				licenses = append(licenses, []any{next.U, std.ID})
			}
			if licensed || rng.IntN(2) == 0 {
				next.M++
				mailboxes = append(mailboxes, []any{next.M, rid, MailboxUser, int64(rng.IntN(45_000)) << 20, 50 * GB, false, "", false, "", false, false, AutoReplyDisabled, false, 1, now, now})
				mailboxOf[rid] = next.M
			}
			userRecipients = append(userRecipients, rid)
		}
		sharedMailboxes := make([]uint, 0, opt.Shared)
		for i := 0; i < opt.Shared; i++ {
			name := fmt.Sprintf("%s %s %d", scaleShared[rng.IntN(len(scaleShared))], scaleRegions[rng.IntN(len(scaleRegions))], i+1)
			rid := addRecipient(KindSharedMailbox, name, []string{unique(name, "contoso.com")}, 0)
			next.M++
			mailboxes = append(mailboxes, []any{next.M, rid, MailboxShared, int64(rng.IntN(52_000)) << 20, SharedMailboxQuota, false, "", false, "", true, true, AutoReplyDisabled, false, 1, now, now})
			sharedMailboxes = append(sharedMailboxes, next.M)
		}
		var groups, members [][]any
		groupRecipients := make([]uint, 0, opt.Groups)
		for i := 0; i < opt.Groups; i++ {
			typ := []GroupType{GroupMailSecurity, GroupDistribution, GroupMailSecurity, GroupM365}[rng.IntN(4)]
			name := fmt.Sprintf("%s %s %d", scaleDepartments[rng.IntN(len(scaleDepartments))], scaleRegions[rng.IntN(len(scaleRegions))], i+1)
			rid := addRecipient(KindGroup, name, []string{unique(name, "contoso.com")}, 0)
			next.G++
			groups = append(groups, []any{next.G, rid, typ, sortName(name), 1, now})
			groupRecipients = append(groupRecipients, rid)
			n := 5 + rng.IntN(60)
			seen := map[uint]bool{}
			for j := 0; j < n && len(userRecipients) > 0; j++ {
				m := userRecipients[rng.IntN(len(userRecipients))]
				if !seen[m] {
					seen[m] = true
					members = append(members, []any{next.G, m})
				}
			}
			// A few nested groups.
			if i > 0 && rng.IntN(20) == 0 {
				members = append(members, []any{next.G, groupRecipients[rng.IntN(i)]})
			}
		}
		// Grants: most on shared mailboxes (members), some delegates on user
		// mailboxes, some through mail-enabled security groups.
		var grants [][]any
		seenGrant := map[[3]uint]bool{}
		allMailboxes := make([]uint, 0, len(mailboxOf))
		for _, m := range mailboxOf {
			allMailboxes = append(allMailboxes, m)
		}
		for len(grants) < opt.Grants && len(userRecipients) > 0 {
			var mb uint
			if len(sharedMailboxes) > 0 && rng.IntN(3) != 0 {
				mb = sharedMailboxes[rng.IntN(len(sharedMailboxes))]
			} else if len(allMailboxes) > 0 {
				mb = allMailboxes[rng.IntN(len(allMailboxes))]
			} else {
				break
			}
			trustee := userRecipients[rng.IntN(len(userRecipients))]
			if len(groupRecipients) > 0 && rng.IntN(15) == 0 {
				trustee = groupRecipients[rng.IntN(len(groupRecipients))]
			}
			right := Rights[rng.IntN(3)]
			key := [3]uint{mb, trustee, map[Right]uint{RightFullAccess: 0, RightSendAs: 1, RightSendOnBehalf: 2}[right]}
			if seenGrant[key] {
				continue
			}
			seenGrant[key] = true
			grants = append(grants, []any{mb, trustee, right, right == RightFullAccess, now, now})
		}
		if err := bulk(tx, "recipients", []string{"id", "kind", "display_name", "sort_name", "created_at"}, recipients); err != nil {
			return err
		}
		if err := bulk(tx, "email_addresses", []string{"recipient_id", "address", "normalized", "is_primary"}, addresses); err != nil {
			return err
		}
		if err := bulk(tx, "users", []string{"id", "recipient_id", "sort_name", "user_principal_name", "first_name", "last_name", "job_title", "department", "password_hash",
			"must_change_password", "sign_in_blocked", "version", "created_at", "updated_at"}, users); err != nil {
			return err
		}
		if err := bulk(tx, "user_licenses", []string{"user_id", "license_product_id"}, licenses); err != nil {
			return err
		}
		if err := bulk(tx, "mailboxes", []string{"id", "recipient_id", "type", "storage_used_bytes", "quota_bytes", "hidden_from_gal",
			"forwarding_address", "forward_keep_copy", "forwarding_stopped", "copy_sent_as", "copy_sent_on_behalf", "auto_reply_state",
			"auto_reply_outside", "version", "created_at", "updated_at"}, mailboxes); err != nil {
			return err
		}
		if err := bulk(tx, "groups", []string{"id", "recipient_id", "type", "sort_name", "version", "created_at"}, groups); err != nil {
			return err
		}
		if err := bulk(tx, "group_members", []string{"group_id", "member_id"}, dedupe(members)); err != nil {
			return err
		}
		if err := bulk(tx, "mailbox_permissions", []string{"mailbox_id", "trustee_id", "access_right", "auto_mapping", "granted_at", "effective_at"}, grants); err != nil {
			return err
		}
		if err := bulk(tx, "search_terms", []string{"term", "recipient_id", "user_id", "sort_name"}, dedupe(terms)); err != nil {
			return err
		}
		// Some forwarding, to mailboxes of the same tenant (no loops: to shared mailboxes).
		if len(sharedMailboxes) > 0 {
			n := len(allMailboxes) / 200
			for i := 0; i < n; i++ {
				from := allMailboxes[rng.IntN(len(allMailboxes))]
				var target string
				tx.Raw("SELECT e.address FROM email_addresses e JOIN mailboxes m ON m.recipient_id = e.recipient_id WHERE m.id = ? AND e.is_primary",
					sharedMailboxes[rng.IntN(len(sharedMailboxes))]).Scan(&target)
				if err := tx.Exec("UPDATE mailboxes SET forwarding_address = ?, forward_keep_copy = ? WHERE id = ?", target, rng.IntN(2) == 0, from).Error; err != nil {
					return err
				}
			}
		}
		if s.postgres {
			// Rows above were written with their ids: move the id sequences past them.
			for _, t := range []string{"recipients", "users", "mailboxes", "groups"} {
				if err := tx.Exec("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))").Error; err != nil {
					return fmt.Errorf("advance %s ids: %w", t, err)
				}
			}
		}
		// Fresh statistics let the planner pick the indexes for the lists.
		return tx.Exec("ANALYZE").Error
	})
}

// dedupe drops repeated rows (by their printed values), keeping the first.
func dedupe(rows [][]any) [][]any {
	seen := make(map[string]bool, len(rows))
	out := rows[:0]
	for _, r := range rows {
		k := fmt.Sprint(r...)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}
