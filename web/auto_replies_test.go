package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
)

// replyOf is the automatic replies of addr's mailbox as the engine keeps them.
func (a *app) replyOf(addr string) models.AutoReply {
	a.t.Helper()
	id, err := strconv.ParseUint(a.recipient(addr), 10, 64)
	if err != nil {
		a.t.Fatal(err)
	}
	r, err := a.store.AutoRepliesOf(context.Background(), uint(id))
	if err != nil {
		a.t.Fatal(err)
	}
	return r.AutoReply
}

// replyForm is the automatic replies form on page as a browser sends it, with
// its text areas.
func (a *app) replyForm(page string) url.Values {
	a.t.Helper()
	v := a.formValues(page, page)
	r := a.get(page)
	for _, name := range []string{"internal", "external"} {
		v.Set(name, r.doc.Find(`form[action="`+page+`"] textarea[name=`+name+`]`).Text())
	}
	return v
}

// The shared mailbox's form kept no audience: saving it with replies outside on
// turned "Known" (senders in the contact list) into "All".
func TestSharedAutoRepliesKeepTheOutsideAudience(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	ctx := context.Background()
	admin, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	info := a.sharedPath("info@contoso.com")
	id, _ := strconv.ParseUint(strings.TrimPrefix(info, "/shared-mailboxes/"), 10, 64)
	reply := models.AutoReply{State: models.AutoReplyEnabled, Internal: "Closed", External: "We're closed"}
	reply.SetAudience(models.AudienceKnown)
	// Set as Set-MailboxAutoReplyConfiguration -ExternalAudience Known sets it.
	if err := a.store.SetAutoReplies(ctx, admin, uint(id), reply, mustAtoi(t, a.versionOf(info+"/auto-replies", info+"/auto-replies"))); err != nil {
		t.Fatal(err)
	}
	r := a.get(info + "/auto-replies")
	if _, ok := r.doc.Find("#reply-audience-known").Attr("checked"); !ok || text(r, `label[for=reply-audience-known]`) != "Only to senders in my contact list" ||
		text(r, `label[for=reply-audience-all]`) != "All external senders" {
		t.Fatalf("the audience is not offered as kept: %q", text(r, "fieldset"))
	}
	// Saved as shown: Known stays Known.
	form := a.replyForm(info + "/auto-replies")
	form.Set("internal", "Closed today")
	if r := a.post(info+"/auto-replies", form); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.status)
	}
	if got := a.replyOf("info@contoso.com"); got.Audience() != models.AudienceKnown || got.Internal != "Closed today" {
		t.Fatalf("after saving: %s %+v", got.Audience(), got)
	}
	// Choosing All external senders keeps that.
	form = a.replyForm(info + "/auto-replies")
	form.Set("audience", "All")
	if r := a.post(info+"/auto-replies", form); r.status != http.StatusSeeOther {
		t.Fatalf("save all: %d", r.status)
	}
	if got := a.replyOf("info@contoso.com").Audience(); got != models.AudienceAll {
		t.Fatalf("audience %s, want All", got)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPersonAutoReplies(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	megan := a.userPath("meganb@contoso.com")
	panel := megan + "/auto-replies"

	// The Mail tab shows the state and opens the panel.
	r := a.get(megan + "?tab=mail")
	if text(r, "#mail-reply-state") != "Off" || r.doc.Find(`section[aria-labelledby=sec-replies] a[href="`+panel+`"]`).Length() != 1 {
		t.Fatalf("Mail tab: %q", text(r, "section[aria-labelledby=sec-replies]"))
	}
	r = a.get(panel)
	if r.status != http.StatusOK || r.doc.Find("input#reply-on[role=switch]").Length() != 1 || text(r, `form[action="`+panel+`"] button[type=submit]`) != "Save" {
		t.Fatalf("panel: %d", r.status)
	}
	v := a.versionOf(panel, panel)
	tok := a.csrf(panel)

	// A rule broken comes back in the panel with what was typed.
	r = a.post(panel, url.Values{"_csrf": {tok}, "version": {v}, "enabled": {"on"}, "scheduled": {"on"}, "internal": {"Away"},
		"start": {"2027-01-10T09:00"}, "end": {"2027-01-01T09:00"}, "outside": {"on"}, "audience": {"Known"}, "external": {"Out"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#reply-end[aria-invalid=true]").Length() != 1 ||
		text(r, "#reply-internal") != "Away" {
		t.Fatalf("end before start: %d", r.status)
	}
	if _, ok := r.doc.Find("#reply-audience-known").Attr("checked"); !ok {
		t.Fatal("the audience chosen is lost on a rule broken")
	}
	r = a.post(panel, url.Values{"_csrf": {tok}, "version": {v}, "enabled": {"on"}, "scheduled": {"on"}, "start": {"soon"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#reply-start[aria-invalid=true]").Length() != 1 {
		t.Fatalf("bad date: %d", r.status)
	}

	// Saved through the engine: state, period, replies and audience; audited.
	r = a.post(panel, url.Values{"_csrf": {tok}, "version": {v}, "enabled": {"on"}, "scheduled": {"on"}, "internal": {"<b>Away</b>"},
		"start": {"2027-01-01T09:00"}, "end": {"2027-01-10T09:00"}, "outside": {"on"}, "audience": {"Known"}, "external": {"Out of office"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != panel {
		t.Fatalf("save: %d %s", r.status, r.header.Get("Location"))
	}
	got := a.replyOf("meganb@contoso.com")
	if got.State != models.AutoReplyScheduled || got.Internal != "<b>Away</b>" || got.Audience() != models.AudienceKnown ||
		!got.Start.Equal(time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)) || got.External != "Out of office" {
		t.Fatalf("kept %+v", got)
	}
	if n := a.count(`SELECT COUNT(*) FROM audit_events WHERE action = ? AND target = ?`, "mailbox.auto_replies", "Megan Bowen"); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	r = a.get(panel)
	if strings.Contains(r.body, "<b>Away</b>") || text(r, "#reply-internal") != "<b>Away</b>" {
		t.Fatal("the reply is not escaped")
	}
	if text(a.get(megan+"?tab=mail"), "#mail-reply-state") != "Scheduled" {
		t.Fatal("the Mail tab does not show the new state")
	}

	// A stale form: the reload message in the panel, the current replies, Reload,
	// and no claim about the Global administrator's role.
	r = a.post(panel, url.Values{"_csrf": {tok}, "version": {v}}, "HX-Request", "true")
	if r.status != http.StatusConflict || !strings.Contains(text(r, "[role=alert]"), "Another admin changed") ||
		r.doc.Find(`[role=alert] a[href="`+panel+`"], [role=alert] button`).Length() == 0 || text(r, "#reply-internal") != "<b>Away</b>" ||
		strings.Contains(r.body, "Your role") {
		t.Fatalf("stale: %d %q", r.status, text(r, "[role=alert]"))
	}
	if a.replyOf("meganb@contoso.com").State != models.AutoReplyScheduled {
		t.Fatal("a stale form changed the replies")
	}

	// htmx: the panel with a toast. Dutch labels.
	v = a.versionOf(panel, panel)
	r = a.post(panel, url.Values{"_csrf": {tok}, "version": {v}}, "HX-Request", "true")
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("HX-Trigger"), "Automatic replies for Megan Bowen saved: Off.") {
		t.Fatalf("htmx save: %d %q", r.status, r.header.Get("HX-Trigger"))
	}
	nl := a.get(panel, "Accept-Language", "nl")
	if text(nl, "#pane-title") != "Automatische antwoorden beheren" || text(nl, `label[for=reply-audience-all]`) != "Alle externe afzenders" ||
		text(nl, `form[action="`+panel+`"] button[type=submit]`) != "Opslaan" {
		t.Fatalf("Dutch: %q", text(nl, "#pane-title"))
	}
}

func TestPersonAutoRepliesRefusedToReaders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	if r := a.signIn("miriamg@contoso.com", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", r.status)
	}
	megan := a.userPath("meganb@contoso.com")
	panel := megan + "/auto-replies"
	r := a.get(panel)
	save := r.doc.Find(`form[action="` + panel + `"] button[disabled]`)
	why, _ := save.Attr("aria-describedby")
	if r.status != http.StatusOK || save.Length() != 1 || why == "" || !strings.Contains(text(r, "#"+why), "Global reader") {
		t.Fatalf("reader panel: %d %q", r.status, text(r, "#"+why))
	}
	tok := a.csrf(panel)
	if r := a.post(panel, url.Values{"_csrf": {tok}, "version": {a.versionOf(panel, panel)}, "enabled": {"on"}, "internal": {"Away"}}); r.status != http.StatusForbidden {
		t.Fatalf("reader save: %d", r.status)
	}
	if a.replyOf("meganb@contoso.com").State != models.AutoReplyDisabled {
		t.Fatal("a reader changed the replies")
	}
}
