package views

import (
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
	Pane   *UserPaneView
}

// UserPaneView is a person's properties pane on one tab.
type UserPaneView struct {
	User *models.UserDetail
	Tab  string
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
