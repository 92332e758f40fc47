package models

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

func TestAuditChanges(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	for _, c := range []struct {
		name          string
		before, after string
		want          []AuditChange
	}{
		{"forwarding turned on", `{"forwarding_address":"","keep_copy":false}`, `{"forwarding_address":"alex@fabrikam.com","keep_copy":false}`,
			[]AuditChange{{Field: "forwarding_address", Before: AuditValue{Missing: true}, After: AuditValue{Text: "alex@fabrikam.com"}}}},
		{"a new entry has no before", ``, `{"right":"SendAs","trustee":"alexw@contoso.com"}`,
			[]AuditChange{{Field: "right", Before: AuditValue{Missing: true}, After: AuditValue{Text: "SendAs"}},
				{Field: "trustee", Before: AuditValue{Missing: true}, After: AuditValue{Text: "alexw@contoso.com"}}}},
		{"lists and booleans", `{"roles":["helpdesk_admin"],"blocked":false}`, `{"roles":["global_reader","helpdesk_admin"],"blocked":true}`,
			[]AuditChange{{Field: "blocked", Before: AuditValue{Bool: &no}, After: AuditValue{Bool: &yes}},
				{Field: "roles", Before: AuditValue{Text: "helpdesk_admin"}, After: AuditValue{Text: "global_reader, helpdesk_admin"}}}},
		{"nested values stay JSON", ``, `{"data":{"a": 1}}`,
			[]AuditChange{{Field: "data", Before: AuditValue{Missing: true}, After: AuditValue{Text: `{"a":1}`}}}},
		{"not an object", ``, `"x"`, []AuditChange{{Field: "value", Before: AuditValue{Missing: true}, After: AuditValue{Text: "x"}}}},
		{"nothing changed", `{"a":"b"}`, `{"a":"b"}`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := AuditChanges(c.before, c.after)
			if len(got) != len(c.want) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
			for i := range got {
				g, w := got[i], c.want[i]
				if g.Field != w.Field || !sameValue(g.Before, w.Before) || !sameValue(g.After, w.After) {
					t.Errorf("change %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func sameValue(a, b AuditValue) bool {
	if (a.Bool == nil) != (b.Bool == nil) || a.Bool != nil && *a.Bool != *b.Bool {
		return false
	}
	return a.Missing == b.Missing && a.Text == b.Text
}

func TestAuditLogWhoMayRead(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.grant("meganb@contoso.com", RightSendAs, "alexw@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.grant("info@contoso.com", RightFullAccess, "alexw@contoso.com"); err != nil {
		t.Fatal(err)
	}
	for addr, may := range map[string]bool{"admin@contoso.com": true, "pattif@contoso.com": true, "miriamg@contoso.com": true, "leeg@contoso.com": false} {
		page, err := f.s.AuditLog(ctx, f.as(addr), AuditQuery{Action: "mailbox_permission.add"})
		if !may {
			if !errors.Is(err, ErrForbidden) {
				t.Errorf("%s reads the audit log: %v", addr, err)
			}
			if _, err := f.s.AuditLogActions(ctx, f.as(addr)); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s lists the activities: %v", addr, err)
			}
			continue
		}
		if err != nil || len(page.Entries) != 2 {
			t.Fatalf("%s: %v", addr, err)
		}
		info, megan := page.Entries[0], page.Entries[1]
		if megan.Activity != "mailbox_permission.add_sendas" || info.Activity != "mailbox_permission.add_fullaccess" {
			t.Errorf("activities: %q, %q", megan.Activity, info.Activity)
		}
		if megan.Link != (AuditLink{Kind: LinkUser, ID: f.user("meganb@contoso.com")}) {
			t.Errorf("Megan's entry links to %+v", megan.Link)
		}
		if info.Link != (AuditLink{Kind: LinkShared, ID: f.mailbox("info@contoso.com").ID}) {
			t.Errorf("Info's entry links to %+v", info.Link)
		}
	}
	if err := f.s.SetForwardingPolicy(ctx, f.admin, ForwardingOn); err != nil {
		t.Fatal(err)
	}
	page, err := f.s.AuditLog(ctx, f.admin, AuditQuery{Action: "policy.external_forwarding"})
	if err != nil || len(page.Entries) != 1 || page.Entries[0].Link.Kind != LinkPolicy {
		t.Fatalf("policy entry: %v %+v", err, page)
	}
}

// TestEveryAuditActionIsNamed keeps AuditActionNames (and so the catalogs) complete:
// every action the models write is listed.
func TestEveryAuditActionIsNamed(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`(?:\.audit\(tx, [^,]+, |audit: )"([a-z_]+\.[a-z_]+)"`)
	seen := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllSubmatch(src, -1) {
			seen++
			if !slices.Contains(AuditActionNames, string(m[1])) {
				t.Errorf("%s writes %q, which AuditActionNames does not list", name, m[1])
			}
		}
	}
	if seen < 30 {
		t.Fatalf("found only %d audit calls: the pattern is out of date", seen)
	}
}
