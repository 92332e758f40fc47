package models

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
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

// bulk inserts rows in multi-row statements, under SQLite's variable limit. The
// statements go straight to the connection: GORM would rebuild each one's tens of
// thousands of arguments.
func bulk(tx *gorm.DB, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if done, err := copyRows(tx, table, cols, rows); done {
		return err
	}
	per := max(1, 30000/len(cols))
	placeholder := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	pg := tx.Dialector.Name() == "postgres"
	args := make([]any, 0, per*len(cols))
	var sb strings.Builder
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		sb.Reset()
		sb.WriteString(`INSERT INTO "` + table + `" (` + strings.Join(cols, ",") + ") VALUES ")
		args = args[:0]
		for i := start; i < end; i++ {
			if i > start {
				sb.WriteByte(',')
			}
			if pg {
				// pgx wants numbered placeholders.
				sb.WriteByte('(')
				for j := range cols {
					if j > 0 {
						sb.WriteByte(',')
					}
					sb.WriteByte('$')
					sb.WriteString(strconv.Itoa(len(args) + j + 1))
				}
				sb.WriteByte(')')
			} else {
				sb.WriteString(placeholder)
			}
			args = append(args, rows[i]...)
		}
		if _, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, sb.String(), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// seedWrite runs a generator's inserts in one transaction. On PostgreSQL bulk
// writes with COPY on the transaction's connection (scale_postgres.go). On SQLite it is one
// connection with the settings of a bulk load: foreign keys unchecked (the
// generator makes them consistent), a large page cache, no sync until the end;
// they are put back before the connection returns to the pool.
func (s *Store) seedWrite(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.postgres {
		return s.seedWritePostgres(ctx, fn)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	defer s.authWritten(ctx)
	return s.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		set := func(pragmas ...string) error {
			for _, p := range pragmas {
				if err := conn.Exec("PRAGMA " + p).Error; err != nil {
					return fmt.Errorf("seed: %w", err)
				}
			}
			return nil
		}
		if err := set("foreign_keys = OFF", "cache_size = -262144", "synchronous = OFF", "temp_store = MEMORY"); err != nil {
			return err
		}
		// Back to what sqliteDSN sets.
		defer set("foreign_keys = ON", "cache_size = -8192", "synchronous = NORMAL", "temp_store = DEFAULT")
		// Out of WAL while loading, when this is the database's only connection:
		// in WAL every page of the load is written twice (to the log, then by the
		// checkpoint). A rollback journal in memory keeps ROLLBACK working; it holds
		// only pages that were there before, not the new ones the load appends.
		var mode string
		if err := conn.Raw("PRAGMA journal_mode = MEMORY").Scan(&mode).Error; err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if strings.EqualFold(mode, "memory") {
			defer conn.Exec("PRAGMA journal_mode = WAL")
		}
		return conn.Transaction(fn)
	})
}

// analyze refreshes the planner's statistics after a bulk load. SQLite samples each
// index (analysis_limit) instead of reading every row of it. On PostgreSQL it does
// nothing: SeedScale ends with VACUUM ANALYZE, which gathers them once for both loads.
func analyze(tx *gorm.DB) error {
	if tx.Dialector.Name() == "postgres" {
		return nil
	}
	if err := tx.Exec("PRAGMA analysis_limit = 2000").Error; err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if err := tx.Exec("ANALYZE").Error; err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// seedFlushEvery is how many people the generator holds before writing them.
var seedFlushEvery = 50_000

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
	return s.seedWrite(ctx, func(tx *gorm.DB) error {
		load := func() error {
			return withoutIndexes(tx, seedTables, func() error { return generateScale(tx, opt, rng, now) })
		}
		if err := withoutForeignKeys(tx, seedTables, load); err != nil {
			return err
		}
		if s.postgres {
			// Rows were written with their ids: move the id sequences past them.
			for _, t := range []string{"recipients", "users", "mailboxes", "groups"} {
				if err := tx.Exec("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))").Error; err != nil {
					return fmt.Errorf("advance %s ids: %w", t, err)
				}
			}
		}
		// Fresh statistics let the planner pick the indexes for the lists.
		return analyze(tx)
	})
}

// generateScale writes the generated tenant's rows; the tables' secondary indexes
// are not there while it runs (withoutIndexes), so it reads none of what it wrote.
func generateScale(tx *gorm.DB, opt ScaleOptions, rng *rand.Rand, now time.Time) error {
	{
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
		// Names repeat (a few hundred first and last names): their aliases and search
		// terms are made once each.
		aliases, nameTerms, numbered := map[string]string{}, map[string][]string{}, map[string]int{}
		unique := func(local, domain string) string {
			base, ok := aliases[local]
			if !ok {
				base = AliasFromName(local)
				aliases[local] = base
			}
			if base == "" {
				base = "user"
			}
			addr := base + "@" + domain
			if taken[addr] {
				// The first free number from 2 up: every number below where this
				// address last stopped is taken still.
				at := domain + "/" + base
				n := max(2, numbered[at])
				for addr = base + strconv.Itoa(n) + "@" + domain; taken[addr]; addr = base + strconv.Itoa(n) + "@" + domain {
					n++
				}
				numbered[at] = n + 1
			}
			taken[addr] = true
			return addr
		}
		// addRecipient adds a recipient with its addresses and search terms; userID is
		// the person it belongs to, sharedID its shared mailbox, or 0.
		addRecipient := func(kind RecipientKind, name string, addrs []string, userID, sharedID uint) uint {
			next.R++
			id := next.R
			recipients = append(recipients, []any{id, kind, name, sortName(name), aliasOf(addrs[0]), now})
			for i, a := range addrs {
				addresses = append(addresses, []any{id, a, strings.ToLower(a), i == 0})
			}
			var owner, shared any
			key := ""
			if userID != 0 {
				owner, key = userID, sortName(name)
			}
			if sharedID != 0 {
				shared, key = sharedID, sortName(name)
			}
			byName, ok := nameTerms[name]
			if !ok {
				byName = termsFor(name, nil)
				nameTerms[name] = byName
			}
			// The same terms as termsFor(name, addrs), the name's part reused.
			for _, t := range withoutPrefixes(append(slices.Clone(byName), termsFor("", addrs)...)) {
				terms = append(terms, []any{t, id, owner, shared, key})
			}
			return id
		}
		var groups, members, grants [][]any
		// flush writes what was generated so far, parents first, and starts the
		// buffers again: a million people never sit in memory at once. The search
		// terms go in sorted, so their index grows at its end.
		flush := func() error {
			slices.SortFunc(terms, func(a, b []any) int {
				if c := strings.Compare(a[0].(string), b[0].(string)); c != 0 {
					return c
				}
				return cmp.Compare(a[1].(uint), b[1].(uint))
			})
			for _, b := range []struct {
				table string
				cols  []string
				rows  *[][]any
			}{
				{"recipients", []string{"id", "kind", "display_name", "sort_name", "alias", "created_at"}, &recipients},
				{"email_addresses", []string{"recipient_id", "address", "normalized", "is_primary"}, &addresses},
				{"users", []string{"id", "recipient_id", "sort_name", "user_principal_name", "first_name", "last_name", "job_title", "department", "password_hash",
					"must_change_password", "sign_in_blocked", "version", "created_at", "updated_at"}, &users},
				{"user_licenses", []string{"user_id", "license_product_id"}, &licenses},
				{"mailboxes", []string{"id", "recipient_id", "type", "storage_used_bytes", "quota_bytes", "hidden_from_gal",
					"forwarding_address", "forward_keep_copy", "forwarding_stopped", "copy_sent_as", "copy_sent_on_behalf", "auto_reply_state",
					"auto_reply_outside", "version", "created_at", "updated_at"}, &mailboxes},
				{"groups", []string{"id", "recipient_id", "type", "sort_name", "version", "created_at"}, &groups},
				{"group_members", []string{"group_id", "member_id"}, &members},
				{"mailbox_permissions", []string{"mailbox_id", "trustee_id", "access_right", "auto_mapping", "granted_at", "effective_at"}, &grants},
				{"search_terms", []string{"term", "recipient_id", "user_id", "shared_id", "sort_name"}, &terms},
			} {
				if err := bulk(tx, b.table, b.cols, *b.rows); err != nil {
					return err
				}
				*b.rows = (*b.rows)[:0]
			}
			return nil
		}
		flushEvery := seedFlushEvery
		userRecipients := make([]uint, 0, opt.Users)
		// People's mailboxes in the order they were made: a map's order would
		// change the tenant from one run to the next.
		allMailboxes := make([]uint, 0, opt.Users)
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
			rid := addRecipient(KindUser, name, addrs, next.U, 0)
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
				allMailboxes = append(allMailboxes, next.M)
			}
			userRecipients = append(userRecipients, rid)
			if (i+1)%flushEvery == 0 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		sharedMailboxes := make([]uint, 0, opt.Shared)
		sharedAddress := make(map[uint]string, opt.Shared)
		for i := 0; i < opt.Shared; i++ {
			name := fmt.Sprintf("%s %s %d", scaleShared[rng.IntN(len(scaleShared))], scaleRegions[rng.IntN(len(scaleRegions))], i+1)
			addr := unique(name, "contoso.com")
			rid := addRecipient(KindSharedMailbox, name, []string{addr}, 0, next.M+1)
			next.M++
			sharedAddress[next.M] = addr
			mailboxes = append(mailboxes, []any{next.M, rid, MailboxShared, int64(rng.IntN(52_000)) << 20, SharedMailboxQuota, false, "", false, "", true, true, AutoReplyDisabled, false, 1, now, now})
			sharedMailboxes = append(sharedMailboxes, next.M)
		}
		groupRecipients := make([]uint, 0, opt.Groups)
		for i := 0; i < opt.Groups; i++ {
			typ := []GroupType{GroupMailSecurity, GroupDistribution, GroupMailSecurity, GroupM365}[rng.IntN(4)]
			name := fmt.Sprintf("%s %s %d", scaleDepartments[rng.IntN(len(scaleDepartments))], scaleRegions[rng.IntN(len(scaleRegions))], i+1)
			rid := addRecipient(KindGroup, name, []string{unique(name, "contoso.com")}, 0, 0)
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
		seenGrant := map[[3]uint]bool{}
		for made := 0; made < opt.Grants && len(userRecipients) > 0; {
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
			if made++; made%(4*flushEvery) == 0 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		// Some forwarding, to mailboxes of the same tenant (no loops: to shared mailboxes).
		if len(sharedMailboxes) > 0 {
			n := len(allMailboxes) / 200
			for i := 0; i < n; i++ {
				from := allMailboxes[rng.IntN(len(allMailboxes))]
				target := sharedAddress[sharedMailboxes[rng.IntN(len(sharedMailboxes))]]
				if err := tx.Exec("UPDATE mailboxes SET forwarding_address = ?, forward_keep_copy = ? WHERE id = ?", target, rng.IntN(2) == 0, from).Error; err != nil {
					return err
				}
			}
		}
		return nil
	}
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
