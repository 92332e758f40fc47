package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// The seed's three steps, each as the JSON body the ExchangeOnlineManagement module
// sends for the console line, then the reads a script does to check them.
const (
	seedNewMailbox    = `{"CmdletInput":{"CmdletName":"New-Mailbox","Parameters":{"Shared":true,"Name":"Sales Department","DisplayName":"Sales Department","Alias":"Sales"}}}`
	seedSetMailbox    = `{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"Sales Department","GrantSendOnBehalfTo":"MarketingSG"}}}`
	seedAddPermission = `{"CmdletInput":{"CmdletName":"Add-MailboxPermission","Parameters":{"Identity":"Sales Department","User":"MarketingSG","AccessRights":["FullAccess"],"InheritanceType":"All"}}}`
	getSalesPerms     = `{"CmdletInput":{"CmdletName":"Get-MailboxPermission","Parameters":{"Identity":"Sales Department"}}}`
	getSales          = `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"sales@contoso.com"}}}`
)

func TestSeedStepsThroughInvokeCommand(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	tok := a.appToken("CIPP", models.RoleExchangeAdmin)

	r := a.invoke(tok, "", seedNewMailbox, "X-CmdletName", "New-Mailbox", "X-AnchorMailbox", "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.com")
	p := a.page(r)
	if !strings.HasPrefix(p.Context, a.srv.URL+"/adminapi/beta/contoso.com/$metadata#Collection(Exchange.GenericHashTable)") {
		t.Errorf("@odata.context %q", p.Context)
	}
	if len(p.Value) != 1 || !strings.EqualFold(fmt.Sprint(p.Value[0]["PrimarySmtpAddress"]), "sales@contoso.com") || p.Value[0]["RecipientTypeDetails"] != "SharedMailbox" {
		t.Fatalf("New-Mailbox: %s", r.body)
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("content type %q", r.header.Get("Content-Type"))
	}
	if p := a.page(a.invoke(tok, "", seedSetMailbox)); len(p.Value) != 0 {
		t.Errorf("Set-Mailbox wrote %v", p.Value)
	}
	a.page(a.invoke(tok, "", seedAddPermission))

	perms := a.page(a.invoke(tok, "", getSalesPerms)).Value
	users := []string{}
	for _, v := range perms {
		users = append(users, fmt.Sprint(v["User"]))
		if v["AccessRights@odata.type"] != "#Collection(String)" {
			t.Errorf("AccessRights annotation: %v", v)
		}
	}
	if !slices.Equal(users, []string{`NT AUTHORITY\SELF`, "MarketingSG"}) {
		t.Errorf("Get-MailboxPermission users %v", users)
	}
	box := a.page(a.invoke(tok, "", getSales)).Value
	if len(box) != 1 || fmt.Sprint(box[0]["GrantSendOnBehalfTo"]) != "[MarketingSG]" || box[0]["GrantSendOnBehalfTo@odata.type"] != "#Collection(String)" {
		t.Errorf("Get-Mailbox: %v", box)
	}

	// Every change is in the audit log under the app's name.
	page, err := a.store.AuditEvents(context.Background(), models.AuditQuery{Actor: "CIPP", Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range page.Events {
		if ev.Actor != "CIPP" || ev.ActorID != nil {
			t.Errorf("audit %+v", ev)
		}
		actions = append(actions, ev.Action)
	}
	slices.Sort(actions)
	if want := []string{"app.token", "mailbox_permission.add", "mailbox_permission.add", "shared.create"}; !slices.Equal(actions, want) {
		t.Errorf("audited %v, want %v", actions, want)
	}
}

func TestHashtableAddAndRemove(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	tok := a.appToken("CIPP", models.RoleExchangeAdmin)
	set := func(add, remove string) {
		t.Helper()
		body := `{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"info@contoso.com","GrantSendOnBehalfTo":` +
			`{"@odata.type":"#Exchange.GenericHashTable","Add":[` + add + `],"Remove":[` + remove + `]}}}}`
		a.page(a.invoke(tok, "", body))
	}
	holders := func() string {
		t.Helper()
		v := a.page(a.invoke(tok, "$select=GrantSendOnBehalfTo", `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"info"}}}`)).Value
		return fmt.Sprint(v[0]["GrantSendOnBehalfTo"])
	}
	set(`"alexw@contoso.com","meganb@contoso.com"`, ``)
	if got := holders(); got != "[Alex Wilber Megan Bowen]" {
		t.Fatalf("after Add: %s", got)
	}
	set(`"diegos"`, `"alexw@contoso.com"`)
	if got := holders(); got != "[Diego Siciliani Megan Bowen]" {
		t.Fatalf("after Add and Remove: %s", got)
	}
	// A list replaces.
	a.page(a.invoke(tok, "", `{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"info","GrantSendOnBehalfTo":["adelev@contoso.com"]}}}`))
	if got := holders(); got != "[Adele Vance]" {
		t.Fatalf("after a list: %s", got)
	}
}

func TestExchangeErrorShapes(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	tok := a.appToken("CIPP", models.RoleExchangeAdmin)

	parts := a.exoFailure(a.invoke(tok, "", `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"nobody@contoso.com"}}}`), http.StatusNotFound)
	if parts[0] != "Ex6F9304" || parts[1] != "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException" ||
		!strings.HasPrefix(parts[2], "The operation couldn't be performed because object 'nobody@contoso.com' couldn't be found on '") {
		t.Errorf("unknown identity: %q", parts)
	}
	before := fingerprint(t, a.store)
	r := a.invoke(tok, "", `{"CmdletInput":{"CmdletName":"New-Mailbox","Parameters":{"Shared":true,"Name":"Info desk","PrimarySmtpAddress":"info@contoso.com"}}}`)
	parts = a.exoFailure(r, http.StatusBadRequest)
	if parts[0] != "ExB10BE9" || parts[1] != "Microsoft.Exchange.Management.Tasks.WLCDManagedMemberExistsException" ||
		parts[2] != `The proxy address "SMTP:info@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Info". Please choose another proxy address.` {
		t.Errorf("proxy address: %q", parts)
	}
	var e exoError
	_ = json.Unmarshal([]byte(r.body), &e)
	if e.Error.Code != "BadRequest" || e.Error.Message != "Error executing cmdlet" || e.Error.InnerError.Type != "Microsoft.Exchange.Admin.OData.Core.ODataServiceException" {
		t.Errorf("envelope %s", r.body)
	}
	if fingerprint(t, a.store) != before {
		t.Error("a refused New-Mailbox changed the database")
	}
	// Binding errors, unknown cmdlets and malformed requests keep the same shape.
	for body, want := range map[string]string{
		`{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Bogus":1}}}`:                       "|System.Management.Automation.ParameterBindingException|A parameter cannot be found that matches parameter name 'Bogus'.",
		`{"CmdletInput":{"CmdletName":"Remove-Everything","Parameters":{}}}`:                          "|System.Management.Automation.CommandNotFoundException|The term 'Remove-Everything' is not recognized",
		`{"CmdletInput":{"CmdletName":"Get-Mailbox; Remove-Mailbox x","Parameters":{}}}`:              "|System.Management.Automation.CommandNotFoundException|The term 'Get-Mailbox; Remove-Mailbox x' is not recognized",
		`{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"x'; Get-Command; '"}}}`: "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'x'; Get-Command; ''",
		`not json`:           "|Microsoft.OData.ODataException|The request body isn't valid JSON.",
		`{"CmdletInput":{}}`: "|Microsoft.OData.ODataException|The request body has no CmdletInput.CmdletName.",
		`{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":[1]}}`: "|Microsoft.OData.ODataException|The request body isn't valid JSON.",
	} {
		r := a.invoke(tok, "", body)
		if r.status/100 != 4 {
			t.Errorf("%s: status %d", body, r.status)
			continue
		}
		parts := a.exoFailure(r, r.status)
		if got := strings.Join(parts, "|"); !strings.HasPrefix(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", body, got, want)
		}
	}
	// An unknown tenant, and an address under /adminapi that serves nothing.
	r = a.postJSON(a.srv.URL+"/adminapi/beta/fabrikam.com/InvokeCommand", tok, seedNewMailbox)
	a.exoFailure(r, http.StatusNotFound)
	r = a.postJSON(a.srv.URL+"/adminapi/v2.0/contoso.com/Mailbox", tok, `{}`)
	a.exoFailure(r, http.StatusNotFound)
}

func TestTokensAndCookiesAtTheEndpoint(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	ctx := context.Background()
	clientID, secret := a.newAPICredential("Sync", models.RoleExchangeAdmin)
	tok := a.token(clientID, secret, exoclient.ScopeExchange)
	graphTok := a.token(clientID, secret, exoclient.ScopeGraph)
	if a.invoke(tok, "", getSalesPerms).status != http.StatusNotFound { // works (the mailbox isn't there yet)
		t.Fatal("a good token was refused")
	}
	refused := func(what, token string, headers ...string) {
		t.Helper()
		r := a.invoke(token, "", `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{}}}`, headers...)
		parts := a.exoFailure(r, http.StatusUnauthorized)
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), `Bearer client_id="00000002-0000-0ff1-ce00-000000000000"`) ||
			!strings.Contains(r.header.Get("x-ms-diagnostics"), `error_category="invalid_token"`) || parts[1] == "" {
			t.Errorf("%s: headers %v", what, r.header)
		}
		if strings.Contains(r.body, "<html") || r.header.Get("Set-Cookie") != "" {
			t.Errorf("%s: HTML or cookies: %v %s", what, r.header, r.body)
		}
	}
	refused("no token", "")
	refused("garbage", "garbage")
	refused("a token with a forged signature", tok[:strings.LastIndex(tok, ".")+1]+"AAAA")
	refused("a Graph token", graphTok)
	refused("Basic credentials", "", "Authorization", "Basic "+secret)

	// A signed-in browser's cookie (and its CSRF token) never authorizes the API.
	if r := a.signIn("admin@contoso.com", testPassword); r.status != http.StatusSeeOther {
		t.Fatal("sign-in failed")
	}
	csrf := a.csrf("/")
	before := fingerprint(t, a.store)
	r := a.invoke("", "", seedNewMailbox, "X-CSRF-Token", csrf)
	a.exoFailure(r, http.StatusUnauthorized)
	if fingerprint(t, a.store) != before {
		t.Error("a cookie changed something through the API")
	}
	// The same browser with the app's token works: the cookie is ignored, not needed.
	a.page(a.invoke(tok, "", seedNewMailbox))

	// A bearer token never opens a page, nor changes anything through one.
	bearer := newClient()
	for _, path := range []string{"/", "/users", "/settings/apps", "/audit"} {
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if r := a.do(bearer, req); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
			t.Errorf("GET %s with a token: %d %s", path, r.status, r.header.Get("Location"))
		}
	}
	before = fingerprint(t, a.store)
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/settings/apps", strings.NewReader(form("name", "sneaky", "role", "global_admin", "lifetime", "90").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	if r := a.do(bearer, req); r.status != http.StatusForbidden && r.status != http.StatusUnauthorized {
		t.Errorf("POST a page with a token: %d", r.status)
	}
	if fingerprint(t, a.store) != before {
		t.Error("a token changed something through a page")
	}

	// Revoking the app refuses its token at once; an hour on, any token has expired.
	apps, _ := a.store.Apps(ctx)
	other := a.appToken("Other", models.RoleGlobalReader)
	admin, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	for _, app := range apps {
		if app.ClientID == clientID {
			if err := a.store.RevokeApp(ctx, admin, app.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	refused("a revoked app's token", tok)
	a.page(a.invoke(other, "", `{"CmdletInput":{"CmdletName":"Get-Command","Parameters":{"Name":"Get-Mailbox"}}}`))
	now := time.Now().UTC()
	a.store.Now = func() time.Time { return now.Add(61 * time.Minute) }
	refused("an expired token", other)
	a.store.Now = func() time.Time { return time.Now().UTC() }
}

func TestGlobalReaderAppReadsButChangesNothing(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	tok := a.appToken("Reporting", models.RoleGlobalReader)
	box := a.page(a.invoke(tok, "", `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"info@contoso.com"}}}`)).Value
	if len(box) != 1 || box[0]["DisplayName"] != "Info" {
		t.Fatalf("read: %v", box)
	}
	before := fingerprint(t, a.store)
	for _, body := range []string{
		`{"CmdletInput":{"CmdletName":"Add-MailboxPermission","Parameters":{"Identity":"info@contoso.com","User":"alexw@contoso.com","AccessRights":["FullAccess"]}}}`,
		`{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"info@contoso.com","GrantSendOnBehalfTo":{"@odata.type":"#Exchange.GenericHashTable","Add":["alexw"]}}}}`,
		seedNewMailbox,
	} {
		parts := a.exoFailure(a.invoke(tok, "", body), http.StatusForbidden)
		if parts[0] != "Ex5E8EA4" || parts[1] != "Microsoft.Exchange.Configuration.Authorization.CmdletAccessDeniedException" {
			t.Errorf("%s: %q", body, parts)
		}
	}
	if fingerprint(t, a.store) != before {
		t.Error("a Global reader app changed the database")
	}
}

func TestSelectPagingAndWarnings(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	tok := a.appToken("CIPP", models.RoleExchangeAdmin)
	all := `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":"Unlimited"}}}`

	// $select keeps the named properties, in the order asked.
	p := a.page(a.invoke(tok, "$select=PrimarySmtpAddress,DisplayName", all))
	if len(p.Value) != 20 || p.NextLink != "" { // 18 people's mailboxes, Info and Reception
		t.Fatalf("%d values, next %q", len(p.Value), p.NextLink)
	}
	for _, v := range p.Value {
		if len(v) != 2 || v["PrimarySmtpAddress"] == nil || v["DisplayName"] == nil {
			t.Fatalf("selected %v", v)
		}
	}

	// Prefer: odata.maxpagesize pages; the client posts the same body to each
	// @odata.nextLink, and sees every mailbox once.
	seen := map[string]int{}
	next, pages := a.srv.URL+"/adminapi/beta/contoso.com/InvokeCommand?$select=ExternalDirectoryObjectId", 0
	for next != "" {
		r := a.postJSON(next, tok, all, "Prefer", "odata.maxpagesize=5")
		if r.header.Get("Preference-Applied") != "odata.maxpagesize=5" {
			t.Errorf("Preference-Applied %q", r.header.Get("Preference-Applied"))
		}
		p := a.page(r)
		if len(p.Value) > 5 {
			t.Fatalf("page of %d", len(p.Value))
		}
		for _, v := range p.Value {
			seen[fmt.Sprint(v["ExternalDirectoryObjectId"])]++
		}
		if p.NextLink != "" && !strings.HasPrefix(p.NextLink, a.srv.URL+"/adminapi/beta/contoso.com/InvokeCommand?$select=ExternalDirectoryObjectId&$skiptoken=") {
			t.Fatalf("nextLink %q", p.NextLink)
		}
		next = p.NextLink
		pages++
		if pages == 2 {
			// A person added meanwhile before the cursor doesn't make anyone come twice.
			admin, _ := a.store.Authenticate(context.Background(), "admin@contoso.com", testPassword)
			if _, _, err := a.store.CreateUser(context.Background(), admin, models.NewUser{FirstName: "Aaron", LastName: "Aardvark",
				Alias: "aaron", Domain: "contoso.com"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if pages != 4 || len(seen) != 20 {
		t.Errorf("%d pages, %d mailboxes", pages, len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s returned %d times", id, n)
		}
	}
	// A nextLink posted with another body is refused.
	first := a.page(a.invoke(tok, "", all, "Prefer", "odata.maxpagesize=5"))
	a.exoFailure(a.postJSON(first.NextLink, tok, `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":7}}}`), http.StatusBadRequest)

	// Output of cmdlets that don't page themselves is paged by the endpoint, each
	// object once.
	c := a.exoClient(tok)
	c.PageSize = 3
	var names []string
	pageCount := 0
	err := c.Pages(context.Background(), "Get-Command", nil, exoclient.Select{"Name"}, func(p *exoclient.Page) error {
		pageCount++
		for _, v := range p.Values {
			var o struct{ Name string }
			_ = json.Unmarshal(v, &o)
			names = append(names, o.Name)
		}
		return nil
	})
	if err != nil || pageCount < 4 || !slices.IsSortedFunc(names, func(x, y string) int { return strings.Compare(strings.ToLower(x), strings.ToLower(y)) }) || len(slices.Compact(slices.Clone(names))) != len(names) || !slices.Contains(names, "Get-Mailbox") {
		t.Errorf("Get-Command in %d pages: %v %v", pageCount, names, err)
	}

	// Warnings arrive in @adminapi.warnings.
	w := a.page(a.invoke(tok, "", `{"CmdletInput":{"CmdletName":"Test-Warning","Parameters":{}}}`))
	if len(w.Warnings) != 1 || !strings.Contains(w.Warnings[0], "no settings of 'Info' have been modified") || len(w.Value) != 1 {
		t.Errorf("warnings: %+v", w)
	}
	// -ResultSize's default of 1000 warns the way Exchange does, through the same path.
	if p := a.page(a.invoke(tok, "", `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":3}}}`)); len(p.Value) != 3 || p.NextLink != "" {
		t.Errorf("ResultSize 3: %d values, next %q", len(p.Value), p.NextLink)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, func(c *Config) { c.APIRateLimit, c.APIRateWindow = 3, time.Minute })
	tok := a.appToken("Busy", models.RoleGlobalReader)
	other := a.appToken("Quiet", models.RoleGlobalReader)
	body := `{"CmdletInput":{"CmdletName":"Get-Command","Parameters":{"Name":"Get-Mailbox"}}}`
	for i := 2; i >= 0; i-- {
		r := a.invoke(tok, "", body)
		if r.status != http.StatusOK || r.header.Get("Rate-Limit-Remaining") != itoa(uint(i)) {
			t.Fatalf("request %d: %d remaining %q", 3-i, r.status, r.header.Get("Rate-Limit-Remaining"))
		}
	}
	r := a.invoke(tok, "", body)
	parts := a.exoFailure(r, http.StatusTooManyRequests)
	reset, err := time.Parse("2006-01-02T15:04:05.000Z", r.header.Get("Rate-Limit-Reset"))
	if r.header.Get("Rate-Limit-Remaining") != "0" || err != nil || time.Until(reset) > time.Minute || time.Until(reset) < 50*time.Second ||
		r.header.Get("Retry-After") == "" || !strings.Contains(parts[2], "Too many requests") {
		t.Errorf("429: %v %q", r.header, parts)
	}
	// Each app has its own rate.
	if r := a.invoke(other, "", body); r.status != http.StatusOK {
		t.Errorf("another app: %d", r.status)
	}
	// A batch counts each of its requests.
	batch := `{"requests":[{"id":"1","method":"POST","url":"InvokeCommand","body":` + body + `}]}`
	r = a.postJSON(a.srv.URL+"/adminapi/beta/contoso.com/$batch", tok, batch)
	var br struct {
		Responses []struct {
			Status int `json:"status"`
		} `json:"responses"`
	}
	if json.Unmarshal([]byte(r.body), &br) != nil || len(br.Responses) != 1 || br.Responses[0].Status != http.StatusTooManyRequests {
		t.Errorf("batch past the rate: %s", r.body)
	}
}

func TestBatch(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	tok := a.appToken("CIPP", models.RoleExchangeAdmin)
	item := func(id, u, body string) string {
		return `{"id":"` + id + `","method":"POST","url":"` + u + `","headers":{"Content-Type":"application/json"},"body":` + body + `}`
	}
	batch := `{"requests":[` + item("1", "/adminapi/beta/contoso.com/InvokeCommand", seedNewMailbox) + `,` +
		item("2", "InvokeCommand?$select=DisplayName", getSales) + `,` +
		item("3", "InvokeCommand", `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"nobody"}}}`) + `,` +
		item("4", "/adminapi/beta/fabrikam.com/InvokeCommand", getSales) + `]}`
	r := a.postJSON(a.srv.URL+"/adminapi/beta/contoso.com/$batch", tok, batch)
	var br struct {
		Responses []struct {
			ID     string          `json:"id"`
			Status int             `json:"status"`
			Body   json.RawMessage `json:"body"`
		} `json:"responses"`
	}
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &br) != nil || len(br.Responses) != 4 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	statuses := []int{}
	for _, x := range br.Responses {
		statuses = append(statuses, x.Status)
	}
	if !slices.Equal(statuses, []int{200, 200, 404, 404}) || !strings.Contains(string(br.Responses[1].Body), `"value":[{"DisplayName":"Sales Department"}]`) {
		t.Errorf("statuses %v: %s", statuses, r.body)
	}
	var items []string
	for i := range 11 {
		items = append(items, item(itoa(uint(i)), "InvokeCommand", getSales))
	}
	a.exoFailure(a.postJSON(a.srv.URL+"/adminapi/beta/contoso.com/$batch", tok, `{"requests":[`+strings.Join(items, ",")+`]}`), http.StatusBadRequest)
	a.exoFailure(a.postJSON(a.srv.URL+"/adminapi/beta/contoso.com/$batch", "", `{"requests":[]}`), http.StatusUnauthorized)
}

// TestExoClientRunsTheSeedSteps drives the endpoint with the CLI's client, the way
// `admincenter powershell --url URL --token TOKEN` will.
func TestExoClientRunsTheSeedSteps(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	c := a.exoClient(a.appToken("CLI", models.RoleExchangeAdmin))
	ctx := context.Background()
	if _, _, err := c.Invoke(ctx, "New-Mailbox", powershell.Parameters{{Name: "Shared", Value: true}, {Name: "Name", Value: "Sales Department"}, {Name: "Alias", Value: "Sales"}}, nil); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Invoke(ctx, "Add-MailboxPermission", powershell.Parameters{{Name: "Identity", Value: "nobody"}, {Name: "User", Value: "MarketingSG"}, {Name: "AccessRights", Value: []string{"FullAccess"}}}, nil)
	var e *exoclient.Error
	if !asExoError(err, &e) || e.Status != 404 || e.ErrorCode != "Ex6F9304" || !strings.Contains(e.Text, "'nobody'") {
		t.Errorf("error %#v", err)
	}
	vals, _, err := c.Invoke(ctx, "Get-Mailbox", powershell.Parameters{{Name: "Identity", Value: "Sales"}}, exoclient.Select{"Alias"})
	if err != nil || len(vals) != 1 || string(vals[0]) != `{"Alias":"Sales"}` {
		t.Errorf("Get-Mailbox: %s %v", vals, err)
	}
	if _, err := exoclient.New(a.srv.URL, "not-a-jwt"); err == nil {
		t.Error("a client without a tenant")
	}
	c2, err := exoclient.New(a.srv.URL+"/adminapi/beta/contoso.nl", "garbage")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c2.Invoke(ctx, "Get-Command", nil, nil); !asExoError(err, &e) || e.Status != http.StatusUnauthorized {
		t.Errorf("garbage token: %v", err)
	}
	if u, _ := url.Parse(c2.Endpoint); u.Path != "/adminapi/beta/contoso.nl/InvokeCommand" {
		t.Errorf("endpoint %s", c2.Endpoint)
	}
}

func asExoError(err error, target **exoclient.Error) bool {
	e, ok := err.(*exoclient.Error)
	if ok {
		*target = e
	}
	return ok
}

func fingerprint(t *testing.T, s *models.Store) string {
	t.Helper()
	fp, err := s.Fingerprint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fp
}
