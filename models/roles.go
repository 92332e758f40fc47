package models

import "slices"

// Role is an admin role a user can hold.
type Role string

// The admin roles the admin center knows, in the order it lists them.
const (
	RoleGlobalAdmin            Role = "global_admin"
	RoleExchangeAdmin          Role = "exchange_admin"
	RoleExchangeRecipientAdmin Role = "exchange_recipient_admin"
	RoleUserAdmin              Role = "user_admin"
	RoleHelpdeskAdmin          Role = "helpdesk_admin"
	RoleGlobalReader           Role = "global_reader"
)

// Roles lists every role, most powerful first.
var Roles = []Role{
	RoleGlobalAdmin, RoleExchangeAdmin, RoleExchangeRecipientAdmin,
	RoleUserAdmin, RoleHelpdeskAdmin, RoleGlobalReader,
}

// Valid reports whether r is a role the admin center knows.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Action is something an admin may or may not do. Reading is allowed to every role;
// the actions are the changes.
type Action string

// The actions that roles are checked against.
const (
	ActionManagePermissions     Action = "manage_permissions"
	ActionManageForwarding      Action = "manage_forwarding"
	ActionManageSharedMailboxes Action = "manage_shared_mailboxes"
	ActionManageAutoReplies     Action = "manage_auto_replies"
	ActionManageOrgMailPolicy   Action = "manage_org_mail_policy"
	ActionManageUsers           Action = "manage_users"
	ActionManageLicenses        Action = "manage_licenses"
	ActionBlockSignIn           Action = "block_sign_in"
	ActionResetPassword         Action = "reset_password"
	ActionManageRoles           Action = "manage_roles"
)

var recipientActions = []Action{
	ActionManagePermissions, ActionManageForwarding, ActionManageSharedMailboxes, ActionManageAutoReplies,
}

// grants says what each role may change. Global reader changes nothing.
var grants = map[Role][]Action{
	RoleGlobalAdmin: {
		ActionManagePermissions, ActionManageForwarding, ActionManageSharedMailboxes, ActionManageAutoReplies,
		ActionManageOrgMailPolicy, ActionManageUsers, ActionManageLicenses, ActionBlockSignIn,
		ActionResetPassword, ActionManageRoles,
	},
	RoleExchangeAdmin:          append(slices.Clone(recipientActions), ActionManageOrgMailPolicy),
	RoleExchangeRecipientAdmin: recipientActions,
	RoleUserAdmin:              {ActionManageUsers, ActionManageLicenses, ActionBlockSignIn, ActionResetPassword},
	RoleHelpdeskAdmin:          {ActionBlockSignIn, ActionResetPassword},
	RoleGlobalReader:           nil,
}

// Can reports whether the role allows the action.
func (r Role) Can(a Action) bool { return slices.Contains(grants[r], a) }

// Admin is a signed-in administrator: who they are and which roles they hold.
type Admin struct {
	UserID      uint
	RecipientID uint
	DisplayName string
	Username    string
	Roles       []Role
}

// Can reports whether any of the admin's roles allows the action.
func (a *Admin) Can(act Action) bool {
	if a == nil {
		return false
	}
	for _, r := range a.Roles {
		if r.Can(act) {
			return true
		}
	}
	return false
}

// PrimaryRole is the most powerful role the admin holds, used to explain refusals
// ("Your role, Global reader, can't ...").
func (a *Admin) PrimaryRole() Role {
	for _, r := range Roles {
		if slices.Contains(a.Roles, r) {
			return r
		}
	}
	return ""
}
