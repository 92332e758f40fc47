package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

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
	// Channel is the surface the admin acts through when it is not the admin
	// center's pages (ChannelPowerShell for cmdlets), and Command the command text
	// that asked for the change; the audit log records both with every change.
	Channel Channel
	Command string
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

// PersonRights says which actions an admin may take on one person.
type PersonRights struct {
	Block    bool
	Reset    bool
	Delete   bool
	Edit     bool
	Licenses bool
	Roles    bool
}

// RightsOn applies the role rules to a person with the given admin roles: Helpdesk
// administrators block and reset passwords only of people without admin roles, and
// only a Global administrator resets, deletes or changes a Global administrator.
func RightsOn(actor *Admin, targetRoles []Role) PersonRights {
	isAdmin := len(targetRoles) > 0
	isGlobal := slices.Contains(targetRoles, RoleGlobalAdmin)
	return PersonRights{
		Block:    actor.Can(ActionBlockSignIn) && (!isAdmin || actor.Can(ActionManageUsers)) && (!isGlobal || actor.Can(ActionManageRoles)),
		Reset:    actor.Can(ActionResetPassword) && (!isAdmin || actor.Can(ActionManageUsers)) && (!isGlobal || actor.Can(ActionManageRoles)),
		Delete:   actor.Can(ActionManageUsers) && (!isGlobal || actor.Can(ActionManageRoles)),
		Edit:     actor.Can(ActionManageUsers) && (!isGlobal || actor.Can(ActionManageRoles)),
		Licenses: actor.Can(ActionManageLicenses),
		Roles:    actor.Can(ActionManageRoles),
	}
}

// rolesOf lists the roles a person holds (nil for none).
func rolesOf(u *User) []Role {
	var out []Role
	for _, ra := range u.Roles {
		out = append(out, ra.Role)
	}
	return out
}

func hasRole(u *User, r Role) bool {
	return slices.ContainsFunc(u.Roles, func(ra RoleAssignment) bool { return ra.Role == r })
}

// isLastGlobalAdmin reports whether the user is the only active Global administrator.
func isLastGlobalAdmin(tx *gorm.DB, userID uint) (bool, error) {
	var others int64
	err := tx.Table("role_assignments ra").Joins("JOIN users u ON u.id = ra.user_id").
		Where("ra.role = ? AND ra.user_id <> ? AND u.deleted_at IS NULL AND NOT u.sign_in_blocked", RoleGlobalAdmin, userID).
		Count(&others).Error
	if err != nil {
		return false, fmt.Errorf("count global admins: %w", err)
	}
	var self int64
	if err := tx.Model(&RoleAssignment{}).Where("user_id = ? AND role = ?", userID, RoleGlobalAdmin).Count(&self).Error; err != nil {
		return false, fmt.Errorf("check role: %w", err)
	}
	return self > 0 && others == 0, nil
}

// refuseLastGlobalAdmin returns the form-level error key when the user is the only
// active Global administrator, whom a change (blocking, deleting) must not remove.
func refuseLastGlobalAdmin(tx *gorm.DB, userID uint, field, key string) error {
	last, err := isLastGlobalAdmin(tx, userID)
	if err != nil {
		return err
	}
	if last {
		return Invalid(field, key, nil)
	}
	return nil
}

// SetRoles sets exactly which admin roles a person holds. Only a Global
// administrator may; the last Global administrator keeps the role. A person who
// loses every role is signed out everywhere.
func (s *Store) SetRoles(ctx context.Context, actor *Admin, userID uint, roles []Role) error {
	if !actor.Can(ActionManageRoles) {
		return ErrForbidden
	}
	for _, r := range roles {
		if !r.Valid() {
			return Invalid("roles", "roles.error.unknown", nil)
		}
	}
	roles = sortedSet(roles)
	return s.changePerson(ctx, actor, changeRoles, userID, func(tx *gorm.DB, u *User) error {
		if hasRole(u, RoleGlobalAdmin) && !slices.Contains(roles, RoleGlobalAdmin) {
			if err := refuseLastGlobalAdmin(tx, userID, "roles", "roles.error.last_global"); err != nil {
				return err
			}
		}
		before := rolesOf(u)
		if err := tx.Where("user_id = ?", userID).Delete(&RoleAssignment{}).Error; err != nil {
			return fmt.Errorf("clear roles: %w", err)
		}
		for _, r := range roles {
			if err := tx.Create(&RoleAssignment{UserID: userID, Role: r, AssignedAt: s.Now()}).Error; err != nil {
				return fmt.Errorf("assign role: %w", err)
			}
		}
		// Roles are read on every request, but a person who lost one is signed out
		// everywhere so no page rendered with the old role lingers.
		if slices.ContainsFunc(before, func(r Role) bool { return !slices.Contains(roles, r) }) {
			if err := endSessions(tx, userID); err != nil {
				return err
			}
		}
		return s.audit(tx, actor, "user.roles", &u.RecipientID, primaryAddress(u), map[string]any{"roles": before}, map[string]any{"roles": roles})
	})
}
