package web

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// TestPagingEveryMailboxOfALargeTenant pages Get-Mailbox -ResultSize Unlimited
// through a 100,000-person tenant with Prefer: odata.maxpagesize=1000, following
// @odata.nextLink as the module does, and sees every person's mailbox once.
func TestPagingEveryMailboxOfALargeTenant(t *testing.T) {
	if os.Getenv("ADMINCENTER_TEST_SCALE") == "" {
		t.Skip("seeds 100,000 people (half a minute): set ADMINCENTER_TEST_SCALE=1, or run make test-scale")
	}
	t.Parallel()
	a := newAPIApp(t, nil)
	ctx := context.Background()
	start := time.Now()
	if err := a.store.SeedScale(ctx, models.ScaleOptions{Users: 100_000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
	// Every mailbox: people's (not everyone has one) and Info.
	list, err := a.store.RecipientMailboxes(ctx, models.MailboxListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	total := list.Total
	c := a.exoClient(a.appToken("Inventory", models.RoleGlobalReader))
	c.PageSize = 1000
	seen := make(map[string]int, total)
	pages := 0
	start = time.Now()
	err = c.Pages(ctx, "Get-Mailbox", powershell.Parameters{{Name: "ResultSize", Value: "Unlimited"}}, exoclient.Select{"ExternalDirectoryObjectId"},
		func(p *exoclient.Page) error {
			pages++
			if len(p.Values) > 1000 {
				t.Fatalf("a page of %d", len(p.Values))
			}
			for _, v := range p.Values {
				var o struct{ ExternalDirectoryObjectId string }
				if err := json.Unmarshal(v, &o); err != nil || o.ExternalDirectoryObjectId == "" {
					t.Fatalf("%s: %v", v, err)
				}
				seen[o.ExternalDirectoryObjectId]++
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	t.Logf("%d mailboxes in %d pages, %s (%.0f mailboxes/s)", len(seen), pages, elapsed.Round(time.Millisecond), float64(len(seen))/elapsed.Seconds())
	if len(seen) != total || pages != (total+999)/1000 {
		t.Errorf("%d mailboxes in %d pages, want %d", len(seen), pages, total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s returned %d times", id, n)
		}
	}
}
