package graph_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
	"github.com/contoso/admincenter/web"
)

const testPassword = "Demo-Pass-2026"

// server is the real server over a fresh demo tenant, with a Graph token for a
// Global administrator app.
type server struct {
	t     *testing.T
	store *models.Store
	srv   *httptest.Server
	token string
}

func newServer(t *testing.T, change func(*web.Config)) *server {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "graph"), models.WithPasswordCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	cfg := web.DefaultConfig()
	if change != nil {
		change(&cfg)
	}
	e := web.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	s := &server{t: t, store: store, srv: srv}
	s.token = s.appToken("Graph admin", models.RoleGlobalAdmin)
	return s
}

// appToken makes an app with the roles and gets it a Graph token, as a program does.
func (s *server) appToken(name string, roles ...models.Role) string {
	s.t.Helper()
	ctx := context.Background()
	admin, err := s.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		s.t.Fatal(err)
	}
	app, err := s.store.CreateApp(ctx, admin, models.NewApp{Name: name, Roles: roles, LifetimeDays: 180})
	if err != nil {
		s.t.Fatal(err)
	}
	tok, err := exoclient.GetToken(ctx, nil, s.srv.URL, "contoso.com", app.ClientID, app.Secret, exoclient.ScopeGraph)
	if err != nil {
		s.t.Fatal(err)
	}
	return tok
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

// do sends a request with the app's token; headers are name, value pairs.
func (s *server) do(method, path, body string, headers ...string) response {
	s.t.Helper()
	return s.doWith(s.token, method, path, body, headers...)
}

func (s *server) doWith(token, method, path, body string, headers ...string) response {
	s.t.Helper()
	u := path
	if !strings.HasPrefix(u, "http") {
		u = s.srv.URL + "/v1.0" + path
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// ok checks a status and returns the JSON body.
func (s *server) ok(r response, status int) map[string]any {
	s.t.Helper()
	if r.status != status {
		s.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	return r.json(s.t)
}

// graphError checks Graph's error shape and returns its code.
func (s *server) graphError(r response, status int) (code, message string) {
	s.t.Helper()
	if r.status != status {
		s.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var e struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
				Date      string `json:"date"`
			} `json:"innerError"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		s.t.Fatalf("error body isn't JSON: %s", r.body)
	}
	if e.Error.Code == "" || e.Error.Message == "" || e.Error.InnerError.RequestID == "" || e.Error.InnerError.Date == "" {
		s.t.Fatalf("error body isn't Graph's shape: %s", r.body)
	}
	if r.header.Get("request-id") != e.Error.InnerError.RequestID {
		s.t.Errorf("request-id header %q, body %q", r.header.Get("request-id"), e.Error.InnerError.RequestID)
	}
	return e.Error.Code, e.Error.Message
}

func values(m map[string]any) []map[string]any {
	vs, _ := m["value"].([]any)
	out := make([]map[string]any, len(vs))
	for i, v := range vs {
		out[i], _ = v.(map[string]any)
	}
	return out
}

func TestUsersListSelectFilterOrder(t *testing.T) {
	s := newServer(t, nil)
	page := s.ok(s.do("GET", "/users", ""), 200)
	if !strings.HasSuffix(page["@odata.context"].(string), "/v1.0/$metadata#users") {
		t.Errorf("context %v", page["@odata.context"])
	}
	users := values(page)
	if len(users) == 0 {
		t.Fatal("no users")
	}
	first := users[0]
	for _, k := range []string{"id", "displayName", "userPrincipalName", "mail", "businessPhones", "givenName", "surname", "jobTitle"} {
		if _, ok := first[k]; !ok {
			t.Errorf("default property %s missing: %v", k, first)
		}
	}
	if _, ok := first["accountEnabled"]; ok {
		t.Error("accountEnabled isn't a default property")
	}
	prev := ""
	for _, u := range users {
		n := strings.ToLower(u["displayName"].(string))
		if n < prev {
			t.Errorf("not in name order: %q after %q", n, prev)
		}
		prev = n
	}

	sel := s.ok(s.do("GET", "/users?$select=displayName,accountEnabled&$top=2", ""), 200)
	if got := values(sel); len(got) != 2 || len(got[0]) != 2 || got[0]["accountEnabled"] != true {
		t.Errorf("$select: %v", got)
	}
	if !strings.HasSuffix(sel["@odata.context"].(string), "#users(displayName,accountEnabled)") {
		t.Errorf("$select context: %v", sel["@odata.context"])
	}

	one := values(s.ok(s.do("GET", "/users?$filter=userPrincipalName+eq+'AdeleV@contoso.com'", ""), 200))
	if len(one) != 1 || one[0]["displayName"] != "Adele Vance" {
		t.Fatalf("filter on UPN: %v", one)
	}
	for _, f := range []string{
		"startswith(displayName,'adele')",
		"displayName eq 'Adele Vance' and accountEnabled eq true",
		"mail in ('nobody@contoso.com','adelev@contoso.com')",
		"givenName eq 'Adele' or surname eq 'Nobody'",
	} {
		got := values(s.ok(s.do("GET", "/users?$filter="+urlEncode(f), ""), 200))
		if len(got) != 1 || got[0]["displayName"] != "Adele Vance" {
			t.Errorf("%s: %v", f, got)
		}
	}
	byUPN := values(s.ok(s.do("GET", "/users?$orderby=userPrincipalName+desc&$select=userPrincipalName", ""), 200))
	for i := 1; i < len(byUPN); i++ {
		if strings.ToLower(byUPN[i]["userPrincipalName"].(string)) > strings.ToLower(byUPN[i-1]["userPrincipalName"].(string)) {
			t.Fatalf("not in descending UPN order: %v", byUPN)
		}
	}
	code, _ := s.graphError(s.do("GET", "/users?$filter=officeLocation+eq+'x'", ""), 400)
	if code != "Request_UnsupportedQuery" {
		t.Errorf("unsupported property: %s", code)
	}
	code, _ = s.graphError(s.do("GET", "/users?$filter=displayName+eq", ""), 400)
	if code != "BadRequest" {
		t.Errorf("broken filter: %s", code)
	}
	code, _ = s.graphError(s.do("GET", "/users?$top=1000", ""), 400)
	if code != "Request_BadRequest" {
		t.Errorf("$top 1000: %s", code)
	}
	s.graphError(s.do("GET", "/users?$select=shoeSize", ""), 400)
}

func urlEncode(s string) string {
	r := strings.NewReplacer(" ", "%20", "'", "%27", "(", "%28", ")", "%29", ",", "%2C", "@", "%40", ":", "%3A", "/", "%2F")
	return r.Replace(s)
}

func TestSearchAndCountNeedEventual(t *testing.T) {
	s := newServer(t, nil)
	code, msg := s.graphError(s.do("GET", `/users?$search="displayName:adele"`, ""), 400)
	if code != "Request_UnsupportedQuery" || !strings.Contains(msg, "ConsistencyLevel: eventual") {
		t.Errorf("search without the header: %s %s", code, msg)
	}
	s.graphError(s.do("GET", "/users?$count=true", ""), 400)
	s.graphError(s.do("GET", "/users/$count", ""), 400)

	page := s.ok(s.do("GET", `/users?$search="displayName:adele"&$count=true`, "", "ConsistencyLevel", "eventual"), 200)
	if got := values(page); len(got) != 1 || page["@odata.count"] != float64(1) {
		t.Errorf("search with count: %v", page)
	}
	total := s.ok(s.do("GET", "/users?$count=true&$top=1", "", "ConsistencyLevel", "eventual"), 200)["@odata.count"].(float64)
	r := s.do("GET", "/users/$count", "", "ConsistencyLevel", "eventual")
	if r.status != 200 || string(r.body) != itoa(int(total)) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Errorf("$count: %d %q (want %v)", r.status, r.body, total)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestPagingWithSkiptokenSeesEachOnceWhileOthersChange(t *testing.T) {
	s := newServer(t, nil)
	seen := map[string]int{}
	next := s.srv.URL + "/v1.0/users?$top=3&$select=id,displayName"
	pages := 0
	for next != "" {
		page := s.ok(s.do("GET", next, ""), 200)
		for _, u := range values(page) {
			seen[u["id"].(string)]++
		}
		if pages == 1 {
			// Someone is deleted from the first page while the walk goes on: an
			// offset would now skip a person.
			first := values(s.ok(s.do("GET", "/users?$top=1", ""), 200))[0]
			s.ok(s.do("DELETE", "/users/"+first["id"].(string), ""), 204)
		}
		next, _ = page["@odata.nextLink"].(string)
		if next != "" && !strings.Contains(next, "$skiptoken=") {
			t.Fatalf("nextLink without a $skiptoken: %s", next)
		}
		pages++
	}
	n, err := s.store.CountGraphUsers(context.Background(), models.GraphUserQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s seen %d times", id, k)
		}
	}
	if len(seen) != int(n)+1 { // everyone there now, and the one deleted
		t.Errorf("saw %d people, %d are left after one was deleted", len(seen), n)
	}
	code, _ := s.graphError(s.do("GET", "/users?$top=3&$skiptoken=bogus", ""), 400)
	if code != "Request_BadRequest" {
		t.Errorf("bad skiptoken: %s", code)
	}
}

func TestCreateLicenseAutoRepliesDelete(t *testing.T) {
	s := newServer(t, nil)
	created := s.ok(s.do("POST", "/users", `{"accountEnabled":true,"displayName":"Graph Person","mailNickname":"graphp",
		"userPrincipalName":"graphp@contoso.com","givenName":"Graph","surname":"Person",
		"passwordProfile":{"forceChangePasswordNextSignIn":true,"password":"Graph-Pass-2026!"}}`), 201)
	id := created["id"].(string)
	if _, ok := models.RecipientIDOfObjectID(id); !ok || created["userPrincipalName"] != "graphp@contoso.com" {
		t.Fatalf("created: %v", created)
	}
	byUPN := s.ok(s.do("GET", "/users/graphp@contoso.com?$select=id,assignedLicenses", ""), 200)
	if byUPN["id"] != id {
		t.Errorf("by UPN: %v", byUPN)
	}
	// No mailbox without a licence: Graph's error for mailboxSettings.
	code, _ := s.graphError(s.do("GET", "/users/"+id+"/mailboxSettings", ""), 404)
	if code != "MailboxNotEnabledForRESTAPI" {
		t.Errorf("no mailbox: %s", code)
	}
	skus := values(s.ok(s.do("GET", "/subscribedSkus", ""), 200))
	var standard map[string]any
	for _, k := range skus {
		if k["skuPartNumber"] == "O365_BUSINESS_PREMIUM" {
			standard = k
		}
	}
	if standard == nil || standard["skuId"] != "f245ecc8-75af-4f8e-b61f-27d8114de5f3" {
		t.Fatalf("subscribedSkus: %v", skus)
	}
	consumed := standard["consumedUnits"].(float64)
	after := s.ok(s.do("POST", "/users/"+id+"/assignLicense", `{"addLicenses":[{"skuId":"f245ecc8-75af-4f8e-b61f-27d8114de5f3","disabledPlans":[]}],"removeLicenses":[]}`), 200)
	if after["id"] != id {
		t.Errorf("assignLicense answer: %v", after)
	}
	lic := s.ok(s.do("GET", "/users/"+id+"?$select=assignedLicenses", ""), 200)["assignedLicenses"].([]any)
	if len(lic) != 1 || lic[0].(map[string]any)["skuId"] != "f245ecc8-75af-4f8e-b61f-27d8114de5f3" {
		t.Errorf("licences: %v", lic)
	}
	for _, k := range values(s.ok(s.do("GET", "/subscribedSkus", ""), 200)) {
		if k["skuPartNumber"] == "O365_BUSINESS_PREMIUM" && k["consumedUnits"].(float64) != consumed+1 {
			t.Errorf("consumedUnits %v, want %v", k["consumedUnits"], consumed+1)
		}
	}
	licensed := values(s.ok(s.do("GET", "/users?$filter="+urlEncode("assignedLicenses/any(x:x/skuId eq f245ecc8-75af-4f8e-b61f-27d8114de5f3) and startswith(displayName,'Graph')"), ""), 200))
	if len(licensed) != 1 {
		t.Errorf("licence filter: %v", licensed)
	}
	s.graphError(s.do("POST", "/users/"+id+"/assignLicense", `{"addLicenses":[{"skuId":"00000000-0000-0000-0000-000000000001"}],"removeLicenses":[]}`), 400)

	set := s.ok(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"automaticRepliesSetting":{"status":"scheduled","externalAudience":"all",
		"internalReplyMessage":"Away","externalReplyMessage":"Away (outside)",
		"scheduledStartDateTime":{"dateTime":"2030-01-02T09:00:00","timeZone":"UTC"},
		"scheduledEndDateTime":{"dateTime":"2030-01-09T17:00:00.0000000","timeZone":"Europe/Amsterdam"}}}`), 200)
	ar := set["automaticRepliesSetting"].(map[string]any)
	if ar["status"] != "scheduled" || ar["externalAudience"] != "all" || ar["internalReplyMessage"] != "Away" ||
		ar["scheduledEndDateTime"].(map[string]any)["dateTime"] != "2030-01-09T16:00:00.0000000" {
		t.Errorf("mailboxSettings: %v", ar)
	}
	code, _ = s.graphError(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"automaticRepliesSetting":{"status":"alwaysEnabled","internalReplyMessage":""}}`), 400)
	if code != "Request_BadRequest" {
		t.Errorf("empty reply: %s", code)
	}

	s.ok(s.do("PATCH", "/users/"+id, `{"jobTitle":"Tester","accountEnabled":false}`), 204)
	got := s.ok(s.do("GET", "/users/"+id+"?$select=jobTitle,accountEnabled,displayName", ""), 200)
	if got["jobTitle"] != "Tester" || got["accountEnabled"] != false || got["displayName"] != "Graph Person" {
		t.Errorf("after PATCH: %v", got)
	}
	s.ok(s.do("DELETE", "/users/"+id, ""), 204)
	code, _ = s.graphError(s.do("GET", "/users/"+id, ""), 404)
	if code != "Request_ResourceNotFound" {
		t.Errorf("deleted user: %s", code)
	}
	deleted, err := s.store.DeletedUsers(context.Background())
	if err != nil || !containsName(deleted, "Graph Person") {
		t.Errorf("not in deleted users: %v %v", deleted, err)
	}
	code, _ = s.graphError(s.do("POST", "/users", `{"accountEnabled":true,"displayName":"X","mailNickname":"x","userPrincipalName":"x@contoso.com"}`), 400)
	if code != "Request_BadRequest" {
		t.Errorf("no password: %s", code)
	}
}

func containsName(ds []models.DeletedUser, name string) bool {
	for _, d := range ds {
		if d.DisplayName == name {
			return true
		}
	}
	return false
}

func TestGroupsMembers(t *testing.T) {
	s := newServer(t, nil)
	created := s.ok(s.do("POST", "/groups", `{"displayName":"Graph Testers","mailEnabled":false,"mailNickname":"graphtesters","securityEnabled":true,"groupTypes":[]}`), 201)
	gid := created["id"].(string)
	if created["securityEnabled"] != true || created["mailEnabled"] != false {
		t.Errorf("created: %v", created)
	}
	sec := values(s.ok(s.do("GET", "/groups?$filter="+urlEncode("securityEnabled eq true and mailEnabled eq false"), ""), 200))
	if !hasID(sec, gid) {
		t.Errorf("security filter: %v", sec)
	}
	unified := values(s.ok(s.do("GET", "/groups?$filter="+urlEncode("groupTypes/any(c:c eq 'Unified')"), ""), 200))
	for _, g := range unified {
		if len(g["groupTypes"].([]any)) != 1 {
			t.Errorf("not unified: %v", g)
		}
	}
	if hasID(unified, gid) {
		t.Error("a security group listed as unified")
	}
	adele := s.ok(s.do("GET", "/users/AdeleV@contoso.com", ""), 200)["id"].(string)
	ref := `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/` + adele + `"}`
	s.ok(s.do("POST", "/groups/"+gid+"/members/$ref", ref), 204)
	code, msg := s.graphError(s.do("POST", "/groups/"+gid+"/members/$ref", ref), 400)
	if code != "Request_BadRequest" || !strings.Contains(msg, "already exist") {
		t.Errorf("added twice: %s %s", code, msg)
	}
	members := values(s.ok(s.do("GET", "/groups/"+gid+"/members", ""), 200))
	if len(members) != 1 || members[0]["id"] != adele || members[0]["@odata.type"] != "#microsoft.graph.user" {
		t.Errorf("members: %v", members)
	}
	if !hasID(values(s.ok(s.do("GET", "/users/"+adele+"/memberOf", ""), 200)), gid) {
		t.Error("memberOf lacks the group")
	}
	s.ok(s.do("GET", "/groups/"+gid+"/owners", ""), 200)
	s.ok(s.do("DELETE", "/groups/"+gid+"/members/"+adele+"/$ref", ""), 204)
	s.graphError(s.do("DELETE", "/groups/"+gid+"/members/"+adele+"/$ref", ""), 404)
	if len(values(s.ok(s.do("GET", "/groups/"+gid+"/members", ""), 200))) != 0 {
		t.Error("member not removed")
	}
	s.graphError(s.do("GET", "/groups/"+adele, ""), 404)
}

func hasID(vs []map[string]any, id string) bool {
	for _, v := range vs {
		if v["id"] == id {
			return true
		}
	}
	return false
}

func TestOrganizationAndDomains(t *testing.T) {
	s := newServer(t, nil)
	org := values(s.ok(s.do("GET", "/organization", ""), 200))
	if len(org) != 1 || org[0]["displayName"] == "" || len(org[0]["verifiedDomains"].([]any)) == 0 {
		t.Errorf("organization: %v", org)
	}
	ds := values(s.ok(s.do("GET", "/domains", ""), 200))
	if !hasID(ds, "contoso.com") {
		t.Errorf("domains: %v", ds)
	}
}

func TestErrorsTokensAndRoles(t *testing.T) {
	s := newServer(t, nil)
	code, _ := s.graphError(s.doWith("", "GET", "/users", ""), 401)
	if code != "InvalidAuthenticationToken" {
		t.Errorf("no token: %s", code)
	}
	code, _ = s.graphError(s.doWith("garbage.token.here", "GET", "/users", ""), 401)
	if code != "InvalidAuthenticationToken" {
		t.Errorf("bad token: %s", code)
	}
	code, _ = s.graphError(s.do("GET", "/users/"+models.ObjectID(999999), ""), 404)
	if code != "Request_ResourceNotFound" {
		t.Errorf("unknown id: %s", code)
	}
	s.graphError(s.do("GET", "/users/nobody@contoso.com", ""), 404)
	code, _ = s.graphError(s.do("GET", "/users/not-an-id", ""), 404)
	if code != "Request_ResourceNotFound" {
		t.Errorf("malformed id: %s", code)
	}
	code, _ = s.graphError(s.do("GET", "/mailboxPermissions", ""), 400)
	if code != "BadRequest" {
		t.Errorf("what Graph lacks: %s", code)
	}

	reader := s.appToken("Graph reader", models.RoleGlobalReader)
	s.ok(s.doWith(reader, "GET", "/users?$top=1", ""), 200)
	adele := s.ok(s.doWith(reader, "GET", "/users/AdeleV@contoso.com", ""), 200)["id"].(string)
	before, err := s.store.GraphUser(context.Background(), adele)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ method, path, body string }{
		{"PATCH", "/users/" + adele, `{"jobTitle":"Changed"}`},
		{"DELETE", "/users/" + adele, ""},
		{"POST", "/users", `{"accountEnabled":true,"displayName":"R","mailNickname":"r","userPrincipalName":"r@contoso.com","passwordProfile":{"password":"Graph-Pass-2026!"}}`},
		{"PATCH", "/users/" + adele + "/mailboxSettings", `{"automaticRepliesSetting":{"status":"alwaysEnabled","internalReplyMessage":"x"}}`},
		{"POST", "/users/" + adele + "/assignLicense", `{"addLicenses":[],"removeLicenses":["f245ecc8-75af-4f8e-b61f-27d8114de5f3"]}`},
	} {
		code, _ := s.graphError(s.doWith(reader, r.method, r.path, r.body), 403)
		if code != "Authorization_RequestDenied" {
			t.Errorf("%s %s: %s", r.method, r.path, code)
		}
	}
	after, err := s.store.GraphUser(context.Background(), adele)
	if err != nil || after.JobTitle != before.JobTitle || len(after.SKUs) != len(before.SKUs) {
		t.Errorf("the reader changed something: %+v -> %+v (%v)", before, after, err)
	}
}

func TestGzipBodiesBatchAndThrottle(t *testing.T) {
	s := newServer(t, func(c *web.Config) { c.APIRateLimit = 8; c.APIRateWindow = time.Minute })
	adele := s.ok(s.do("GET", "/users/AdeleV@contoso.com", ""), 200)["id"].(string)

	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"department":"Zipped"}`))
	zw.Close()
	r := s.do("PATCH", "/users/"+adele, zipped.String(), "Content-Encoding", "gzip")
	s.ok(r, 204)

	batch := `{"requests":[
		{"id":"1","method":"GET","url":"/users/` + adele + `?$select=department"},
		{"id":"2","method":"GET","url":"/users/` + models.ObjectID(999999) + `"},
		{"id":"3","method":"PATCH","url":"/users/` + adele + `","headers":{"Content-Type":"application/json"},"body":{"jobTitle":"Batched"}}]}`
	out := s.ok(s.do("POST", "/$batch", batch), 200)
	rs := out["responses"].([]any)
	if len(rs) != 3 {
		t.Fatalf("batch: %v", out)
	}
	statuses := map[string]float64{}
	for _, x := range rs {
		m := x.(map[string]any)
		statuses[m["id"].(string)] = m["status"].(float64)
		if m["id"] == "1" && m["body"].(map[string]any)["department"] != "Zipped" {
			t.Errorf("gzip body not applied: %v", m)
		}
	}
	if statuses["1"] != 200 || statuses["2"] != 404 || statuses["3"] != 204 {
		t.Errorf("batch statuses: %v", statuses)
	}
	var many []string
	for i := range 21 {
		many = append(many, `{"id":"`+itoa(i)+`","method":"GET","url":"/users"}`)
	}
	s.graphError(s.do("POST", "/$batch", `{"requests":[`+strings.Join(many, ",")+`]}`), 400)

	// 1 + 1 + 3 requests so far of 8; the rest of the window runs out.
	var last response
	for range 5 {
		last = s.do("GET", "/users?$top=1", "")
	}
	code, _ := s.graphError(last, 429)
	if code != "TooManyRequests" || last.header.Get("Retry-After") == "" {
		t.Errorf("throttled: %s, Retry-After %q", code, last.header.Get("Retry-After"))
	}
}
