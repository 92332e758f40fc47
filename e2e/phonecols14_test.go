//go:build e2e

package e2e

import (
	"testing"
)

// TestPhoneListsShowTheHiddenColumnsUnderTheName: at 390 px the lists leave out
// their less important columns, and what those columns say is in the row's first
// cell instead (a phone copy), visible, so nothing is lost on a phone.
func TestPhoneListsShowTheHiddenColumnsUnderTheName(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.must(b.page.SetViewportSize(phone.Width, phone.Height))
	for _, path := range []string{"/users", "/shared-mailboxes", "/groups", "/exchange/mailboxes", "/exchange/shared", "/users/deleted", "/reports/mailbox-access", "/reports/forwarding"} {
		b.goto_(path)
		res, err := b.page.Evaluate(`() => {
			const table = document.querySelector("main table");
			if (!table) return "no table";
			const hidden = Array.from(table.querySelectorAll("thead th")).filter((th) => getComputedStyle(th).display === "none").length;
			const row = table.querySelector("tbody tr");
			if (!row || row.children.length === 1) return "ok"; // the empty row
			const copies = Array.from(row.querySelectorAll("[data-phone-only]")).filter((el) => {
				const r = el.getBoundingClientRect();
				return r.width > 0 && r.height > 0 && (el.textContent || "").trim() !== "";
			}).length;
			if (hidden > 0 && copies === 0) return hidden + " columns hidden and no phone copy in the first row";
			return "ok";
		}`)
		b.must(err)
		if res != "ok" {
			t.Errorf("%s at 390 px: %v", path, res)
		}
	}
}
