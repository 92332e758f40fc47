package views

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/contoso/admincenter/models"
)

// Every address the views link to or post to is made here, so a route table change
// has one place to follow in the views.

// The fixed addresses of the pages the views link to.
const (
	// HomeURL is the start page, where Cancel on a settings page leads.
	HomeURL         = "/"
	UsersURL        = "/users"
	NewUserURL      = "/users/new"
	BulkURL         = "/users/bulk"
	ExportURL       = "/users/export"
	DeletedUsersURL = "/users/deleted"
	AddressCheckURL = "/users/address-check"
	SharedListURL   = "/shared-mailboxes"
	NewSharedURL    = "/shared-mailboxes/new"
	PolicyURL       = "/settings/forwarding"
	AuditURL        = "/audit"
	AuditExportURL  = "/audit/export"
)

// UsersParams is the state of the Active users list as it travels in the URL.
type UsersParams struct {
	Search string
	Filter models.UserFilter
	Desc   bool
	Size   int
	After  string
	Before string
}

func (p UsersParams) values() url.Values {
	v := listValues(p.Search, p.Size, p.After, p.Before)
	if p.Filter != "" && p.Filter != models.FilterAll {
		v.Set("filter", string(p.Filter))
	}
	if p.Desc {
		v.Set("sort", "desc")
	}
	return v
}

// listValues is the state every list keeps in its address: the search, a page size
// other than the default, and the page's cursor.
func listValues(search string, size int, after, before string) url.Values {
	v := url.Values{}
	if search != "" {
		v.Set("q", search)
	}
	if size != 0 && size != models.DefaultPageSize {
		v.Set("size", strconv.Itoa(size))
	}
	if after != "" {
		v.Set("after", after)
	}
	if before != "" {
		v.Set("before", before)
	}
	return v
}

// URL is the address of the list in this state.
func (p UsersParams) URL() string { return withQuery(UsersURL, p.values()) }

// Page returns the state moved to another page (one cursor, the other cleared).
func (p UsersParams) Page(after, before string) UsersParams {
	p.After, p.Before = after, before
	return p
}

// SortToggled returns the state sorted the other way, from the first page.
func (p UsersParams) SortToggled() UsersParams {
	p.Desc = !p.Desc
	return p.Page("", "")
}

// UserURL is the address of a person's properties pane on a tab.
func UserURL(id uint, tab string) string {
	u := UsersURL + "/" + strconv.FormatUint(uint64(id), 10)
	if tab != "" && tab != TabAccount {
		u += "?tab=" + url.QueryEscape(tab)
	}
	return u
}

// SharedURL is the address of a shared mailbox's pane.
func SharedURL(id uint) string { return SharedListURL + "/" + strconv.FormatUint(uint64(id), 10) }

// The panels below a pane (a person's, a shared mailbox's), as their addresses
// name them.
const (
	PanelBlock         = "block"
	PanelResetPassword = "reset-password"
	PanelDelete        = "delete"
	PanelContact       = "contact"
	PanelAddresses     = "addresses"
	PanelUsername      = "username"
	PanelRoles         = "roles"
	PanelLicenses      = "licenses"
	PanelConvert       = "convert"
	PanelName          = "name"
	PanelMembers       = "members"
	PanelAddMembers    = "members/add"
	PanelRemoveMember  = "members/remove"
	PanelAutoReplies   = "auto-replies"
	PanelSentItems     = "sent-items"
	PanelAddressList   = "address-list"
	PanelPermissions   = "mailbox-permissions"
	PanelSendCheck     = "send-check"
	PanelForwarding    = "forwarding"
	PanelDeliveryCheck = "delivery-check"
	PanelLicense       = "license"
)

// UserPanelURL is the address of one of the panels of a person's pane (a Panel*
// name, or a deeper path such as "addresses/remove").
func UserPanelURL(id uint, panel string) string { return UserURL(id, "") + "/" + panel }

// RestoreUserURL is where Deleted users posts to restore a person.
func RestoreUserURL(id uint) string {
	return "/users/deleted/" + strconv.FormatUint(uint64(id), 10) + "/restore"
}

// SharedPanelURL is the address of one of the panels of a shared mailbox's pane.
func SharedPanelURL(id uint, panel string) string { return SharedURL(id) + "/" + panel }

// PanelURL is the address of one of the panels below the pane the context belongs to.
func (m MailboxPanelContext) PanelURL(panel string) string { return m.BaseURL + "/" + panel }

// PermissionsURL is the address of the Manage mailbox permissions panel.
func (m MailboxPanelContext) PermissionsURL() string { return m.PanelURL(PanelPermissions) }

// RightURL is the address of one right's panel.
func (m MailboxPanelContext) RightURL(r models.Right) string {
	return m.PermissionsURL() + "/" + strings.ToLower(string(r))
}

// RemoveURL is where a right's panel posts to take it away from a holder.
func (m MailboxPanelContext) RemoveURL(r models.Right) string { return m.RightURL(r) + "/remove" }

// AutomappingURL is where Read and manage's panel turns a holder's automapping on or off.
func (m MailboxPanelContext) AutomappingURL() string {
	return m.RightURL(models.RightFullAccess) + "/automapping"
}

// AddressesURL is the Email addresses panel below a pane at base, which a new alias
// is posted to; with an action ("primary", "remove") it is where one address changes.
func AddressesURL(base, action string) string {
	if action == "" {
		return base + "/addresses"
	}
	return base + "/addresses/" + action
}

// PickerURL is the address of the people picker for a right.
func (m MailboxPanelContext) PickerURL(r models.Right) string { return m.RightURL(r) + "/add" }

// ForwardingURL is the address of the Manage email forwarding panel.
func (m MailboxPanelContext) ForwardingURL() string { return m.PanelURL(PanelForwarding) }

// DeliveryURL is the address of the Check delivery panel.
func (m MailboxPanelContext) DeliveryURL() string { return m.PanelURL(PanelDeliveryCheck) }

// SharedParams is the state of the Shared mailboxes list as it travels in the URL.
type SharedParams struct {
	Search string
	Size   int
	After  string
	Before string
}

// URL is the address of the list in this state.
func (p SharedParams) URL() string {
	return withQuery(SharedListURL, listValues(p.Search, p.Size, p.After, p.Before))
}

// Page returns the state moved to another page.
func (p SharedParams) Page(after, before string) SharedParams {
	p.After, p.Before = after, before
	return p
}

// URL is the address of the audit log with this filter, at path.
func (p AuditParams) URL(path string) string {
	v := url.Values{}
	for k, val := range map[string]string{"actor": p.Actor, "action": p.Action, "target": p.Target, "from": p.From, "to": p.To} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if p.Before > 0 {
		v.Set("before", strconv.FormatUint(uint64(p.Before), 10))
	}
	return withQuery(path, v)
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
