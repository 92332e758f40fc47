package views

import (
	"net/url"
	"strconv"

	"github.com/contoso/admincenter/models"
)

// Addresses of Teams & groups > Active teams & groups, Add a group, a group's pane
// and Users > Contacts (kept here, next to urls.go, so the groups and contacts
// screens have one place to follow a route change).

// The fixed addresses of the groups and contacts pages.
const (
	GroupsURL     = "/groups"
	NewGroupURL   = "/groups/new"
	ContactsURL   = "/contacts"
	NewContactURL = "/contacts/new"
)

// The tabs of a group's pane.
const (
	TabGroupGeneral  = "general"
	TabGroupMembers  = "members"
	TabGroupSettings = "settings"
)

// GroupPaneTabs lists a group's pane tabs in order.
var GroupPaneTabs = []string{TabGroupGeneral, TabGroupMembers, TabGroupSettings}

// ParseGroupTab returns the group pane tab named s, or General.
func ParseGroupTab(s string) string {
	for _, t := range GroupPaneTabs {
		if s == t {
			return t
		}
	}
	return TabGroupGeneral
}

// The panels below a group's pane.
const (
	PanelGroupBasics       = "basics"
	PanelGroupAddMembers   = "members/add"
	PanelGroupMembers      = "members"
	PanelGroupRemoveMember = "members/remove"
	PanelGroupAddOwners    = "owners/add"
	PanelGroupOwners       = "owners"
	PanelGroupRemoveOwner  = "owners/remove"
	PanelGroupSettings     = "settings"
	PanelContactEdit       = "edit"
)

// GroupsParams is the state of a tab of Active teams & groups as it travels in the URL.
type GroupsParams struct {
	Type   models.GroupType
	Search string
	Size   int
	After  string
	Before string
}

// URL is the address of the list in this state.
func (p GroupsParams) URL() string {
	v := listValues(p.Search, p.Size, p.After, p.Before)
	if p.Type != "" && p.Type != models.GroupM365 {
		v.Set("type", string(p.Type))
	}
	return withQuery(GroupsURL, v)
}

// Page returns the state moved to another page.
func (p GroupsParams) Page(after, before string) GroupsParams {
	p.After, p.Before = after, before
	return p
}

// Tab returns the first page of another tab, without the search.
func (p GroupsParams) Tab(t models.GroupType) GroupsParams {
	return GroupsParams{Type: t, Size: p.Size}
}

// GroupURL is the address of a group's pane on a tab.
func GroupURL(id uint, tab string) string {
	u := GroupsURL + "/" + strconv.FormatUint(uint64(id), 10)
	if tab != "" && tab != TabGroupGeneral {
		u += "?tab=" + url.QueryEscape(tab)
	}
	return u
}

// GroupPanelURL is the address of one of the panels of a group's pane.
func GroupPanelURL(id uint, panel string) string { return GroupURL(id, "") + "/" + panel }

// ContactsParams is the state of Contacts as it travels in the URL.
type ContactsParams struct {
	Search string
	Size   int
	After  string
	Before string
}

// URL is the address of the list in this state.
func (p ContactsParams) URL() string {
	return withQuery(ContactsURL, listValues(p.Search, p.Size, p.After, p.Before))
}

// Page returns the state moved to another page.
func (p ContactsParams) Page(after, before string) ContactsParams {
	p.After, p.Before = after, before
	return p
}

// ContactURL is the address of a contact's pane.
func ContactURL(id uint) string { return ContactsURL + "/" + strconv.FormatUint(uint64(id), 10) }

// ContactPanelURL is the address of one of the panels of a contact's pane.
func ContactPanelURL(id uint, panel string) string { return ContactURL(id) + "/" + panel }

// ForwardTargetsURL is where the forwarding panel asks what a typed address or name is.
func (m MailboxPanelContext) ForwardTargetsURL() string { return m.ForwardingURL() + "/targets" }
