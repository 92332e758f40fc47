package views

import (
	"context"
	"time"

	"github.com/a-h/templ"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
)

// The tabs of the user properties pane.
const (
	TabAccount  = "account"
	TabLicenses = "licenses"
	TabMail     = "mail"
)

// PaneTabs lists the pane's tabs in order.
var PaneTabs = []string{TabAccount, TabLicenses, TabMail}

// ParseTab returns the tab named s, or the Account tab.
func ParseTab(s string) string {
	for _, t := range PaneTabs {
		if s == t {
			return t
		}
	}
	return TabAccount
}

// PaneActions says which of the pane's actions the signed-in admin may take on this
// person; the others are shown disabled with the reason.
type PaneActions struct {
	models.PersonRights
	// CanConvert is whether the admin may convert mailboxes to shared ones.
	CanConvert bool
	// Role is the admin's role, named in the reason.
	Role models.Role
}

// SignInView is the sign-in form: what was typed, the form-level error key and the
// fields' errors.
type SignInView struct {
	Email string
	Error string
	Next  string
	// Until is when a throttled sign-in can be tried again.
	Until  string
	Fields map[string]models.FieldError
}

// HomeView is the home page's summary of the organization.
type HomeView struct {
	Users         int64
	LicensedUsers int64
	Shared        int64
}

// UsersPageView is the Active users page, with the properties pane when one is open.
type UsersPageView struct {
	Params UsersParams
	List   *models.UserList
	// Pane is what the properties pane shows (a tab or a panel), nil when closed.
	Pane templ.Component
	// PaneTitle names the page when the pane is open.
	PaneTitle string
	// Licenses are the products the bulk bar can assign or remove.
	Licenses []models.LicenseUsage
	// CanAdd and CanBulk say whether the admin may add people and run bulk changes;
	// Role names the admin's role in the reason when not.
	CanAdd  bool
	CanBulk bool
	Role    models.Role
}

// UserPaneView is a person's properties pane on one tab.
type UserPaneView struct {
	User *models.UserDetail
	Tab  string
	// Access is what the person can reach in other mailboxes (Mail tab only).
	Access []models.Access
	// Forwarding is the mailbox's forwarding state (Mail tab only, nil without a mailbox).
	Forwarding *models.Forwarding
	Actions    PaneActions
	// LicensesForm is the Licenses and apps tab (that tab only).
	LicensesForm *LicensesView
	// Groups are the groups the person is a member of, directly or nested (Mail tab only).
	Groups []models.Membership
	Now    time.Time
	// Classic is the admin's choice of the classic pane: a summary and an
	// expandable Mail settings section instead of the tabs.
	Classic bool
	// AutoReply is the mailbox's automatic replies (Mail tab and classic pane).
	AutoReply *models.AutoReply
}

// SharedPageView is the Shared mailboxes page, with a shared mailbox's pane when
// one is open.
type SharedPageView struct {
	Params    SharedParams
	List      *models.SharedMailboxList
	CanCreate bool
	Role      models.Role
	Pane      templ.Component
	PaneTitle string
}

// SharedPaneView is a shared mailbox's pane, or one of its panels.
type SharedPaneView struct {
	Ctx     MailboxPanelContext
	Mailbox *models.SharedMailbox
	// CanManage is false when the admin's roles do not allow changing shared mailboxes.
	CanManage bool
	// CanReply is false when the admin's roles do not allow changing automatic replies.
	CanReply bool
	// CanEditIdentity is false when the admin may not change the name and addresses:
	// for a converted mailbox, those are its person's.
	CanEditIdentity bool
	Errors          map[string]models.FieldError
	Stale           bool
	// Form values echoed back after an error.
	Name    string
	Alias   string
	Domain  string
	Domains []models.Domain
	Reply   models.AutoReply
	// Confirm is set when hiding from the address list needs confirming.
	Confirm bool
	// Forwarding is the mailbox's forwarding state, for the pane's section.
	Forwarding *models.Forwarding
	// Members picker.
	Search     string
	Candidates []models.Candidate
	// GroupAccess are the groups that hold rights on the mailbox (the pane only).
	GroupAccess []models.GroupAccess
	Now         time.Time
	// CanLicense is whether the admin may assign the mailbox a license (shared
	// mailboxes and licenses); Licenses are the products that give 100 GB.
	CanLicense bool
	Licenses   []models.LicenseUsage
	LicenseID  uint
}

// AddSharedView is Add a shared mailbox, and its Next steps once saved.
type AddSharedView struct {
	Name      string
	Alias     string
	Domain    string
	Domains   []models.Domain
	Errors    map[string]models.FieldError
	CreatedID uint
	Address   string
}

// ConvertView is Convert to shared mailbox on a person's Mail tab.
type ConvertView struct {
	User    *models.UserDetail
	Options models.ConvertOptions
	Errors  map[string]models.FieldError
	CanEdit bool
	Role    models.Role
	// CanBlock and CanRemoveLicense say whether the admin may take the follow-up
	// steps, which change the person's account.
	CanBlock         bool
	CanRemoveLicense bool
}

// ErrorView is a friendly error page.
type ErrorView struct {
	Status    int
	RequestID string
	// Invalid is the violation a refused request carried, said instead of the
	// status's general text so the server's message is never lost.
	Invalid *models.FieldError
}

// MailboxPanelContext is what every panel acting on one mailbox knows: which mailbox,
// the address its panels hang under, where Back leads, and whether the signed-in
// admin may change it (and if not, the role to name in the reason).
type MailboxPanelContext struct {
	Mailbox models.MailboxRef
	// OwnerName is the person or shared mailbox the pane belongs to.
	OwnerName string
	// BaseURL is the pane's address, such as /users/5; panels live below it.
	BaseURL string
	// BackURL is where Back leads from the permissions overview.
	BackURL string
	// CanEdit is false when the admin's roles do not allow changing permissions.
	CanEdit bool
	// CanForward is false when the admin's roles do not allow changing forwarding.
	CanForward bool
	// LicensesURL is where the mailbox owner's licenses are managed ("" for none).
	LicensesURL string
	// Role is the admin's role, named in the reason an action is unavailable.
	Role models.Role
	// PropagationDelay is the configured delay before changes take effect.
	PropagationDelay time.Duration
	// Classic says the admin uses the classic properties pane, whose forwarding
	// panel has the switch and Save (seeds 000-003, "o365-germany", "o365-21vianet").
	Classic bool
}

// PermissionsView is the Manage mailbox permissions panel.
type PermissionsView struct {
	Ctx    MailboxPanelContext
	Access *models.MailboxAccess
}

// RightPanelView is one right's panel: its holders, and people chosen in the picker
// that are not saved yet.
type RightPanelView struct {
	Ctx         MailboxPanelContext
	Right       models.Right
	Access      *models.MailboxAccess
	Staged      []models.Candidate
	AutoMapping bool
	Error       *models.FieldError
}

// PickerView is the people picker of a right.
type PickerView struct {
	Ctx         MailboxPanelContext
	Right       models.Right
	Search      string
	Candidates  []models.Candidate
	Selected    []models.Candidate
	AutoMapping bool
	// Outside is set when the search is an address outside the organization.
	Outside bool
	Error   *models.FieldError
}

// IsSelected reports whether a candidate is among the selected.
func (v PickerView) IsSelected(id uint) bool {
	for _, c := range v.Selected {
		if c.RecipientID == id {
			return true
		}
	}
	return false
}

// SendCheckView is the Check sending panel.
type SendCheckView struct {
	Ctx    MailboxPanelContext
	Sender string
	From   string
	Result *models.SendCheck
	Errors map[string]models.FieldError
	Now    time.Time
}

// ForwardingForm is what the forwarding panel's fields hold.
type ForwardingForm struct {
	Enabled  bool
	Address  string
	KeepCopy bool
	Version  int
}

// ForwardingView is the Manage email forwarding panel.
type ForwardingView struct {
	Ctx    MailboxPanelContext
	State  *models.Forwarding
	Form   ForwardingForm
	Errors map[string]models.FieldError
	// Stale is set when someone else changed forwarding since the form was opened.
	Stale bool
	// Target is what the address in the form belongs to (nil when there is none).
	Target *models.ForwardTarget
}

// DeliveryView is the Check delivery panel.
type DeliveryView struct {
	Ctx     MailboxPanelContext
	Address string
	Trace   *models.DeliveryTrace
	Errors  map[string]models.FieldError
}

// PolicyView is the Automatic forwarding settings page.
type PolicyView struct {
	Policy  models.ForwardingPolicy
	CanEdit bool
	Role    models.Role
	Error   *models.FieldError
}

// LicensesView is the Licenses and apps tab's form, or its confirmation.
type LicensesView struct {
	User     *models.UserDetail
	Licenses []models.LicenseUsage
	Checked  []uint
	CanEdit  bool
	Role     models.Role
	Error    *models.FieldError
	// Confirm lists what the change stops, when it needs confirming.
	Confirm *models.Consequences
	// Version is the version of the person's licenses the form is based on; Stale
	// is set when someone else changed them since.
	Version int
	Stale   bool
}

// IsChecked reports whether a product is ticked in the form.
func (v LicensesView) IsChecked(id uint) bool {
	for _, c := range v.Checked {
		if c == id {
			return true
		}
	}
	return false
}

// PersonPanelView is one of the pane's action panels (block, reset, delete,
// contact, addresses, roles) for a person.
type PersonPanelView struct {
	User    *models.UserDetail
	Actions PaneActions
	Errors  map[string]models.FieldError
	// Confirm lists consequences to confirm (block, delete).
	Confirm *models.Consequences
	// Password is shown once after a reset; PasswordGone says the page that
	// showed it was opened again (the password is not kept to show twice).
	Password     string
	PasswordGone bool
	// Contact is the contact form's values.
	Contact models.Contact
	Stale   bool
	// Domains are the accepted domains for a new alias; Alias and Domain what was typed.
	Domains []models.Domain
	Alias   string
	Domain  string
	// Roles is the roles form's ticked roles.
	Roles []models.Role
	// Version is what a versioned form (roles, username) was based on.
	Version int
	// Username is the username form's alias and domain, as typed.
	UsernameAlias  string
	UsernameDomain string
	// MustChange is the reset form's choice.
	MustChange bool
	Now        time.Time
}

// HasRole reports whether a role is ticked in the roles form.
func (v PersonPanelView) HasRole(r models.Role) bool {
	for _, x := range v.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// AddUserView is the Add a user page.
type AddUserView struct {
	Form     models.NewUser
	Generate bool
	Domains  []models.Domain
	Licenses []models.LicenseUsage
	Errors   map[string]models.FieldError
	// Created is set after saving: the new person and the password, shown once.
	CreatedID   uint
	CreatedName string
	CreatedUser string
	Password    string
}

// HasLicense reports whether a product is ticked in the Add a user form.
func (v AddUserView) HasLicense(id uint) bool {
	for _, x := range v.Form.LicenseIDs {
		if x == id {
			return true
		}
	}
	return false
}

// AddressCheckView is the live availability message under an address field.
type AddressCheckView struct {
	ID      string
	Address string
	Error   *models.FieldError
}

// DeletedUsersView is Users > Deleted users.
type DeletedUsersView struct {
	Users   []models.DeletedUser
	CanEdit bool
	Role    models.Role
	// Restorable says whom (by id) the admin may restore: whoever may delete them.
	Restorable map[uint]bool
}

// BulkView is the confirmation of a bulk action on selected users; Error is why
// the confirmed action was refused (and nothing changed).
type BulkView struct {
	Action models.BulkAction
	models.BulkPlan
	Error *models.FieldError
}

// AuditParams is the audit log's filter as it travels in the URL.
type AuditParams struct {
	Actor  string
	Action string
	Target string
	From   string
	To     string
	Before uint
}

// AuditView is the Audit log page.
type AuditView struct {
	Params  AuditParams
	Actions []string
	Page    *models.AuditLogPage
	Errors  map[string]models.FieldError
}

// canEdit reports whether the forwarding form can be used: the admin may change
// forwarding, and the mailbox may forward.
func (v ForwardingView) canEdit() bool { return v.State.Licensed && v.Ctx.CanForward }

// toggle reports whether forwarding is turned on with a switch, as seed 004 says
// for a shared mailbox ("Zet de wisselknop op Aan") and seed 000 for the classic
// pane ("Stel de schakelknop in op Aan"), rather than the checkbox of a person's
// Mail tab (seed 000).
func (v ForwardingView) toggle() bool {
	return v.Ctx.Mailbox.Type == models.MailboxShared || v.Ctx.Classic
}

// saveLabel is Save where forwarding is a switch (seed 004: "Kies Opslaan"), and
// Save changes on a person's Mail tab (seed 000: "Wijzigingen opslaan").
func (v ForwardingView) saveLabel(ctx context.Context) string {
	if v.toggle() {
		return i18n.T(ctx, "common14.save")
	}
	return i18n.T(ctx, "fwd.save")
}

// ForwardTargetID is the region under the forwarding address that says what the
// address is, the policy, and the bounce warning. It is always there, and htmx
// swaps its content as the address is typed, so the address field's
// aria-describedby points at it and stays right after every swap.
const ForwardTargetID = "fwd-target"

// addressHelp is the address field's help. With the several-addresses error shown,
// which names the distribution list way out, the help leaves that rule out.
func (v ForwardingView) addressHelp(ctx context.Context) string {
	if fe, ok := v.Errors["address"]; ok && fe.Key == "fwd.error.one_address" {
		return i18n.T(ctx, "fwd.target.pick_help")
	}
	return i18n.T(ctx, "fwd.address_help") + " " + i18n.T(ctx, "fwd.target.pick_help")
}

// switchReasonID names why forwarding can't be turned on, when it can't.
func (v ForwardingView) switchReasonID() string {
	switch {
	case !v.State.Licensed:
		return "fwd-license"
	case !v.Ctx.CanForward:
		return "fwd-denied"
	}
	return ""
}
