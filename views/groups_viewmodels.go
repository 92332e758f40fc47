package views

import (
	"github.com/a-h/templ"

	"github.com/contoso/admincenter/models"
)

// GroupsPageView is Active teams & groups on one tab, with a group's pane when one
// is open.
type GroupsPageView struct {
	Params GroupsParams
	List   *models.GroupList
	// Counts are the groups of each type, shown on the tabs.
	Counts map[models.GroupType]int
	// CanCreate says whether the admin may add groups (of some type); Role names the
	// admin's role in the reason when not.
	CanCreate bool
	Role      models.Role
	Pane      templ.Component
	PaneTitle string
}

// GroupPaneView is a group's pane on a tab, or one of its panels.
type GroupPaneView struct {
	Group *models.GroupDetail
	Tab   string
	// CanManage says whether the admin may change groups of this type.
	CanManage bool
	Role      models.Role
	Errors    map[string]models.FieldError
	Stale     bool
	// Form values echoed back after an error.
	Name        string
	Description string
	Alias       string
	Domain      string
	Domains     []models.Domain
	Settings    models.GroupSettings
	// A picker's search and what it found.
	Search     string
	Candidates []models.Candidate
	// Links are what deleting the group also removes (the delete panel).
	Links *models.RecipientLinks
	// Delegates hold Send as and Send on behalf on the group (General tab).
	Delegates map[models.Right][]models.Candidate
}

// GroupWizardView is Add a group at one of its steps, or its end once created.
type GroupWizardView struct {
	Step  models.GroupStep
	Form  models.NewGroup
	Types []models.GroupType
	// Owners are the chosen owners, by name; Candidates what an owner search found.
	Owners     []models.Candidate
	Search     string
	Searched   bool
	Candidates []models.Candidate
	Domains    []models.Domain
	Errors     map[string]models.FieldError
	Role       models.Role
	// CreatedID is set once the group exists; CreatedAddress is its address.
	CreatedID      uint
	CreatedAddress string
}

// Steps are the wizard's steps for the chosen type.
func (v GroupWizardView) Steps() []models.GroupStep { return v.Form.Type.WizardSteps() }

// ContactsPageView is Users > Contacts, with a contact's pane when one is open.
type ContactsPageView struct {
	Params    ContactsParams
	List      *models.MailContactList
	CanCreate bool
	Role      models.Role
	Pane      templ.Component
	PaneTitle string
}

// ContactPaneView is a contact's pane or one of its panels.
type ContactPaneView struct {
	Contact   *models.MailContactDetail
	CanManage bool
	Role      models.Role
	Form      models.MailContactForm
	Errors    map[string]models.FieldError
	Stale     bool
	// Links are what deleting the contact also removes.
	Links *models.RecipientLinks
}

// AddContactView is Add a contact.
type AddContactView struct {
	Form   models.MailContactForm
	Errors map[string]models.FieldError
}

// ForwardTargetView is what the forwarding panel says under the address: what it
// belongs to, and names matching what was typed to pick from.
type ForwardTargetView struct {
	Ctx         MailboxPanelContext
	Target      *models.ForwardTarget
	Policy      models.ForwardingPolicy
	Suggestions []models.Candidate
}
