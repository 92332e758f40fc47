package i18n

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/contoso/admincenter/models"
)

// keys flattens a language's catalog files into their message ids; an id defined
// in two files fails the test, since one would silently win.
func keys(t *testing.T, code string) []string {
	t.Helper()
	files, err := Catalog(code)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no catalog for %s", code)
	}
	var out []string
	seen := map[string]string{}
	for name, b := range files {
		var raw map[string]any
		if err := toml.Unmarshal(b, &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var walk func(prefix string, m map[string]any)
		walk = func(prefix string, m map[string]any) {
			for k, v := range m {
				id := prefix + k
				if sub, ok := v.(map[string]any); ok {
					if _, plural := sub["other"]; !plural {
						walk(id+".", sub)
						continue
					}
				}
				if other, dup := seen[id]; dup {
					t.Errorf("%s is defined in %s and in %s", id, other, name)
				}
				seen[id] = name
				out = append(out, id)
			}
		}
		walk("", raw)
	}
	sort.Strings(out)
	return out
}

func TestCatalogsHaveTheSameMessages(t *testing.T) {
	t.Parallel()
	en, nl := keys(t, "en"), keys(t, "nl")
	for _, k := range en {
		if !slices.Contains(nl, k) {
			t.Errorf("nl.toml lacks %s", k)
		}
	}
	for _, k := range nl {
		if !slices.Contains(en, k) {
			t.Errorf("en.toml lacks %s", k)
		}
	}
}

// TestEveryLiteralKeyExists scans the views and handlers for message ids written out
// in full and checks each one is in the catalog.
func TestEveryLiteralKeyExists(t *testing.T) {
	t.Parallel()
	en := keys(t, "en")
	re := regexp.MustCompile(`i18n\.(?:T|N)\(ctx, "([a-z0-9_.]+)"|"((?:signin|perm|send|fwd|delivery|policy)\.(?:error|toast|warn)\.[a-z0-9_.]+)"`)
	var files []string
	for _, dir := range []string{"..", "../../handlers"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.templ"))
		files = append(files, m...)
		m, _ = filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, m...)
		m, _ = filepath.Glob(filepath.Join(dir, "components", "*.templ"))
		files = append(files, m...)
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_templ.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			id := m[1] + m[2]
			if strings.HasSuffix(id, ".") {
				continue // a prefix completed at run time; checked below
			}
			seen++
			if !slices.Contains(en, id) {
				t.Errorf("%s uses %s, which the catalog lacks", f, id)
			}
		}
	}
	for _, status := range []string{"400", "403", "404", "405", "413", "429", "500"} {
		for _, part := range []string{".title", ".text"} {
			if !slices.Contains(en, "error."+status+part) {
				t.Errorf("catalog lacks error.%s%s", status, part)
			}
		}
	}
	if seen < 50 {
		t.Fatalf("found only %d message ids; is the scan still right?", seen)
	}
}

func TestMatchAndFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ chosen, accept, want string }{
		{"", "nl-NL,nl;q=0.9", "nl"},
		{"", "nl-BE", "nl"},
		{"", "de-DE,en;q=0.5", "en"},
		{"", "", "en"},
		{"en", "nl", "en"},
		{"xx", "nl", "nl"},
	} {
		if got := Match(tc.chosen, tc.accept); got != tc.want {
			t.Errorf("Match(%q, %q) = %s", tc.chosen, tc.accept, got)
		}
	}
	nl := WithLang(context.Background(), "nl")
	if got := GB(nl, 12_870<<20); got != "12,57 GB" {
		t.Errorf("GB nl = %q", got)
	}
	if got := GB(context.Background(), 50<<30); got != "50 GB" {
		t.Errorf("GB en = %q", got)
	}
	if got := N(nl, "mail.holders", 2); got != "2 personen" {
		t.Errorf("plural = %q", got)
	}
}

// TestKeysBuiltAtRunTime checks the message ids the views build from model values.
func TestKeysBuiltAtRunTime(t *testing.T) {
	t.Parallel()
	var ids []string
	for _, r := range models.Roles {
		ids = append(ids, "role."+string(r))
	}
	for _, r := range models.Rights {
		ids = append(ids, "right."+string(r))
	}
	for _, r := range models.Rights {
		ids = append(ids, "perm.describe."+string(r))
	}
	for _, g := range []models.GroupType{models.GroupSecurity, models.GroupMailSecurity, models.GroupDistribution, models.GroupM365} {
		ids = append(ids, "group_type."+string(g))
	}
	for _, k := range []string{"outside", "owner", "not_person", "distribution_list", "not_mail_enabled", "group_type", "none_selected", "right", "automap_group"} {
		ids = append(ids, "perm.error."+k)
	}
	for _, k := range []string{"sender_required", "from_required", "unknown_sender", "unknown_mailbox"} {
		ids = append(ids, "send.error."+k)
	}
	for _, p := range models.ForwardingPolicies {
		ids = append(ids, "policy."+string(p), "policy.help."+string(p))
	}
	for _, k := range []models.DeliveryKind{models.DeliverMailbox, models.DeliverForwarded, models.DeliverExpanded, models.DeliverExternal,
		models.DeliverBounced, models.DeliverNoMailbox, models.DeliverUnknown, models.DeliverSkipped} {
		ids = append(ids, "delivery.step."+string(k))
	}
	for _, k := range []string{"required", "one_address", "invalid", "own", "unknown_internal", "loop", "no_license", "stale"} {
		ids = append(ids, "fwd.error."+k)
	}
	for _, k := range []string{"required", "one_address", "invalid"} {
		ids = append(ids, "delivery.error."+k)
	}
	ids = append(ids, "audit.error.date", "policy.error.invalid", "pane.tab.licenses")
	for _, r := range models.Roles {
		ids = append(ids, "roles.help."+string(r))
	}
	for _, k := range []string{"basic", "addresses", "members", "permissions", "forwarding", "replies", "sent", "gal", "storage"} {
		ids = append(ids, "shared.sec."+k)
	}
	for _, st := range []models.StorageState{models.StorageOK, models.StorageNearLimit, models.StorageSendBlocked, models.StorageFull} {
		ids = append(ids, "storage.state."+string(st))
	}
	for _, st := range []models.AutoReplyState{models.AutoReplyDisabled, models.AutoReplyEnabled, models.AutoReplyScheduled} {
		ids = append(ids, "reply.state."+string(st))
	}
	for _, k := range []string{"convert.error.no_account", "convert.error.no_license", "convert.error.no_license_back", "convert.error.no_mailbox",
		"convert.error.over_quota", "reply.error.date", "reply.error.end_before_start", "reply.error.end_required", "reply.error.external_required",
		"reply.error.internal_required", "reply.error.start_required", "reply.error.state", "reply.error.too_long", "shared.error.delete_converted",
		"shared.error.group", "shared.error.name_required", "shared.error.none_selected"} {
		ids = append(ids, k)
	}
	for _, a := range []string{"block", "unblock", "assign", "unassign", "delete"} {
		ids = append(ids, "bulk.action."+a, "bulk.done."+a)
	}
	for _, k := range []string{"addr.error.alias_invalid", "addr.error.alias_required", "addr.error.domain", "addr.error.remove_primary", "addr.error.taken",
		"lic.error.no_seats", "lic.error.unknown", "pw.error.length", "pw.error.weak", "roles.error.last_global", "roles.error.last_global_block",
		"roles.error.last_global_delete", "roles.error.unknown", "user.error.delete_self", "user.error.display_name_required", "user.error.too_long"} {
		ids = append(ids, k)
	}
	// What CheckText says about each kind of text it refuses, and the username's rules.
	for _, bad := range []string{"\xff", "a\x00", "a\u202e", "a\nb"} {
		ids = append(ids, models.CheckText(bad, false).Key)
	}
	ids = append(ids, "upn.error.taken", "upn.error.address")
	for _, f := range models.UserFilters {
		ids = append(ids, "users.filter."+string(f))
	}
	for _, m := range []models.MailboxType{models.MailboxUser, models.MailboxShared} {
		ids = append(ids, "mailbox_type."+string(m))
	}
	ids = append(ids, "pane.tab.account", "pane.tab.mail",
		"forwarding_stopped.license_removed", "forwarding_stopped.blocked", "forwarding_stopped.deleted")
	for _, lang := range Codes {
		ctx := WithLang(context.Background(), lang)
		for _, id := range ids {
			if T(ctx, id) == id {
				t.Errorf("%s: %s is missing", lang, id)
			}
		}
	}
}
