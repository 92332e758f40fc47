package views

import (
	"context"
	"strconv"
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
)

// Addresses of Settings > Apps and API access.
const (
	AppsURL    = "/settings/apps"
	NewAppURL  = "/settings/apps/new"
	appsPrefix = "/settings/apps/"
)

// AppCreatedURL is a new app's result page, where Create redirects.
func AppCreatedURL(id uint) string {
	return appsPrefix + strconv.FormatUint(uint64(id), 10) + "/created"
}

// RevokeAppURL is where an app's Revoke asks for confirmation and posts.
func RevokeAppURL(id uint) string { return appsPrefix + strconv.FormatUint(uint64(id), 10) + "/revoke" }

// AppsView is the list of apps.
type AppsView struct {
	Apps []models.App
	Now  time.Time
	// CanManage is whether the admin may create and revoke apps (a Global
	// administrator); Role names the admin's role when not.
	CanManage bool
	Role      models.Role
	TenantID  string
}

// NewAppView is the New app form, with what was typed and its errors.
type NewAppView struct {
	Name         string
	Roles        []models.Role
	LifetimeDays int
	Errors       map[string]models.FieldError
}

// HasRole reports whether the role was ticked.
func (v NewAppView) HasRole(r models.Role) bool {
	for _, x := range v.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// AppCreatedView is the page shown once after an app is made, with its secret.
type AppCreatedView struct {
	App      models.CreatedApp
	TenantID string
	// TokenURL is the token endpoint's address for this tenant.
	TokenURL string
	// ExchangeURL is the Exchange REST endpoint's InvokeCommand address.
	ExchangeURL string
}

// RevokeAppView asks to confirm revoking an app.
type RevokeAppView struct {
	App models.App
}

// appRoles names an app's roles in the page's language.
func appRoles(ctx context.Context, a models.App) string {
	out := ""
	for i, r := range a.RoleList() {
		if i > 0 {
			out += ", "
		}
		out += roleName(ctx, r)
	}
	return out
}

// formatDay shows a date, the same in every language.
func formatDay(t time.Time) string { return t.UTC().Format("2006-01-02") }

// lastUsed is an app's Last used column.
func lastUsed(ctx context.Context, a models.App) string {
	if a.LastUsedAt == nil {
		return i18n.T(ctx, "apps.never")
	}
	return formatTime(*a.LastUsedAt)
}

// lifetimeLabel names a secret lifetime, such as "180 days (6 months), recommended".
func lifetimeLabel(ctx context.Context, days int) string {
	return i18n.T(ctx, "apps.lifetime."+strconv.Itoa(days))
}
