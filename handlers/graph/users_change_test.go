package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

// newestAudit is the id of the newest audit entry.
func (s *server) newestAudit() uint {
	s.t.Helper()
	page, err := s.store.AuditEvents(context.Background(), models.AuditQuery{Size: 1})
	if err != nil {
		s.t.Fatal(err)
	}
	if len(page.Events) == 0 {
		return 0
	}
	return page.Events[0].ID
}

// auditSince lists the actions of the audit entries after id, oldest first,
// without the apps' own (a test's app getting its token).
func (s *server) auditSince(id uint) []string {
	s.t.Helper()
	page, err := s.store.AuditEvents(context.Background(), models.AuditQuery{Size: 100})
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for i := len(page.Events) - 1; i >= 0; i-- {
		if page.Events[i].ID > id && !strings.HasPrefix(page.Events[i].Action, "app.") {
			out = append(out, page.Events[i].Action)
		}
	}
	return out
}

func TestPatchUserIsAllOrNothing(t *testing.T) {
	s := newServer(t, nil)
	path := "/users/AdeleV@contoso.com"
	before := s.ok(s.do("GET", path+"?$select=id,displayName,jobTitle,accountEnabled,userPrincipalName", ""), 200)
	id := before["id"].(string)
	for _, body := range []string{
		// A valid job title and enabled flag with a UPN in a domain the organization doesn't have.
		`{"jobTitle":"Changed","accountEnabled":false,"userPrincipalName":"adele.new@fabrikam.example"}`,
		// A valid UPN and block with an empty display name.
		`{"userPrincipalName":"adele.new@contoso.com","accountEnabled":false,"displayName":"  "}`,
		// A valid job title with a UPN another person has.
		`{"jobTitle":"Changed","userPrincipalName":"AlexW@contoso.com"}`,
	} {
		mark := s.newestAudit()
		code, _ := s.graphError(s.do("PATCH", "/users/"+id, body), 400)
		if code != "Request_BadRequest" {
			t.Errorf("%s: code %s", body, code)
		}
		after := s.ok(s.do("GET", "/users/"+id+"?$select=id,displayName,jobTitle,accountEnabled,userPrincipalName", ""), 200)
		for k, v := range before {
			if after[k] != v {
				t.Errorf("%s: %s changed from %v to %v", body, k, v, after[k])
			}
		}
		if got := s.auditSince(mark); len(got) != 0 {
			t.Errorf("%s: audit entries written for a refused change: %v", body, got)
		}
	}

	// All valid: every field changes, with one audit entry per kind of change.
	mark := s.newestAudit()
	s.ok(s.do("PATCH", "/users/"+id, `{"jobTitle":"Changed","displayName":"Adele V.","accountEnabled":false,"userPrincipalName":"adele.new@contoso.com"}`), 204)
	after := s.ok(s.do("GET", "/users/"+id+"?$select=displayName,jobTitle,accountEnabled,userPrincipalName", ""), 200)
	if after["jobTitle"] != "Changed" || after["displayName"] != "Adele V." || after["accountEnabled"] != false ||
		after["userPrincipalName"] != "adele.new@contoso.com" {
		t.Errorf("after a valid PATCH: %v", after)
	}
	if got := s.auditSince(mark); len(got) != 3 || got[0] != "user.contact" || got[1] != "user.username" || got[2] != "user.sign_in_blocked" {
		t.Errorf("audit entries: %v", got)
	}
	// The same values again change nothing and log nothing.
	mark = s.newestAudit()
	s.ok(s.do("PATCH", "/users/"+id, `{"jobTitle":"Changed","accountEnabled":false,"userPrincipalName":"adele.new@contoso.com"}`), 204)
	if got := s.auditSince(mark); len(got) != 0 {
		t.Errorf("audit entries for no change: %v", got)
	}
}

func TestPatchUserRefusedForReaderChangesNothing(t *testing.T) {
	s := newServer(t, nil)
	reader := s.appToken("Reader app", models.RoleGlobalReader)
	mark := s.newestAudit()
	code, _ := s.graphError(s.doWith(reader, "PATCH", "/users/AdeleV@contoso.com", `{"jobTitle":"Changed"}`), 403)
	if code != "Authorization_RequestDenied" {
		t.Errorf("reader: %s", code)
	}
	// A User administrator may change names but not a Global administrator's.
	admin := s.ok(s.do("GET", "/users/admin@contoso.com?$select=id,jobTitle", ""), 200)
	users := s.appToken("User admin app", models.RoleUserAdmin)
	s.graphError(s.doWith(users, "PATCH", "/users/"+admin["id"].(string), `{"jobTitle":"Changed"}`), 403)
	if got := s.ok(s.do("GET", "/users/admin@contoso.com?$select=jobTitle", ""), 200); got["jobTitle"] != admin["jobTitle"] {
		t.Errorf("job title changed: %v", got)
	}
	// A Helpdesk administrator may block sign-in but not change a job title: the
	// block doesn't happen either.
	helpdesk := s.appToken("Helpdesk app", models.RoleHelpdeskAdmin)
	s.graphError(s.doWith(helpdesk, "PATCH", "/users/AdeleV@contoso.com", `{"accountEnabled":false,"jobTitle":"Changed"}`), 403)
	if got := s.ok(s.do("GET", "/users/AdeleV@contoso.com?$select=accountEnabled", ""), 200); got["accountEnabled"] != true {
		t.Errorf("blocked by a refused change: %v", got)
	}
	s.ok(s.doWith(helpdesk, "PATCH", "/users/AdeleV@contoso.com", `{"accountEnabled":false}`), 204)
	if got := s.auditSince(mark); len(got) != 1 || got[0] != "user.sign_in_blocked" {
		t.Errorf("audit entries: %v", got)
	}
}

func TestCreateUserDisabledIsOneChange(t *testing.T) {
	s := newServer(t, nil)
	mark := s.newestAudit()
	created := s.ok(s.do("POST", "/users", `{"accountEnabled":false,"displayName":"Blocked From Start","mailNickname":"blockedstart",
		"userPrincipalName":"blockedstart@contoso.com","passwordProfile":{"password":"Graph-Pass-2026!"}}`), 201)
	if created["id"] == nil {
		t.Fatalf("created: %v", created)
	}
	got := s.ok(s.do("GET", "/users/blockedstart@contoso.com?$select=accountEnabled", ""), 200)
	if got["accountEnabled"] != false {
		t.Errorf("accountEnabled: %v", got)
	}
	if a := s.auditSince(mark); len(a) != 2 || a[0] != "user.create" || a[1] != "user.sign_in_blocked" {
		t.Errorf("audit entries: %v", a)
	}
}
