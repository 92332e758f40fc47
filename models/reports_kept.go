package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
)

// The Mailbox access report's first page (mailbox order, no filter, no cursor) is
// what every visit to Reports opens. Its rows are kept in memory while the report
// generation stays the same: a counter that triggers raise in the same transaction
// as every change to what those rows show (a grant given, removed or changed; a
// member added to or removed from a group; a recipient renamed or deleted; an
// address changed; a person blocked or deleted; a mailbox's type or owner), whoever
// makes it (this process, another instance, a script in psql). Time changes the
// rows too: a pending grant takes effect and a removal's propagation ends, so the
// page is kept only until the first such moment among its rows.

// ReportGeneration is the one-row table of the report generation.
type ReportGeneration struct {
	ID uint  `gorm:"primaryKey;autoIncrement:false"`
	N  int64 `gorm:"not null;default:0"`
}

// reportTriggers raise the report generation with every change to what the
// report's rows show.
func reportTriggers(pg bool) []string {
	return generationTriggers(pg, "report", []watchedTable{
		{"mailbox_permissions", nil, true},
		{"group_members", nil, true},
		// Owners are counted on the lists of groups (firstGroupsPage).
		{"group_owners", nil, true},
		{"groups", []string{"recipient_id", "type"}, true},
		// A rename changes the sort name with the display name, in the same
		// statement set; a PostgreSQL WHEN clause on sort_name would stop the
		// migration from giving it its byte order (byteOrdered).
		{"recipients", []string{"display_name", "kind"}, false},
		{"email_addresses", nil, true},
		{"users", []string{"deleted_at", "sign_in_blocked", "recipient_id"}, true},
		{"mailboxes", []string{"type", "recipient_id"}, true},
	})
}

// migrateReportGeneration creates the counter's row and its triggers.
func migrateReportGeneration(db *gorm.DB, pg bool) error {
	return migrateGeneration(db, "report generation", "report_generations", reportTriggers(pg))
}

// prepareReportGeneration prepares the read of the report generation. Without its
// row the read fails, and nothing is kept or trusted.
func (s *Store) prepareReportGeneration(ctx context.Context) (err error) {
	s.reportGenStmt, err = s.prepareGeneration(ctx, "report generation", "report_generations")
	return err
}

// reportGeneration returns the report generation a safe request read with its auth
// generation (WithAuthGeneration), or reads it; false when it cannot be read, and
// then nothing is kept or trusted.
func (s *Store) reportGeneration(ctx context.Context) (int64, bool) {
	if g, ok := safeGenerations(ctx); ok {
		return g.report, true
	}
	if s.reportGenStmt == nil {
		return 0, false
	}
	var gen int64
	if err := s.reportGenStmt.QueryRowContext(ctx).Scan(&gen); err != nil {
		return 0, false
	}
	return gen, true
}

// keptReportQuery reports whether q asks for the first page that is kept.
func keptReportQuery(q AccessReportQuery) bool {
	return q == AccessReportQuery{Sort: SortByMailbox, Size: q.Size}
}

// firstReportPage returns the first page's rows and the one after it (read reads
// them): kept ones while the report generation is the one they were read at and no
// row has changed by time since. Without a generation nothing is kept or trusted.
func (s *Store) firstReportPage(ctx context.Context, size int, read func() ([]AccessReportRow, error)) ([]AccessReportRow, error) {
	gen, ok := s.reportGeneration(ctx)
	if !ok {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return read()
	}
	now := s.Now()
	gens := searchGenerations{report: gen}
	if rows, ok := s.reportPages.get(size, gens, now); ok {
		return cloneReportRows(rows), nil
	}
	rows, err := read()
	if err != nil {
		return nil, err
	}
	s.reportPages.put(size, gens, changesByTime(rows, now), cloneReportRows(rows))
	return rows, nil
}

// changesByTime is the first moment after now at which one of rows changes with
// no write: a pending grant takes effect, or a removed one stops holding (and its
// row leaves the report). Zero when none does.
func changesByTime(rows []AccessReportRow, now time.Time) time.Time {
	c := firstChange{now: now}
	for _, r := range rows {
		c.grant(r.EffectiveAt, r.RevokeEffectiveAt)
	}
	return c.at
}

// cloneReportRows copies rows with their removal times, so no caller changes what
// is kept, nor what another request was given.
func cloneReportRows(rows []AccessReportRow) []AccessReportRow {
	out := slices.Clone(rows)
	for i := range out {
		out[i].RevokeEffectiveAt = cloneTime(out[i].RevokeEffectiveAt)
	}
	return out
}
