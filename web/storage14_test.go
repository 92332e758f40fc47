package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
)

// TestStorageStatesInPanesAndLists fills a person's and a shared mailbox through
// the test controls to each storage state and finds the state in words in the
// pane and as a badge in the list (Active users, Shared mailboxes), in English
// and in Dutch (issue 14).
func TestStorageStatesInPanesAndLists(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, func(c *Config) { c.TestControls = true })
	a.signInAdmin()
	type words struct{ badge, pane string }
	states := []struct {
		state  string
		usedMB int64 // of the 51200 MB (50 GB) quota
		en, nl words
	}{
		{"ok", 2_000, words{"", "Storage is fine."}, words{"", "De opslag is in orde."}},
		{"near", 46_500, words{"Nearly full", "Nearly full: the mailbox will soon stop sending mail."},
			words{"Bijna vol", "Bijna vol: het postvak kan binnenkort geen e-mail meer verzenden."}},
		{"send_blocked", 51_450, words{"Can't send", "Full: the mailbox can't send mail, and receives only for a short while longer."},
			words{"Kan niet verzenden", "Vol: het postvak kan geen e-mail verzenden en ontvangt nog maar korte tijd."}},
		{"full", 54_000, words{"Can't send or receive", "Full: the mailbox can't send or receive; senders get a non-delivery report."},
			words{"Kan niet verzenden of ontvangen", "Vol: het postvak kan niet verzenden of ontvangen; afzenders krijgen een rapport over niet-bezorgde berichten."}},
	}
	joni, reception := a.userPath("jonis@contoso.com")+"?tab=mail", a.sharedPath("reception@contoso.com")
	for _, st := range states {
		for _, box := range []struct{ address, list, pane string }{
			{"jonis@contoso.com", "/users?q=joni", joni},
			{"reception@contoso.com", "/shared-mailboxes?q=reception", reception},
		} {
			r := a.control("/api/test/storage", `{"address":"`+box.address+`","usedMB":`+strconv.FormatInt(st.usedMB, 10)+`}`)
			var got struct {
				UsedMB, QuotaMB int64
				State           string
			}
			if err := json.Unmarshal([]byte(r.body), &got); r.status != http.StatusOK || err != nil || got.State != st.state || got.UsedMB != st.usedMB || got.QuotaMB != 51_200 {
				t.Fatalf("%s to %d MB: %d %s", box.address, st.usedMB, r.status, r.body)
			}
			for _, lang := range []struct {
				code string
				w    words
			}{{"en", st.en}, {"nl", st.nl}} {
				list := a.get(box.list, "Accept-Language", lang.code)
				if b := text(list, "tbody [data-storage-badge]"); b != lang.w.badge {
					t.Errorf("%s %s in the list (%s): badge %q, want %q", box.address, st.state, lang.code, b, lang.w.badge)
				}
				pane := a.get(box.pane, "Accept-Language", lang.code)
				if s := pane.doc.Find("[data-storage-state]"); s.AttrOr("data-storage-state", "") != st.state || text(pane, "[data-storage-state]") != lang.w.pane {
					t.Errorf("%s %s in the pane (%s): %q", box.address, st.state, lang.code, text(pane, "[data-storage-state]"))
				}
			}
		}
	}

	for body, want := range map[string]int{
		`{"address":"nobody@contoso.com","usedMB":1}`:    http.StatusNotFound,
		`{"address":"salesteam@contoso.com","usedMB":1}`: http.StatusConflict,
		`{"address":"jonis@contoso.com"}`:                http.StatusBadRequest,
		`{"address":"jonis@contoso.com","usedMB":-1}`:    http.StatusBadRequest,
	} {
		if r := a.control("/api/test/storage", body); r.status != want {
			t.Errorf("%s: %d, want %d", body, r.status, want)
		}
	}
}

// TestDemoTenantShowsStorageStates: without any change, the demo tenant has a
// shared mailbox nearly full (Reception) and a person who can't send (Joni).
func TestDemoTenantShowsStorageStates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	if b := text(a.get("/shared-mailboxes"), "tbody [data-storage-badge]"); b != "Nearly full" {
		t.Errorf("shared mailboxes: %q", b)
	}
	if b := text(a.get("/users?q=joni"), "tbody [data-storage-badge]"); b != "Can't send" {
		t.Errorf("Active users: %q", b)
	}
}
