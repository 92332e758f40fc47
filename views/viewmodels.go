package views

import (
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/contoso/admincenter/models"
)

// The tabs of the user properties pane.
const (
	TabAccount = "account"
	TabMail    = "mail"
)

// PaneTabs lists the pane's tabs in order.
var PaneTabs = []string{TabAccount, TabMail}

// ParseTab returns the tab named s, or the Account tab.
func ParseTab(s string) string {
	if s == TabMail {
		return TabMail
	}
	return TabAccount
}

// SignInView is the sign-in form: what was typed and the form-level error key.
type SignInView struct {
	Email string
	Error string
	Next  string
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
}

// UserPaneView is a person's properties pane on one tab.
type UserPaneView struct {
	User *models.UserDetail
	Tab  string
	// Access is what the person can reach in other mailboxes (Mail tab only).
	Access []models.Access
	// Forwarding is the mailbox's forwarding state (Mail tab only, nil without a mailbox).
	Forwarding *models.Forwarding
	Now        time.Time
}

// SharedPageView is the Shared mailboxes page.
type SharedPageView struct {
	Params SharedParams
	List   *models.SharedMailboxList
}

// ErrorView is a friendly error page.
type ErrorView struct {
	Status    int
	RequestID string
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
}

// PermissionsURL is the address of the Manage mailbox permissions panel.
func (m MailboxPanelContext) PermissionsURL() string { return m.BaseURL + "/mailbox-permissions" }

// RightURL is the address of one right's panel.
func (m MailboxPanelContext) RightURL(r models.Right) string {
	return m.PermissionsURL() + "/" + strings.ToLower(string(r))
}

// PickerURL is the address of the people picker for a right.
func (m MailboxPanelContext) PickerURL(r models.Right) string { return m.RightURL(r) + "/add" }

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

// ForwardingURL is the address of the Manage email forwarding panel.
func (m MailboxPanelContext) ForwardingURL() string { return m.BaseURL + "/forwarding" }

// DeliveryURL is the address of the Check delivery panel.
func (m MailboxPanelContext) DeliveryURL() string { return m.BaseURL + "/delivery-check" }

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
	// ConfirmBounce asks to confirm an outside address the policy will bounce.
	ConfirmBounce bool
	// Stale is set when someone else changed forwarding since the form was opened.
	Stale bool
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
