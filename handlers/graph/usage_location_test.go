package graph_test

import (
	"testing"

	"github.com/contoso/admincenter/models"
)

func TestUsageLocationIsKept(t *testing.T) {
	s := newServer(t, nil)
	adele := s.ok(s.do("GET", "/users/AdeleV@contoso.com?$select=id,usageLocation,jobTitle", ""), 200)
	id := adele["id"].(string)
	if v, ok := adele["usageLocation"]; !ok || v != nil {
		t.Errorf("usageLocation before any is set: %v", adele)
	}
	if _, ok := s.ok(s.do("GET", "/users/"+id, ""), 200)["usageLocation"]; ok {
		t.Error("usageLocation is not one of Graph's default properties")
	}

	mark := s.newestAudit()
	s.ok(s.do("PATCH", "/users/"+id, `{"usageLocation":"nl"}`), 204)
	if got := s.ok(s.do("GET", "/users/"+id+"?$select=usageLocation", ""), 200); got["usageLocation"] != "NL" {
		t.Errorf("usageLocation after PATCH: %v", got)
	}
	if got := s.auditSince(mark); len(got) != 1 || got[0] != "user.usage_location" {
		t.Errorf("audit entries: %v", got)
	}
	list := s.ok(s.do("GET", "/users?$filter=usageLocation%20eq%20'NL'&$select=id,usageLocation", ""), 200)
	if v := list["value"].([]any); len(v) != 1 || v[0].(map[string]any)["id"] != id {
		t.Errorf("$filter usageLocation eq 'NL': %v", v)
	}

	// Not a country code: Graph's error, and nothing sent with it changes.
	for _, body := range []string{`{"usageLocation":"XX"}`, `{"usageLocation":"NLD"}`, `{"usageLocation":"N"}`,
		`{"jobTitle":"Changed","usageLocation":"ZZ"}`} {
		mark := s.newestAudit()
		code, message := s.graphError(s.do("PATCH", "/users/"+id, body), 400)
		if code != "Request_BadRequest" || message != "Invalid value specified for property 'usageLocation' of resource 'User'." {
			t.Errorf("%s: %s %q", body, code, message)
		}
		if got := s.ok(s.do("GET", "/users/"+id+"?$select=usageLocation,jobTitle", ""), 200); got["usageLocation"] != "NL" || got["jobTitle"] != adele["jobTitle"] {
			t.Errorf("%s changed something: %v", body, got)
		}
		if got := s.auditSince(mark); len(got) != 0 {
			t.Errorf("%s: audit entries %v", body, got)
		}
	}

	// A Global reader may not set it; "" clears it.
	reader := s.appToken("Reader app", models.RoleGlobalReader)
	s.graphError(s.doWith(reader, "PATCH", "/users/"+id, `{"usageLocation":"US"}`), 403)
	s.ok(s.do("PATCH", "/users/"+id, `{"usageLocation":""}`), 204)
	if got := s.ok(s.do("GET", "/users/"+id+"?$select=usageLocation", ""), 200); got["usageLocation"] != nil {
		t.Errorf("usageLocation after clearing: %v", got)
	}
}

func TestCreateUserWithUsageLocation(t *testing.T) {
	s := newServer(t, nil)
	code, message := s.graphError(s.do("POST", "/users", `{"accountEnabled":true,"displayName":"Nowhere Person","mailNickname":"nowhere",
		"userPrincipalName":"nowhere@contoso.com","usageLocation":"QQ","passwordProfile":{"password":"Graph-Pass-2026!"}}`), 400)
	if code != "Request_BadRequest" || message != "Invalid value specified for property 'usageLocation' of resource 'User'." {
		t.Errorf("bad usageLocation on POST: %s %q", code, message)
	}
	s.graphError(s.do("GET", "/users/nowhere@contoso.com", ""), 404)

	created := s.ok(s.do("POST", "/users", `{"accountEnabled":true,"displayName":"Located Person","mailNickname":"located",
		"userPrincipalName":"located@contoso.com","usageLocation":"be","passwordProfile":{"password":"Graph-Pass-2026!"}}`), 201)
	got := s.ok(s.do("GET", "/users/"+created["id"].(string)+"?$select=usageLocation", ""), 200)
	if got["usageLocation"] != "BE" {
		t.Errorf("usageLocation of a new person: %v", got)
	}
}

// A person without a usage location still gets a licence: the admin center's own
// flows (Add user, the licence panels, bulk jobs) never set one, so Microsoft's
// rule is not enforced (models/usage_location.go).
func TestAssignLicenseWithoutUsageLocation(t *testing.T) {
	s := newServer(t, nil)
	s.ok(s.do("POST", "/users", `{"accountEnabled":true,"displayName":"Unlocated Person","mailNickname":"unlocated",
		"userPrincipalName":"unlocated@contoso.com","passwordProfile":{"password":"Graph-Pass-2026!"}}`), 201)
	after := s.ok(s.do("POST", "/users/unlocated@contoso.com/assignLicense",
		`{"addLicenses":[{"skuId":"f245ecc8-75af-4f8e-b61f-27d8114de5f3","disabledPlans":[]}],"removeLicenses":[]}`), 200)
	if after["usageLocation"] != nil {
		t.Errorf("assignLicense answer: %v", after)
	}
}
