package graphsdk

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	azauth "github.com/microsoft/kiota-authentication-azure-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	graphgroups "github.com/microsoftgraph/msgraph-sdk-go/groups"
	graphmodels "github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	graphusers "github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/web"
)

const demoPassword = "Demo-Pass-2026"

// tenant is the real server on loopback over a demo tenant (with scale people when
// asked), and Graph SDK clients for apps with roles.
type tenant struct {
	t     *testing.T
	store *models.Store
	srv   *httptest.Server
}

func newTenant(t *testing.T, people int) *tenant {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, t.TempDir()+"/graph.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.SeedDemo(ctx, demoPassword); err != nil {
		t.Fatal(err)
	}
	if people > 0 {
		start := time.Now()
		if err := store.SeedScale(ctx, models.ScaleOptions{Users: people, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded %d people in %s", people, time.Since(start).Round(time.Millisecond))
	}
	cfg := web.DefaultConfig()
	cfg.APIRateLimit = 0 // a walk through a large tenant is one trusted integration
	srv := httptest.NewServer(web.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return &tenant{t: t, store: store, srv: srv}
}

// client is the Graph SDK as a script builds it, pointed at this server: an app
// with the roles, its token from our token endpoint, the base address /v1.0.
func (tn *tenant) client(name string, roles ...models.Role) (*msgraphsdk.GraphServiceClient, *msgraphsdk.GraphRequestAdapter) {
	tn.t.Helper()
	ctx := context.Background()
	admin, err := tn.store.Authenticate(ctx, "admin@contoso.com", demoPassword)
	if err != nil {
		tn.t.Fatal(err)
	}
	app, err := tn.store.CreateApp(ctx, admin, models.NewApp{Name: name, Roles: roles, LifetimeDays: 180})
	if err != nil {
		tn.t.Fatal(err)
	}
	cred := &Credential{BaseURL: tn.srv.URL, Tenant: "contoso.com", ClientID: app.ClientID, Secret: app.Secret}
	auth, err := azauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred,
		[]string{"https://graph.microsoft.com/.default"}, []string{"127.0.0.1"})
	if err != nil {
		tn.t.Fatal(err)
	}
	adapter, err := msgraphsdk.NewGraphRequestAdapter(auth)
	if err != nil {
		tn.t.Fatal(err)
	}
	adapter.SetBaseUrl(tn.srv.URL + "/v1.0")
	return msgraphsdk.NewGraphServiceClient(adapter), adapter
}

func eventual() *abstractions.RequestHeaders {
	h := abstractions.NewRequestHeaders()
	h.Add("ConsistencyLevel", "eventual")
	return h
}

// graphError returns the status and Graph code of an SDK error.
func graphError(t *testing.T, err error) (int, string) {
	t.Helper()
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		t.Fatalf("not a Graph error: %v", err)
	}
	code := ""
	if e := oe.GetErrorEscaped(); e != nil && e.GetCode() != nil {
		code = *e.GetCode()
	}
	return oe.ResponseStatusCode, code
}

func ptr[T any](v T) *T { return &v }

func TestSDKListFilterSearchCount(t *testing.T) {
	tn := newTenant(t, 0)
	client, _ := tn.client("SDK admin", models.RoleGlobalAdmin)
	ctx := context.Background()

	res, err := client.Users().Get(ctx, &graphusers.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &graphusers.UsersRequestBuilderGetQueryParameters{
			Filter: ptr("startswith(displayName,'Adele') and accountEnabled eq true"),
			Select: []string{"id", "displayName", "userPrincipalName", "accountEnabled"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.GetValue(); len(got) != 1 || *got[0].GetDisplayName() != "Adele Vance" || !*got[0].GetAccountEnabled() {
		t.Fatalf("filter: %d users", len(got))
	}

	_, err = client.Users().Get(ctx, &graphusers.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &graphusers.UsersRequestBuilderGetQueryParameters{Search: ptr(`"displayName:adele"`)}})
	if status, code := graphError(t, err); status != 400 || code != "Request_UnsupportedQuery" {
		t.Errorf("search without ConsistencyLevel: %d %s", status, code)
	}
	res, err = client.Users().Get(ctx, &graphusers.UsersRequestBuilderGetRequestConfiguration{
		Headers: eventual(),
		QueryParameters: &graphusers.UsersRequestBuilderGetQueryParameters{
			Search: ptr(`"displayName:adele"`), Count: ptr(true)}})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetOdataCount() == nil || *res.GetOdataCount() != 1 || len(res.GetValue()) != 1 {
		t.Errorf("search with count: %v, %d users", res.GetOdataCount(), len(res.GetValue()))
	}
	n, err := client.Users().Count().Get(ctx, &graphusers.CountRequestBuilderGetRequestConfiguration{Headers: eventual()})
	if err != nil {
		t.Fatal(err)
	}
	want, err := tn.store.CountGraphUsers(ctx, models.GraphUserQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if n == nil || int64(*n) != want {
		t.Errorf("$count %v, want %d", n, want)
	}

	_, err = client.Users().ByUserId(models.ObjectID(987654)).Get(ctx, nil)
	if status, code := graphError(t, err); status != 404 || code != "Request_ResourceNotFound" {
		t.Errorf("unknown id: %d %s", status, code)
	}
	_, err = client.Groups().ByGroupId(models.ObjectID(987654)).Members().Get(ctx, nil)
	if status, code := graphError(t, err); status != 404 || code != "Request_ResourceNotFound" {
		t.Errorf("unknown group: %d %s", status, code)
	}
}

func TestSDKCreateLicenseAutoRepliesGroupMember(t *testing.T) {
	tn := newTenant(t, 0)
	client, _ := tn.client("SDK admin", models.RoleGlobalAdmin)
	ctx := context.Background()

	nu := graphmodels.NewUser()
	nu.SetAccountEnabled(ptr(true))
	nu.SetDisplayName(ptr("Sdk Person"))
	nu.SetMailNickname(ptr("sdkperson"))
	nu.SetUserPrincipalName(ptr("sdkperson@contoso.com"))
	pp := graphmodels.NewPasswordProfile()
	pp.SetPassword(ptr("Sdk-Pass-2026!"))
	pp.SetForceChangePasswordNextSignIn(ptr(true))
	nu.SetPasswordProfile(pp)
	created, err := client.Users().Post(ctx, nu, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := *created.GetId()

	skus, err := client.SubscribedSkus().Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var sku *uuid.UUID
	for _, s := range skus.GetValue() {
		if *s.GetSkuPartNumber() == "O365_BUSINESS_PREMIUM" {
			sku = s.GetSkuId()
		}
	}
	if sku == nil {
		t.Fatal("no Business Standard in subscribedSkus")
	}
	body := graphusers.NewItemAssignLicensePostRequestBody()
	al := graphmodels.NewAssignedLicense()
	al.SetSkuId(sku)
	al.SetDisabledPlans([]uuid.UUID{})
	body.SetAddLicenses([]graphmodels.AssignedLicenseable{al})
	body.SetRemoveLicenses([]uuid.UUID{})
	if _, err := client.Users().ByUserId(id).AssignLicense().Post(ctx, body, nil); err != nil {
		t.Fatal(err)
	}
	u, err := client.Users().ByUserId("sdkperson@contoso.com").Get(ctx, &graphusers.UserItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &graphusers.UserItemRequestBuilderGetQueryParameters{Select: []string{"id", "assignedLicenses"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ls := u.GetAssignedLicenses(); *u.GetId() != id || len(ls) != 1 || *ls[0].GetSkuId() != *sku {
		t.Fatalf("licences after assignLicense: %d", len(ls))
	}

	ms := graphmodels.NewMailboxSettings()
	ar := graphmodels.NewAutomaticRepliesSetting()
	ar.SetStatus(ptr(graphmodels.SCHEDULED_AUTOMATICREPLIESSTATUS))
	ar.SetExternalAudience(ptr(graphmodels.CONTACTSONLY_EXTERNALAUDIENCESCOPE))
	ar.SetInternalReplyMessage(ptr("Out of office"))
	ar.SetExternalReplyMessage(ptr("Out of office (outside)"))
	start, end := graphmodels.NewDateTimeTimeZone(), graphmodels.NewDateTimeTimeZone()
	start.SetDateTime(ptr("2030-03-01T08:00:00"))
	start.SetTimeZone(ptr("W. Europe Standard Time"))
	end.SetDateTime(ptr("2030-03-08T17:00:00"))
	end.SetTimeZone(ptr("W. Europe Standard Time"))
	ar.SetScheduledStartDateTime(start)
	ar.SetScheduledEndDateTime(end)
	ms.SetAutomaticRepliesSetting(ar)
	ms.SetTimeZone(ptr("Pacific Standard Time"))
	if _, err := client.Users().ByUserId(id).MailboxSettings().Patch(ctx, ms, nil); err != nil {
		t.Fatal(err)
	}
	got, err := client.Users().ByUserId(id).MailboxSettings().Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	back := got.GetAutomaticRepliesSetting()
	if *back.GetStatus() != graphmodels.SCHEDULED_AUTOMATICREPLIESSTATUS || *back.GetExternalAudience() != graphmodels.CONTACTSONLY_EXTERNALAUDIENCESCOPE ||
		*back.GetInternalReplyMessage() != "Out of office" || *back.GetScheduledEndDateTime().GetDateTime() != "2030-03-08T17:00:00.0000000" ||
		*back.GetScheduledEndDateTime().GetTimeZone() != "W. Europe Standard Time" {
		t.Errorf("automatic replies read back: %v %v %q %q %q", back.GetStatus(), back.GetExternalAudience(),
			*back.GetInternalReplyMessage(), *back.GetScheduledEndDateTime().GetDateTime(), *back.GetScheduledEndDateTime().GetTimeZone())
	}
	if tz := got.GetTimeZone(); tz == nil || *tz != "Pacific Standard Time" {
		t.Errorf("mailbox time zone read back: %v", tz)
	}

	// A PATCH with one valid and one invalid property changes nothing.
	mixed := graphmodels.NewUser()
	mixed.SetJobTitle(ptr("Half changed"))
	mixed.SetUserPrincipalName(ptr("sdkperson@not-our-domain.example"))
	_, err = client.Users().ByUserId(id).Patch(ctx, mixed, nil)
	if status, code := graphError(t, err); status != 400 || code != "Request_BadRequest" {
		t.Errorf("mixed PATCH: %d %s", status, code)
	}
	if u, err := client.Users().ByUserId(id).Get(ctx, nil); err != nil || u.GetJobTitle() != nil || *u.GetUserPrincipalName() != "sdkperson@contoso.com" {
		t.Errorf("the mixed PATCH changed something: %v", err)
	}

	ng := graphmodels.NewGroup()
	ng.SetDisplayName(ptr("SDK Testers"))
	ng.SetMailEnabled(ptr(false))
	ng.SetSecurityEnabled(ptr(true))
	ng.SetMailNickname(ptr("sdktesters"))
	ng.SetGroupTypes([]string{})
	group, err := client.Groups().Post(ctx, ng, nil)
	if err != nil {
		t.Fatal(err)
	}
	gid := *group.GetId()
	ref := graphmodels.NewReferenceCreate()
	ref.SetOdataId(ptr("https://graph.microsoft.com/v1.0/directoryObjects/" + id))
	if err := client.Groups().ByGroupId(gid).Members().Ref().Post(ctx, ref, nil); err != nil {
		t.Fatal(err)
	}
	err = client.Groups().ByGroupId(gid).Members().Ref().Post(ctx, ref, nil)
	if status, code := graphError(t, err); status != 400 || code != "Request_BadRequest" {
		t.Errorf("added twice: %d %s", status, code)
	}
	members, err := client.Groups().ByGroupId(gid).Members().Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := members.GetValue(); len(m) != 1 || *m[0].GetId() != id {
		t.Fatalf("members: %d", len(m))
	}
	if _, ok := members.GetValue()[0].(graphmodels.Userable); !ok {
		t.Errorf("a member person isn't a user to the SDK: %T", members.GetValue()[0])
	}
	sec, err := client.Groups().Get(ctx, &graphgroups.GroupsRequestBuilderGetRequestConfiguration{
		QueryParameters: &graphgroups.GroupsRequestBuilderGetQueryParameters{Filter: ptr("securityEnabled eq true and mailEnabled eq false")}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range sec.GetValue() {
		found = found || *g.GetId() == gid
	}
	if !found {
		t.Error("the new security group isn't listed by its filter")
	}
	if err := client.Groups().ByGroupId(gid).Members().ByDirectoryObjectId(id).Ref().Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	members, err = client.Groups().ByGroupId(gid).Members().Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(members.GetValue()) != 0 {
		t.Errorf("member not removed: %d", len(members.GetValue()))
	}

	reader, _ := tn.client("SDK reader", models.RoleGlobalReader)
	if _, err := reader.Users().ByUserId(id).Get(ctx, nil); err != nil {
		t.Fatalf("a reader reads: %v", err)
	}
	patch := graphmodels.NewUser()
	patch.SetJobTitle(ptr("Changed by a reader"))
	_, err = reader.Users().ByUserId(id).Patch(ctx, patch, nil)
	if status, code := graphError(t, err); status != 403 || code != "Authorization_RequestDenied" {
		t.Errorf("reader's change: %d %s", status, code)
	}
	u, err = client.Users().ByUserId(id).Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if u.GetJobTitle() != nil {
		t.Errorf("the reader's change went through: %q", *u.GetJobTitle())
	}
}

// TestSDKPagesThroughALargeTenant walks every person with the SDK's page iterator
// along @odata.nextLink, $top=999, and counts each once. GRAPHSDK_USERS sets the
// size of the tenant (10,000 by default; 100,000 for the full scale).
func TestSDKPagesThroughALargeTenant(t *testing.T) {
	people := 10_000
	if s := os.Getenv("GRAPHSDK_USERS"); s != "" {
		var err error
		if people, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	tn := newTenant(t, people)
	client, adapter := tn.client("SDK walker", models.RoleGlobalReader)
	ctx := context.Background()
	want, err := tn.store.CountGraphUsers(ctx, models.GraphUserQuery{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	first, err := client.Users().Get(ctx, &graphusers.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &graphusers.UsersRequestBuilderGetQueryParameters{Top: ptr(int32(999)), Select: []string{"id", "displayName"}}})
	if err != nil {
		t.Fatal(err)
	}
	it, err := msgraphcore.NewPageIterator[graphmodels.Userable](first, adapter, graphmodels.CreateUserCollectionResponseFromDiscriminatorValue)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]int, want)
	if err := it.Iterate(ctx, func(u graphmodels.Userable) bool {
		seen[*u.GetId()]++
		return true
	}); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", id, n)
		}
	}
	if int64(len(seen)) != want {
		t.Errorf("saw %d people, the tenant has %d", len(seen), want)
	}
	t.Logf("walked %d people with the SDK in %s: %.0f users/s", len(seen), elapsed.Round(time.Millisecond), float64(len(seen))/elapsed.Seconds())
}
