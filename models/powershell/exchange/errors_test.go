package exchange

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

// unreachable are the rules of the models that no cmdlet's method can report.
// (API apps, user principal names and usage locations are Entra's, not Exchange's.)
var unreachable = []string{"signin.", "pw.", "send.", "delivery.", "lic.", "policy.", "roles.error.unknown", "apps.", "upn.",
	"user.error.usage_location",
	"eac.", "reports.", "jobs."} // the Exchange admin center's pages, reports and jobs are not cmdlets

// TestEveryRuleHasExchangeWording reads the models' message keys and checks that
// each one the cmdlets can meet has Exchange's wording here.
func TestEveryRuleHasExchangeWording(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	key := regexp.MustCompile(`"([a-z0-9_]+\.(?:error|warn)\.[a-z_]+)"`)
	found := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			found[m[1]] = true
		}
	}
	for k := range found {
		skip := false
		for _, u := range unreachable {
			skip = skip || strings.HasPrefix(k, u)
		}
		if _, ok := ruleMessages[k]; !ok && !skip {
			t.Errorf("%s has no Exchange wording in ruleMessages", k)
		}
	}
	for _, k := range ruleKeys() {
		if !found[k] {
			t.Errorf("ruleMessages has %s, which the models no longer use", k)
		}
	}
}

func TestErrorMapping(t *testing.T) {
	ctx := context.Background()
	if rec := mapError(ctx, errors.New("SQL logic error: no such table")); rec != nil {
		t.Errorf("an unknown error was mapped: %+v", rec)
	}
	rec := mapError(ctx, models.Invalid("x", "no.such.key", nil))
	if rec == nil || strings.Contains(rec.Message, "no.such.key") {
		t.Errorf("unknown key: %+v", rec)
	}
	rec = mapError(ctx, deniedError{cmdlet: "Set-Mailbox"})
	if rec.RESTMessage() != `Ex5E8EA4|Microsoft.Exchange.Configuration.Authorization.CmdletAccessDeniedException|Some of the parameters specified with the "Set-Mailbox" cmdlet aren't present in the role definition for the current user. Check the management roles assigned to you, and try again.` {
		t.Errorf("denied: %s", rec.RESTMessage())
	}
	if rec := mapError(ctx, models.ErrStale); rec == nil || rec.Category != "WriteError" {
		t.Errorf("stale: %+v", rec)
	}
	// The engine shows an unmapped error as an unexpected one, never its text.
	tn := newTenant(t)
	res := tn.engine.Run(ctx, "not an admin", "Set-Mailbox info -HiddenFromAddressListsEnabled $true")
	if !res.Failed() || !strings.Contains(res.Errors[0].Message, "aren't present in the role definition") {
		t.Errorf("actor of the wrong type: %s", res.Text())
	}
}
