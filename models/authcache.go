package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gorm.io/gorm"
)

// Every signed-in request needs its session and its admin (the person, their block
// and their roles). Both are kept in memory, but only as long as nothing they depend
// on has changed on any instance: the database keeps one counter, the auth
// generation, that triggers raise in the same transaction as every change to a
// session, to a person's block, deletion, name or username, to a role assignment,
// to a license product (kept too, see authCache.products) or to an admin's display
// choices (authCache.prefs), whoever makes it
// (this process, another instance, a script in psql). A request reads the counter
// once (one primary-key lookup) before it looks anything up; a cached value made at
// the same generation is still what the database holds, and a different generation
// drops the whole cache. So a sign-out, a block or a role change takes effect on
// the next request on every instance.

// AuthGeneration is the one-row table of the auth generation.
type AuthGeneration struct {
	ID uint  `gorm:"primaryKey;autoIncrement:false"`
	N  int64 `gorm:"not null;default:0"`
}

// maxCachedSessions bounds the cache; past it the cache starts again empty.
const maxCachedSessions = 50_000

type authCache struct {
	mu       sync.Mutex
	gen      int64
	sessions map[string]Session
	admins   map[uint]Admin
	// products are the license products (LicenseProducts) when read at gen: the
	// triggers raise the auth generation on every change to them too, which is
	// rare (seeding, a reset), and every Active users page lists them.
	products     []LicenseUsage
	productsKept bool
	// prefs are the admins' display choices (Preferences): every pane reads them,
	// and the triggers raise the auth generation when one changes, which is rare.
	prefs map[uint]Preferences
}

// reset empties the cache and makes it the one of gen.
func (c *authCache) reset(gen int64) {
	c.gen, c.sessions, c.admins, c.products, c.productsKept, c.prefs = gen, map[string]Session{}, map[uint]Admin{}, nil, false, map[uint]Preferences{}
}

// at makes the cache the one of a generation, emptied when the generation moved on
// (or it grew too big); false when the generation is older than what the cache
// holds, when a slow request's value must not be kept.
func (c *authCache) at(gen int64) bool {
	if gen < c.gen {
		return false
	}
	if gen > c.gen || c.sessions == nil || len(c.sessions)+len(c.admins)+len(c.prefs) > maxCachedSessions {
		c.reset(gen)
	}
	return true
}

func (c *authCache) session(gen int64, id string) (Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return Session{}, false
	}
	s, ok := c.sessions[id]
	return s, ok
}

func (c *authCache) putSession(gen int64, s Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at(gen) {
		c.sessions[s.ID] = s
	}
}

func (c *authCache) admin(gen int64, userID uint) (Admin, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return Admin{}, false
	}
	a, ok := c.admins[userID]
	return a, ok
}

func (c *authCache) putAdmin(gen int64, a Admin) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at(gen) {
		c.admins[a.UserID] = a
	}
}

func (c *authCache) preferences(gen int64, userID uint) (Preferences, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return Preferences{}, false
	}
	p, ok := c.prefs[userID]
	return p, ok
}

func (c *authCache) putPreferences(gen int64, userID uint, p Preferences) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at(gen) {
		c.prefs[userID] = p
	}
}

// licenseProducts returns a copy of the products kept at gen.
func (c *authCache) licenseProducts(gen int64) ([]LicenseUsage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || !c.productsKept {
		return nil, false
	}
	return slices.Clone(c.products), true
}

// putLicenseProducts keeps products read at gen.
func (c *authCache) putLicenseProducts(gen int64, products []LicenseUsage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at(gen) {
		c.products, c.productsKept = slices.Clone(products), true
	}
}

// authWritten follows every write of this process: the cache moves to the
// generation after it, so a request that changed something and looks again (with
// the generation it read before) finds nothing cached.
func (s *Store) authWritten(ctx context.Context) {
	if s.authGenStmt == nil {
		return
	}
	var gen int64
	err := s.authGenStmt.QueryRowContext(context.WithoutCancel(ctx)).Scan(&gen)
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	if err != nil {
		// Unknown: drop everything, and keep nothing until a newer generation.
		s.auth.reset(s.auth.gen + 1)
		return
	}
	if gen >= s.auth.gen {
		s.auth.reset(gen)
	}
}

// requestGenerations are the generations read once for a request, in one
// statement: the auth generation, and with it the list generation (users_kept.go)
// and the report generation (reports_kept.go). safe is set for a request that
// changes nothing: for it, the list and report generations read at its start hold
// for the whole request.
type requestGenerations struct {
	auth, list, report int64
	safe               bool
}

type authGenKey struct{}

// WithAuthGeneration reads the auth generation once for a request: the session and
// admin looked up with the returned context are checked against it, instead of each
// reading it again. They are looked up before the request changes anything. For a
// safe request (GET, HEAD: it changes nothing) the list and report generations read
// with it hold for the whole request, and the kept pages are checked against them;
// a request that may change things reads them again when it reads a kept page,
// after its change.
func (s *Store) WithAuthGeneration(ctx context.Context, safe bool) context.Context {
	if s.requestGenStmt == nil {
		return ctx
	}
	var g requestGenerations
	if err := s.requestGenStmt.QueryRowContext(ctx).Scan(&g.auth, &g.list, &g.report); err != nil {
		return ctx
	}
	g.safe = safe
	return context.WithValue(ctx, authGenKey{}, g)
}

// safeGenerations returns the generations a safe request read at its start.
func safeGenerations(ctx context.Context) (requestGenerations, bool) {
	g, ok := ctx.Value(authGenKey{}).(requestGenerations)
	return g, ok && g.safe
}

// authGeneration returns the request's auth generation, reading it when the
// context holds none. Without one (the row is missing, the read failed) nothing is
// taken from the cache.
func (s *Store) authGeneration(ctx context.Context) (int64, bool) {
	if g, ok := ctx.Value(authGenKey{}).(requestGenerations); ok {
		return g.auth, true
	}
	if s.authGenStmt == nil {
		return 0, false
	}
	var gen int64
	if err := s.authGenStmt.QueryRowContext(ctx).Scan(&gen); err != nil {
		return 0, false
	}
	return gen, true
}

// authTriggers raise the auth generation; they are created when the schema is
// migrated: replaced on PostgreSQL, kept when they exist on SQLite (so on SQLite a
// changed trigger needs a new name as well as a new schemaRevision).
func authTriggers(pg bool) []string {
	if pg {
		const bump = `UPDATE auth_generations SET n = n + 1 WHERE id = 1`
		return []string{
			`CREATE OR REPLACE FUNCTION bump_auth_generation() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN ` + bump + `; RETURN NULL; END $$`,
			`CREATE OR REPLACE TRIGGER auth_gen_sessions AFTER UPDATE OR DELETE ON sessions
			FOR EACH ROW EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_users AFTER UPDATE ON users FOR EACH ROW
			WHEN (OLD.sign_in_blocked IS DISTINCT FROM NEW.sign_in_blocked OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
				OR OLD.user_principal_name IS DISTINCT FROM NEW.user_principal_name OR OLD.recipient_id IS DISTINCT FROM NEW.recipient_id)
			EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_users_delete AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_recipients AFTER UPDATE ON recipients FOR EACH ROW
			WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name) EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_roles AFTER INSERT OR UPDATE OR DELETE ON role_assignments
			FOR EACH ROW EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_license_products AFTER INSERT OR UPDATE OR DELETE ON license_products
			FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_admin_preferences AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_preferences
			FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation()`,
			// TRUNCATE (the test controls' reset) fires no delete triggers.
			`CREATE OR REPLACE TRIGGER auth_gen_truncate_sessions AFTER TRUNCATE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_truncate_users AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_truncate_recipients AFTER TRUNCATE ON recipients FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_truncate_roles AFTER TRUNCATE ON role_assignments FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation()`,
			`CREATE OR REPLACE TRIGGER auth_gen_truncate_license_products AFTER TRUNCATE ON license_products FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_generation()`,
		}
	}
	const bump = ` BEGIN UPDATE auth_generations SET n = n + 1 WHERE id = 1; END`
	return []string{
		`CREATE TRIGGER IF NOT EXISTS auth_gen_sessions_update AFTER UPDATE ON sessions` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_sessions_delete AFTER DELETE ON sessions` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_users AFTER UPDATE ON users
		WHEN OLD.sign_in_blocked IS NOT NEW.sign_in_blocked OR OLD.deleted_at IS NOT NEW.deleted_at
			OR OLD.user_principal_name IS NOT NEW.user_principal_name OR OLD.recipient_id IS NOT NEW.recipient_id` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_users_delete AFTER DELETE ON users` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_recipients AFTER UPDATE ON recipients
		WHEN OLD.display_name IS NOT NEW.display_name` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_roles_insert AFTER INSERT ON role_assignments` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_roles_update AFTER UPDATE ON role_assignments` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_roles_delete AFTER DELETE ON role_assignments` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_license_products_insert AFTER INSERT ON license_products` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_license_products_update AFTER UPDATE ON license_products` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_license_products_delete AFTER DELETE ON license_products` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_admin_preferences_insert AFTER INSERT ON admin_preferences` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_admin_preferences_update AFTER UPDATE ON admin_preferences` + bump,
		`CREATE TRIGGER IF NOT EXISTS auth_gen_admin_preferences_delete AFTER DELETE ON admin_preferences` + bump,
	}
}

// migrateAuthGeneration creates the counter's row and its triggers.
func migrateAuthGeneration(db *gorm.DB, pg bool) error {
	return migrateGeneration(db, "auth generation", "auth_generations", authTriggers(pg))
}

// prepareAuthGeneration prepares the one query every signed-in request makes, and
// the auth generation's read on its own.
func (s *Store) prepareAuthGeneration(ctx context.Context) (err error) {
	if s.authGenStmt, err = s.prepareGeneration(ctx, "auth generation", "auth_generations"); err != nil {
		return err
	}
	s.requestGenStmt, err = s.prepareRead(ctx, "the request's generations",
		`SELECT a.n, l.n, r.n FROM auth_generations a CROSS JOIN list_generations l CROSS JOIN report_generations r
		WHERE a.id = 1 AND l.id = 1 AND r.id = 1`)
	return err
}

// migrateGeneration creates a generation counter's one row and the triggers that
// raise it (the auth generation here, the count generation in countgen.go, the
// list generation in users_kept.go, the report generation in reports_kept.go).
// The row and the triggers are made in one transaction, so no change made meanwhile
// misses a trigger being replaced (generationTriggers drops and creates them again
// on SQLite).
func migrateGeneration(db *gorm.DB, name, table string, triggers []string) error {
	insert := `INSERT INTO ` + table + ` (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`
	return db.Transaction(func(tx *gorm.DB) error {
		for _, stmt := range append([]string{insert}, triggers...) {
			if err := tx.Exec(stmt).Error; err != nil {
				return fmt.Errorf("migrate %s: %w", name, err)
			}
		}
		return nil
	})
}

// watchedTable is a table whose changes raise a generation counter
// (generationTriggers): added and removed rows (when inserts is set; removed rows
// always), and updates that change one of the changed columns (any update when
// there are none).
type watchedTable struct {
	table   string
	changed []string
	inserts bool
}

// generationTriggers are the triggers that raise the generation counter called
// name (its table name_generations) with every change to the watched tables. They
// are replaced when the schema is migrated (so a changed trigger needs a new
// schemaRevision). PostgreSQL raises the counter once per statement that adds or
// removes rows (a bulk insert of a thousand people raises it once, TRUNCATE too),
// per row whose watched columns change, and once per UPDATE statement on a table
// watched for any change (even one that changes no row: a cache read again, no
// more); SQLite has row triggers only.
func generationTriggers(pg bool, name string, tables []watchedTable) []string {
	bump := `UPDATE ` + name + `_generations SET n = n + 1 WHERE id = 1`
	prefix := name + `_gen_`
	when := func(t watchedTable, distinct string) string {
		var conds []string
		for _, c := range t.changed {
			conds = append(conds, "OLD."+c+distinct+"NEW."+c)
		}
		return strings.Join(conds, " OR ")
	}
	var stmts []string
	if pg {
		fn := `bump_` + name + `_generation()`
		stmts = append(stmts, `CREATE OR REPLACE FUNCTION `+fn+` RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN `+bump+`; RETURN NULL; END $$`)
		for _, t := range tables {
			events := "DELETE OR TRUNCATE"
			if t.inserts {
				events = "INSERT OR " + events
			}
			update := `FOR EACH STATEMENT`
			if cond := when(t, " IS DISTINCT FROM "); cond != "" {
				update = `FOR EACH ROW WHEN (` + cond + `)`
			}
			stmts = append(stmts,
				`CREATE OR REPLACE TRIGGER `+prefix+t.table+` AFTER `+events+` ON `+t.table+` FOR EACH STATEMENT EXECUTE FUNCTION `+fn,
				`CREATE OR REPLACE TRIGGER `+prefix+t.table+`_update AFTER UPDATE ON `+t.table+` `+update+` EXECUTE FUNCTION `+fn)
		}
		return stmts
	}
	// SQLite has no CREATE OR REPLACE TRIGGER: each is dropped and created again,
	// in the migration's transaction (migrateGeneration).
	body := ` BEGIN ` + bump + `; END`
	create := func(trigger, rest string) {
		stmts = append(stmts, `DROP TRIGGER IF EXISTS `+trigger, `CREATE TRIGGER `+trigger+` `+rest+body)
	}
	for _, t := range tables {
		if t.inserts {
			create(prefix+t.table+`_insert`, `AFTER INSERT ON `+t.table)
		}
		update := ""
		if cond := when(t, " IS NOT "); cond != "" {
			update = ` WHEN ` + cond
		}
		create(prefix+t.table+`_delete`, `AFTER DELETE ON `+t.table)
		create(prefix+t.table+`_update`, `AFTER UPDATE ON `+t.table+update)
	}
	return stmts
}

// prepareGeneration prepares the read of a generation counter.
func (s *Store) prepareGeneration(ctx context.Context, name, table string) (*sql.Stmt, error) {
	return s.prepareRead(ctx, name, `SELECT n FROM `+table+` WHERE id = 1`)
}

// prepareRead prepares a statement on the database's pool, for reads made on
// every request.
func (s *Store) prepareRead(ctx context.Context, name, query string) (*sql.Stmt, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	stmt, err := sqlDB.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", name, err)
	}
	return stmt, nil
}

// cloneAdmin copies an admin, so no caller changes the cached one.
func cloneAdmin(a Admin) *Admin {
	a.Roles = slices.Clone(a.Roles)
	return &a
}
