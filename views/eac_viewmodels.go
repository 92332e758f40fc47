package views

import (
	"net/url"
	"strconv"

	"github.com/contoso/admincenter/models"
)

// The Exchange admin center's addresses and view models (Recipients > Mailboxes,
// Groups, Contacts and Shared; Add a shared mailbox; a mailbox's and a group's
// edit pages; bulk delegation).

// The fixed addresses of the Exchange admin center.
const (
	EACHomeURL      = "/exchange"
	EACMailboxesURL = "/exchange/mailboxes"
	EACSharedURL    = "/exchange/shared"
	EACNewSharedURL = "/exchange/shared/new"
	EACGroupsURL    = "/exchange/groups"
	EACContactsURL  = "/exchange/contacts"
	EACBulkURL      = "/exchange/mailboxes/bulk-delegation"
)

// The sections of a mailbox's edit page.
const (
	EACSectionGeneral    = "general"
	EACSectionAddresses  = "addresses"
	EACSectionDelegation = "delegation"
)

// EACMailboxURL is a mailbox's edit page, on a section ("" for the first).
func EACMailboxURL(id uint, section string) string {
	u := EACMailboxesURL + "/" + strconv.FormatUint(uint64(id), 10)
	if section != "" && section != EACSectionGeneral {
		u += "?section=" + section
	}
	return u
}

// EACDelegationURL is where a mailbox's Mailbox delegation form posts.
func EACDelegationURL(id uint) string {
	return EACMailboxesURL + "/" + strconv.FormatUint(uint64(id), 10) + "/delegation"
}

// EACGeneralURL is where a mailbox's General form posts.
func EACGeneralURL(id uint) string {
	return EACMailboxesURL + "/" + strconv.FormatUint(uint64(id), 10) + "/general"
}

// EACAddressesURL is where a mailbox's Email address form posts.
func EACAddressesURL(id uint) string {
	return EACMailboxesURL + "/" + strconv.FormatUint(uint64(id), 10) + "/addresses"
}

// EACContactURL is a contact's edit page.
func EACContactURL(id uint) string {
	return EACContactsURL + "/" + strconv.FormatUint(uint64(id), 10)
}

// EACGroupURL is a group's edit page; pick, when set, opens the picker for
// "members", "owners" or a right.
func EACGroupURL(id uint) string { return EACGroupsURL + "/" + strconv.FormatUint(uint64(id), 10) }

// EACListParams is the state of a Recipients list as it travels in the URL.
type EACListParams struct {
	Base   string
	Type   models.GroupType
	Search string
	Size   int
	After  string
	Before string
	Desc   bool
}

// URL is the list's address with this state.
func (p EACListParams) URL() string {
	q := url.Values{}
	if p.Type != "" {
		q.Set("type", string(p.Type))
	}
	if p.Search != "" {
		q.Set("q", p.Search)
	}
	if p.Size != 0 && p.Size != models.DefaultPageSize {
		q.Set("size", strconv.Itoa(p.Size))
	}
	if p.After != "" {
		q.Set("after", p.After)
	}
	if p.Before != "" {
		q.Set("before", p.Before)
	}
	if p.Desc {
		q.Set("sort", "desc")
	}
	if len(q) == 0 {
		return p.Base
	}
	return p.Base + "?" + q.Encode()
}

// Page is the same list at another page.
func (p EACListParams) Page(after, before string) EACListParams {
	p.After, p.Before = after, before
	return p
}

// Sorted is the same list from its start, sorted the other way when flip is set.
func (p EACListParams) Sorted(desc bool) EACListParams {
	p.After, p.Before, p.Desc = "", "", desc
	return p
}

// EACRow is one line of a Recipients list.
type EACRow struct {
	ID      uint
	Name    string
	Address string
	// Type is what the row is, already in the admin's words (UserMailbox, a group
	// type, a company).
	Type    string
	EditURL string
}

// EACListView is one Recipients list: Mailboxes, Shared, Groups (on a type's tab)
// or Contacts.
type EACListView struct {
	// Section is "mailboxes", "shared", "groups" or "contacts".
	Section string
	Params  EACListParams
	Rows    []EACRow
	models.PageInfo
	// Selectable lists can be multi-selected for bulk delegation.
	Selectable bool
	CanEdit    bool
	Role       models.Role
	// Error is a refusal of the bulk command (nothing selected).
	Error models.FieldError
}

// EACHolder is one line of a delegation list: someone who holds a right, or is
// about to (Staged).
type EACHolder struct {
	models.Candidate
	Staged bool
}

// EACHolderList is a delegation list being edited: who holds the right, the
// staged changes (sent back as hidden fields until Save), and the picker when open.
type EACHolderList struct {
	// Key names the list in the form's fields (a right, or "grant").
	Key      string
	LabelKey string
	HelpKey  string
	Holders  []EACHolder
	Add      []uint
	Remove   []uint
	Picking  bool
	Search   string
	// Candidates are who the picker offers.
	Candidates []models.Candidate
	Error      models.FieldError
}

// EACMailboxView is a mailbox's edit page on one of its sections.
type EACMailboxView struct {
	Mailbox models.MailboxRef
	// Alias is the mailbox's alias as it was typed (its addresses are lower-case).
	Alias   string
	Section string
	// Lists are the delegation lists: Full Access and Send As, and Send on Behalf
	// for a person's mailbox.
	Lists []EACHolderList
	// OnBehalf are the Send on Behalf holders of a shared mailbox, set with
	// Set-Mailbox and shown read-only.
	OnBehalf []models.Candidate
	CanEdit  bool
	Role     models.Role
	Error    models.FieldError
	// M365URL is the mailbox's pane in the Microsoft 365 admin center.
	M365URL string
	// CanEditIdentity is whether the admin may change General and Email address:
	// a person's with the rights on people, a shared mailbox's with those on
	// shared mailboxes.
	CanEditIdentity bool
	// General is the General section's form.
	General models.MailboxGeneral
	// Addresses is the Email address section's list as staged.
	Addresses EACAddressesView
	// Errors are the General or Email address form's field errors; Stale says
	// someone else changed the mailbox since the form was opened.
	Errors map[string]models.FieldError
	Stale  bool
}

// EACAddress is one line of a mailbox's Email address list.
type EACAddress struct {
	Address string
	Primary bool
	// New is an address added to the list and not saved yet.
	New bool
}

// EACAddressesView is the Email address section: the addresses as staged (sent
// back as hidden fields until Save) and the new address's alias and domain.
type EACAddressesView struct {
	List    []EACAddress
	Primary string
	Alias   string
	Domain  string
	Domains []models.Domain
	// Changed is set when the list differs from what is saved.
	Changed bool
}

// IsShared reports whether the mailbox is a shared mailbox.
func (v EACMailboxView) IsShared() bool { return v.Mailbox.Type == models.MailboxShared }

// ListURL is the list the mailbox is found on: Shared, or Mailboxes.
func (v EACMailboxView) ListURL() string {
	if v.IsShared() {
		return EACSharedURL
	}
	return EACMailboxesURL
}

// EACNewSharedView is Add a shared mailbox.
type EACNewSharedView struct {
	Name    string
	Alias   string
	Domain  string
	Domains []models.Domain
	Grant   EACHolderList
	Errors  map[string]models.FieldError
	CanEdit bool
	Role    models.Role
}

// EACBulkView is the bulk Mailbox delegation of the selected mailboxes.
type EACBulkView struct {
	Mailboxes []models.MailboxRef
	// Remove chooses Bulk Remove Delegation; Right the permission.
	Remove bool
	Right  models.Right
	Rights []models.Right
	People EACHolderList
	Errors map[string]models.FieldError
	Role   models.Role
}

// EACGroupView is a group's edit page.
type EACGroupView struct {
	Group     *models.GroupDetail
	Delegates map[models.Right][]models.Candidate
	// Lists are Members, Owners and, for a mail-enabled group, Group delegation's
	// Send As and Send on Behalf, with their staged changes.
	Lists   []EACHolderList
	CanEdit bool
	Role    models.Role
	// Errors are Delivery management's; Error is a refusal of Save as a whole.
	Errors map[string]models.FieldError
	Error  models.FieldError
}

// List is the list with the key, and whether the page has it.
func (v EACGroupView) List(key string) (EACHolderList, bool) {
	for _, l := range v.Lists {
		if l.Key == key {
			return l, true
		}
	}
	return EACHolderList{}, false
}

// EACGroupChangesURL is where a group's staged changes post.
func EACGroupChangesURL(id uint) string { return EACGroupURL(id) + "/changes" }

// GroupRights are the rights a group can be given to others in Group delegation.
var GroupRights = []models.Right{models.RightSendAs, models.RightSendOnBehalf}

// EACContactView is a contact's edit page: the form as typed, with its errors.
type EACContactView struct {
	Contact *models.MailContactDetail
	Form    models.MailContactForm
	Errors  map[string]models.FieldError
	Stale   bool
	CanEdit bool
	Role    models.Role
}
