package models

import (
	"fmt"

	"gorm.io/gorm"
)

// The schema: what migrateSchema makes from the models, and the statements run
// after AutoMigrate. Store.migrate decides whether to run it (schema_version.go).

// byteOrdered are the columns compared as ranges of bytes: prefix search ("term >= q
// AND term < q+U+10FFFF") and keyset paging need the database to order them the way
// Go and SQLite do, byte by byte, whatever the PostgreSQL database's collation is.
var byteOrdered = []struct{ table, column, typ string }{
	{"search_terms", "term", "varchar(320)"}, {"search_terms", "sort_name", "text"},
	{"users", "sort_name", "text"}, {"recipients", "sort_name", "text"},
	{"groups", "sort_name", "text"}, {"mail_contacts", "sort_name", "text"},
}

func migrateSchema(db *gorm.DB, pg bool) error {
	m := db.Migrator()
	linkAll := m.HasTable(&SearchTerm{}) && (!m.HasColumn(&SearchTerm{}, "user_id") || !m.HasColumn(&SearchTerm{}, "shared_id"))
	keepAliases := m.HasTable(&Recipient{}) && !m.HasColumn(&Recipient{}, "alias")
	if err := db.AutoMigrate(allModels...); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if keepAliases {
		if err := migrateAddresses(db, pg); err != nil {
			return err
		}
	}
	if err := migrateThrottle(db); err != nil {
		return err
	}
	if err := migrateUPN(db); err != nil {
		return err
	}
	if err := migrateAuthGeneration(db, pg); err != nil {
		return err
	}
	if err := migrateCountGeneration(db, pg); err != nil {
		return err
	}
	if err := migrateListGeneration(db, pg); err != nil {
		return err
	}
	if err := migrateReportGeneration(db, pg); err != nil {
		return err
	}
	if linkAll {
		// Search terms from before they named their person or shared mailbox.
		if err := db.Exec(linkTermsSQL).Error; err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if pg {
		for _, c := range byteOrdered {
			var collation *string
			if err := db.Raw(`SELECT collation_name FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?`, c.table, c.column).
				Scan(&collation).Error; err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			if collation != nil && *collation == "C" {
				continue
			}
			if err := db.Exec(`ALTER TABLE "` + c.table + `" ALTER COLUMN "` + c.column + `" TYPE ` + c.typ + ` COLLATE "C"`).Error; err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
		}
	}
	// Pages of Active users are range scans of live people in name order. The index
	// also holds what a page's rows and a search's probes need, so walking it never
	// reads the table.
	created := !m.HasIndex(&User{}, "idx_users_live") || m.HasIndex(&User{}, "idx_users_deleted_at") || !m.HasIndex(&SearchTerm{}, "idx_search_terms_people") ||
		!m.HasIndex(&SearchTerm{}, "idx_search_terms_shared3") || !m.HasIndex(&SearchTerm{}, "idx_search_terms_shared_names") ||
		!m.HasIndex("user_licenses", "idx_user_licenses_product") || !m.HasIndex(&Group{}, "idx_groups_list") ||
		!m.HasIndex(&MailboxPermission{}, "idx_perm_report")
	for _, stmt := range schemaStatements {
		if err := db.Exec(stmt).Error; err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if created && !pg {
		// Without statistics for a new index SQLite's planner passes it over (and sorts
		// every person instead); PostgreSQL's autovacuum gathers its own.
		if err := db.Exec(`ANALYZE`).Error; err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// schemaStatements run after AutoMigrate on every migration.
var schemaStatements = []string{
	`CREATE INDEX IF NOT EXISTS idx_users_live ON users(sort_name, id, recipient_id, sign_in_blocked) WHERE deleted_at IS NULL`,
	`DROP INDEX IF EXISTS idx_users_live_sort`,  // its narrower predecessor
	`DROP INDEX IF EXISTS idx_users_deleted_at`, // over everyone; now idx_users_deleted (User.DeletedAt)
	// Seats in use: the licenses of a product, counted on an index.
	`CREATE INDEX IF NOT EXISTS idx_user_licenses_product ON user_licenses(license_product_id, user_id)`,
	// A search's people in name order: a range of terms, read in index order.
	`CREATE INDEX IF NOT EXISTS idx_search_terms_people ON search_terms(term, sort_name, user_id) WHERE user_id IS NOT NULL`,
	// A search of one to three letters: its people or shared mailboxes in name
	// order, one range of one index (termStarts).
	`CREATE INDEX IF NOT EXISTS idx_search_terms_people1 ON search_terms(substr(term, 1, 1), sort_name, user_id) WHERE user_id IS NOT NULL`,
	`CREATE INDEX IF NOT EXISTS idx_search_terms_people2 ON search_terms(substr(term, 1, 2), sort_name, user_id) WHERE user_id IS NOT NULL`,
	`CREATE INDEX IF NOT EXISTS idx_search_terms_people3 ON search_terms(substr(term, 1, 3), sort_name, user_id) WHERE user_id IS NOT NULL`,
	`CREATE INDEX IF NOT EXISTS idx_search_terms_shared ON search_terms(term, sort_name, shared_id) WHERE shared_id IS NOT NULL`,
	// Every shared mailbox in name order (the list without a search: sharedByTerms).
	`CREATE INDEX IF NOT EXISTS idx_search_terms_shared_names ON search_terms(sort_name, shared_id) WHERE shared_id IS NOT NULL`,
	`CREATE INDEX IF NOT EXISTS idx_search_terms_shared1 ON search_terms(substr(term, 1, 1), sort_name, shared_id) WHERE shared_id IS NOT NULL`,
	`CREATE INDEX IF NOT EXISTS idx_search_terms_shared2 ON search_terms(substr(term, 1, 2), sort_name, shared_id) WHERE shared_id IS NOT NULL`,
	`CREATE INDEX IF NOT EXISTS idx_search_terms_shared3 ON search_terms(substr(term, 1, 3), sort_name, shared_id) WHERE shared_id IS NOT NULL`,
	// A mailbox's grants of one right with what is read of them, one range each: the
	// members of a page of shared mailboxes (sharedMembersSQL: holders of one right,
	// and whether a holder has another) and each window of the Mailbox access export,
	// which read the grants by mailbox from the index alone rather than at random from
	// the table (at a million people the export's CPU 55 s -> 40 s).
	`CREATE INDEX IF NOT EXISTS idx_perm_report ON mailbox_permissions(mailbox_id, access_right, trustee_id, auto_mapping,
	granted_by_id, granted_at, effective_at, revoke_effective_at)`,
	// A tab of Active teams & groups, and Contacts: ranges of one index each.
	`CREATE INDEX IF NOT EXISTS idx_groups_list ON groups(type, sort_name, id, recipient_id)`,
	`CREATE INDEX IF NOT EXISTS idx_mail_contacts_list ON mail_contacts(sort_name, id, recipient_id)`,
	// A recipient's primary address and live account from the index alone: the
	// Mail tab's rights read both for every mailbox (accessColumns).
	`CREATE INDEX IF NOT EXISTS idx_email_addresses_primary ON email_addresses(recipient_id, is_primary, address) WHERE is_primary`,
	`CREATE INDEX IF NOT EXISTS idx_users_live_recipient ON users(recipient_id, deleted_at) WHERE deleted_at IS NULL`,
	// Groups from before they kept their own sort key.
	`UPDATE groups SET sort_name = (SELECT r.sort_name FROM recipients r WHERE r.id = groups.recipient_id) WHERE sort_name = ''`,
}
