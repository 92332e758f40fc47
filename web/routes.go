package web

import (
	"context"
	"net/http"
	"net/http/pprof"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers"
	"github.com/contoso/admincenter/handlers/adminapi"
	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/handlers/entra"
	"github.com/contoso/admincenter/handlers/graph"
	"github.com/contoso/admincenter/handlers/testcontrols"
	"github.com/contoso/admincenter/models"
	exocmdlets "github.com/contoso/admincenter/models/powershell/exchange"
	"github.com/contoso/admincenter/static"
	"github.com/contoso/admincenter/web/session"
)

// routes is the route table: every address the app answers, top to bottom.
func routes(e *echo.Echo, store *models.Store, sessions *session.Store, cfg Config) {
	auth := handlers.NewAuth(store, sessions)
	home := handlers.NewHome(store)
	users := handlers.NewUsers(store, sessions)
	userPerms := handlers.NewMailboxPermissions(store, sessions, users)
	userFwd := handlers.NewForwarding(store, sessions, users)
	userReplies := handlers.NewAutoReplies(store, sessions, users)
	convert := handlers.NewConvert(store, sessions, users)
	shared := handlers.NewSharedMailboxes(store, sessions)
	sharedPerms := handlers.NewMailboxPermissions(store, sessions, shared)
	sharedFwd := handlers.NewForwarding(store, sessions, shared)
	settings := handlers.NewSettings(store, sessions)
	audit := handlers.NewAudit(store)
	apps := handlers.NewApps(store, sessions, cfg.PublicURL)
	groups := handlers.NewGroups(store, sessions)
	contacts := handlers.NewContacts(store, sessions)
	console := handlers.NewPowerShell(store)
	exchange := handlers.NewExchange(store, sessions)
	reports := handlers.NewReports(store)
	runner := cfg.Jobs
	if runner == nil {
		// Lives as long as the process; a server's Config may bring its own.
		runner = models.NewJobRunner(context.Background(), store)
	}
	jobs := handlers.NewJobs(store, sessions, runner)

	e.GET("/healthz", health(store))
	e.GET("/static/*", staticFiles())

	// Surfaces for programs, each with its own middleware chain: bearer tokens (or,
	// the test controls, loopback), their own error shapes; no cookies, CSRF or HTML.
	tokens := entra.NewTokens(store)
	e.POST("/:tenant/oauth2/v2.0/token", tokens.Token)
	e.GET("/:tenant/oauth2/v2.0/token", tokens.NotPost)
	var limiter *apiauth.Limiter
	if cfg.APIRateLimit > 0 {
		limiter = apiauth.NewLimiter(cfg.APIRateLimit, cfg.APIRateWindow)
	}
	cmdlets := cfg.Cmdlets
	if cmdlets == nil {
		cmdlets = exocmdlets.NewRegistry(store)
	}
	exo := adminapi.New(store, cmdlets, adminapi.Options{Limiter: limiter, PublicURL: cfg.PublicURL})
	exoAPI := e.Group("/adminapi/beta/:tenant", exo.Middleware()...)
	exoAPI.POST("/InvokeCommand", exo.InvokeCommand)
	exoAPI.POST("/$batch", exo.Batch)
	e.Any("/adminapi/*", exo.NotFound)
	msgraph := graph.New(store, graph.Options{Limiter: limiter, PublicURL: cfg.PublicURL})
	graphAPI := e.Group("/v1.0", msgraph.Middleware()...)
	graphAPI.GET("/users", msgraph.ListUsers)
	graphAPI.POST("/users", msgraph.CreateUser)
	graphAPI.GET("/users/$count", msgraph.CountUsers)
	graphAPI.GET("/users/:id", msgraph.GetUser)
	graphAPI.PATCH("/users/:id", msgraph.UpdateUser)
	graphAPI.DELETE("/users/:id", msgraph.DeleteUser)
	graphAPI.POST("/users/:id/assignLicense", msgraph.AssignLicense)
	graphAPI.GET("/users/:id/memberOf", msgraph.MemberOf)
	graphAPI.GET("/users/:id/mailboxSettings", msgraph.GetMailboxSettings)
	graphAPI.PATCH("/users/:id/mailboxSettings", msgraph.UpdateMailboxSettings)
	graphAPI.GET("/subscribedSkus", msgraph.SubscribedSkus)
	graphAPI.GET("/groups", msgraph.ListGroups)
	graphAPI.POST("/groups", msgraph.CreateGroup)
	graphAPI.GET("/groups/:id", msgraph.GetGroup)
	graphAPI.GET("/groups/:id/members", msgraph.ListMembers)
	graphAPI.GET("/groups/:id/owners", msgraph.ListOwners)
	graphAPI.POST("/groups/:id/members/$ref", msgraph.AddMember)
	graphAPI.DELETE("/groups/:id/members/:member/$ref", msgraph.RemoveMember)
	graphAPI.GET("/organization", msgraph.Organization)
	graphAPI.GET("/domains", msgraph.Domains)
	graphAPI.POST("/$batch", msgraph.Batch)
	graphAPI.Any("/*", msgraph.NotFound)
	if cfg.TestControls {
		controls := testcontrols.New(store, sessions)
		test := e.Group("/api/test", controls.Guard)
		test.POST("/reset", controls.Reset)
		test.POST("/session", controls.Session)
		test.GET("/propagation-delay", controls.Delay)
		test.POST("/propagation-delay", controls.SetDelay)
		test.POST("/storage", controls.SetStorage)
	} else {
		e.Any("/api/test/*", func(echo.Context) error { return echo.ErrNotFound })
	}

	e.GET("/signin", auth.ShowSignIn)
	e.POST("/signin", auth.SignIn)
	e.POST("/signout", auth.SignOut)
	e.POST("/signout-everywhere", auth.SignOutEverywhere)
	e.POST("/language", auth.SetLanguage)

	admin := e.Group("", requireAdmin)
	admin.GET("/", home.Show)
	admin.GET("/users", users.List)
	if cfg.BenchBaseline {
		admin.GET("/_bench/baseline", handlers.BenchBaseline{}.Show)
		// Profiles of the server under load, for `make bench -cpuprofile`.
		admin.GET("/_bench/pprof/profile", echo.WrapHandler(http.HandlerFunc(pprof.Profile)))
	}
	admin.GET("/users/new", users.ShowNew)
	admin.POST("/users", users.Create)
	admin.GET("/users/address-check", users.AddressCheck)
	admin.POST("/users/bulk", users.Bulk)
	admin.GET("/users/export", users.Export)
	admin.GET("/users/deleted", users.Deleted)
	admin.POST("/users/deleted/:id/restore", users.Restore)
	admin.GET("/users/:id", users.Show)
	admin.POST("/users/:id/licenses", users.SaveLicenses)
	admin.GET("/users/:id/block", users.ShowBlock)
	admin.POST("/users/:id/block", users.Block)
	admin.GET("/users/:id/reset-password", users.ShowReset)
	admin.POST("/users/:id/reset-password", users.Reset)
	admin.GET("/users/:id/delete", users.ShowDelete)
	admin.POST("/users/:id/delete", users.Delete)
	admin.GET("/users/:id/contact", users.ShowContact)
	admin.POST("/users/:id/contact", users.SaveContact)
	admin.GET("/users/:id/addresses", users.ShowAddresses)
	admin.POST("/users/:id/addresses", users.AddAddress)
	admin.POST("/users/:id/addresses/remove", users.RemoveAddress)
	admin.POST("/users/:id/addresses/primary", users.PrimaryAddress)
	admin.POST("/users/:id/username", users.SaveUsername)
	admin.GET("/users/:id/roles", users.ShowRoles)
	admin.POST("/users/:id/roles", users.SaveRoles)
	admin.GET("/users/:id/convert", convert.Show)
	admin.POST("/users/:id/convert", convert.Save)
	admin.GET("/users/:id/mailbox-permissions", userPerms.Show)
	admin.GET("/users/:id/mailbox-permissions/:right", userPerms.ShowRight)
	admin.POST("/users/:id/mailbox-permissions/:right", userPerms.Grant)
	admin.GET("/users/:id/mailbox-permissions/:right/add", userPerms.Picker)
	admin.POST("/users/:id/mailbox-permissions/:right/remove", userPerms.Remove)
	admin.POST("/users/:id/mailbox-permissions/:right/automapping", userPerms.SetAutoMapping)
	admin.GET("/users/:id/send-check", userPerms.SendCheck)
	admin.GET("/users/:id/forwarding", userFwd.Show)
	admin.POST("/users/:id/forwarding", userFwd.Save)
	admin.GET("/users/:id/auto-replies", userReplies.Show)
	admin.POST("/users/:id/auto-replies", userReplies.Save)
	admin.GET("/users/:id/delivery-check", userFwd.DeliveryCheck)
	admin.GET("/users/:id/forwarding/targets", userFwd.Targets)
	admin.GET("/shared-mailboxes", shared.List)
	admin.GET("/shared-mailboxes/new", shared.ShowNew)
	admin.POST("/shared-mailboxes", shared.Create)
	admin.GET("/shared-mailboxes/:id", shared.Show)
	admin.GET("/shared-mailboxes/:id/name", shared.ShowName)
	admin.POST("/shared-mailboxes/:id/name", shared.Rename)
	admin.GET("/shared-mailboxes/:id/addresses", shared.ShowAddresses)
	admin.POST("/shared-mailboxes/:id/addresses", shared.AddAddress)
	admin.POST("/shared-mailboxes/:id/addresses/remove", shared.RemoveAddress)
	admin.POST("/shared-mailboxes/:id/addresses/primary", shared.PrimaryAddress)
	admin.GET("/shared-mailboxes/:id/members", shared.ShowMembers)
	admin.GET("/shared-mailboxes/:id/members/add", shared.MembersPicker)
	admin.POST("/shared-mailboxes/:id/members", shared.AddMembers)
	admin.POST("/shared-mailboxes/:id/members/remove", shared.RemoveMember)
	admin.GET("/shared-mailboxes/:id/auto-replies", shared.ShowAutoReplies)
	admin.POST("/shared-mailboxes/:id/auto-replies", shared.SaveAutoReplies)
	admin.GET("/shared-mailboxes/:id/sent-items", shared.ShowSentItems)
	admin.POST("/shared-mailboxes/:id/sent-items", shared.SaveSentItems)
	admin.GET("/shared-mailboxes/:id/address-list", shared.ShowAddressList)
	admin.POST("/shared-mailboxes/:id/address-list", shared.SaveAddressList)
	admin.GET("/shared-mailboxes/:id/delete", shared.ShowDelete)
	admin.POST("/shared-mailboxes/:id/delete", shared.Delete)
	admin.GET("/shared-mailboxes/:id/convert", shared.ShowConvert)
	admin.POST("/shared-mailboxes/:id/convert", shared.ConvertBack)
	admin.GET("/shared-mailboxes/:id/license", shared.ShowLicense)
	admin.POST("/shared-mailboxes/:id/license", shared.AssignLicense)
	admin.GET("/shared-mailboxes/:id/mailbox-permissions", sharedPerms.Show)
	admin.GET("/shared-mailboxes/:id/mailbox-permissions/:right", sharedPerms.ShowRight)
	admin.POST("/shared-mailboxes/:id/mailbox-permissions/:right", sharedPerms.Grant)
	admin.GET("/shared-mailboxes/:id/mailbox-permissions/:right/add", sharedPerms.Picker)
	admin.POST("/shared-mailboxes/:id/mailbox-permissions/:right/remove", sharedPerms.Remove)
	admin.POST("/shared-mailboxes/:id/mailbox-permissions/:right/automapping", sharedPerms.SetAutoMapping)
	admin.GET("/shared-mailboxes/:id/send-check", sharedPerms.SendCheck)
	admin.GET("/shared-mailboxes/:id/forwarding", sharedFwd.Show)
	admin.POST("/shared-mailboxes/:id/forwarding", sharedFwd.Save)
	admin.GET("/shared-mailboxes/:id/delivery-check", sharedFwd.DeliveryCheck)
	admin.GET("/shared-mailboxes/:id/forwarding/targets", sharedFwd.Targets)
	admin.GET("/groups", groups.List)
	admin.GET("/groups/new", groups.ShowNew)
	admin.POST("/groups/new", groups.Step)
	admin.POST("/groups", groups.Create)
	admin.GET("/groups/:id", groups.Show)
	admin.GET("/groups/:id/basics", groups.ShowBasics)
	admin.POST("/groups/:id/basics", groups.SaveBasics)
	admin.GET("/groups/:id/addresses", groups.ShowAddresses)
	admin.POST("/groups/:id/addresses", groups.AddAddress)
	admin.POST("/groups/:id/addresses/remove", groups.RemoveAddress)
	admin.POST("/groups/:id/addresses/primary", groups.PrimaryAddress)
	admin.GET("/groups/:id/members/add", groups.MembersPicker)
	admin.POST("/groups/:id/members", groups.AddMembers)
	admin.POST("/groups/:id/members/remove", groups.RemoveMember)
	admin.GET("/groups/:id/owners/add", groups.OwnersPicker)
	admin.POST("/groups/:id/owners", groups.AddOwners)
	admin.POST("/groups/:id/owners/remove", groups.RemoveOwner)
	admin.POST("/groups/:id/settings", groups.SaveSettings)
	admin.GET("/groups/:id/delete", groups.ShowDelete)
	admin.POST("/groups/:id/delete", groups.Delete)
	admin.GET("/contacts", contacts.List)
	admin.GET("/contacts/new", contacts.ShowNew)
	admin.POST("/contacts", contacts.Create)
	admin.GET("/contacts/:id", contacts.Show)
	admin.GET("/contacts/:id/edit", contacts.ShowEdit)
	admin.POST("/contacts/:id/edit", contacts.SaveEdit)
	admin.GET("/contacts/:id/delete", contacts.ShowDelete)
	admin.POST("/contacts/:id/delete", contacts.Delete)
	// The Exchange admin center: Recipients > Mailboxes, Groups, Contacts and Shared.
	admin.GET("/exchange", exchange.Home)
	admin.GET("/exchange/mailboxes", exchange.Mailboxes)
	admin.GET("/exchange/mailboxes/bulk-delegation", exchange.Bulk)
	admin.POST("/exchange/mailboxes/bulk-delegation", exchange.BulkSave)
	admin.GET("/exchange/mailboxes/:id", exchange.Mailbox)
	admin.POST("/exchange/mailboxes/:id/delegation", exchange.Delegation)
	admin.POST("/exchange/mailboxes/:id/general", exchange.SaveGeneral)
	admin.POST("/exchange/mailboxes/:id/addresses", exchange.Addresses)
	admin.GET("/exchange/shared", exchange.Shared)
	admin.GET("/exchange/shared/new", exchange.NewShared)
	admin.POST("/exchange/shared/new", exchange.CreateShared)
	admin.GET("/exchange/groups", exchange.Groups)
	admin.GET("/exchange/groups/:id", exchange.Group)
	admin.POST("/exchange/groups/:id/delivery", exchange.GroupDelivery)
	admin.POST("/exchange/groups/:id/changes", exchange.GroupChanges)
	admin.GET("/exchange/contacts", exchange.Contacts)
	admin.GET("/exchange/contacts/:id", exchange.Contact)
	admin.POST("/exchange/contacts/:id", exchange.SaveContact)
	admin.GET("/audit", audit.List)
	admin.GET("/audit/export", audit.Export)
	admin.GET("/reports", reports.Index)
	admin.GET("/reports/mailbox-access", reports.Access)
	admin.GET("/reports/mailbox-access/export", reports.AccessExport)
	admin.GET("/reports/forwarding", reports.Forwarding)
	admin.GET("/reports/forwarding/export", reports.ForwardingExport)
	admin.GET("/reports/access-history", reports.History)
	admin.POST("/reports/mailbox-access/grant", jobs.ReportGrant)
	admin.POST("/users/bulk-all", jobs.UsersBulk)
	admin.GET("/jobs", jobs.List)
	admin.GET("/jobs/:id", jobs.Show)
	admin.GET("/settings/forwarding", settings.ShowForwardingPolicy)
	admin.POST("/settings/forwarding", settings.SaveForwardingPolicy)
	admin.GET("/settings/personal", settings.ShowPreferences)
	admin.POST("/settings/personal", settings.SavePreferences)
	admin.GET("/settings/apps", apps.List)
	admin.GET("/settings/apps/new", apps.ShowNew)
	admin.POST("/settings/apps", apps.Create)
	admin.GET("/settings/apps/:id/created", apps.ShowCreated)
	admin.GET("/settings/apps/:id/revoke", apps.ShowRevoke)
	admin.POST("/settings/apps/:id/revoke", apps.Revoke)
	admin.GET("/powershell", console.Show)
	admin.POST("/powershell", console.Run)
}

// health answers 200 once the database answers.
func health(store *models.Store) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := store.Ping(c.Request().Context()); err != nil {
			return c.String(http.StatusServiceUnavailable, "database unavailable")
		}
		return c.String(http.StatusOK, "ok")
	}
}

// staticFiles serves the embedded assets; versioned addresses are cached for good.
func staticFiles() echo.HandlerFunc {
	files := http.FileServer(http.FS(static.Files))
	return func(c echo.Context) error {
		r := c.Request()
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if name == "" || strings.HasSuffix(name, "/") || strings.Contains(name, "..") {
			return echo.ErrNotFound
		}
		if _, err := static.Files.Open(name); err != nil {
			return echo.ErrNotFound
		}
		if r.URL.Query().Get("v") != "" {
			c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			c.Response().Header().Set("Cache-Control", "no-cache")
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + name
		files.ServeHTTP(c.Response(), r2)
		return nil
	}
}
