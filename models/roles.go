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

// Action is something an admin may or may not do. Reading is allowed to every role,
// except the audit log (ActionReadAuditLog); the other actions are the changes.
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
	// ActionManageGroups changes every kind of group; ActionManageEntraGroups only
	// Microsoft 365 and security groups, as Entra's User administrator may.
	ActionManageGroups      Action = "manage_groups"
	ActionManageEntraGroups Action = "manage_entra_groups"
	ActionManageContacts    Action = "manage_contacts"
	// ActionReadAuditLog reads the audit log: as in Microsoft Purview's audit search,
	// the Global administrator, the Exchange administrator and the Global reader may;
	// the Helpdesk, User and Exchange recipient administrators may not.
	ActionReadAuditLog Action = "read_audit_log"
)

var recipientActions = []Action{
	ActionManagePermissions, ActionManageForwarding, ActionManageSharedMailboxes, ActionManageAutoReplies,
	ActionManageGroups, ActionManageContacts,
}

// grants says what each role may do. Global reader changes nothing; it reads the audit log.
var grants = map[Role][]Action{
	RoleGlobalAdmin: {
		ActionManagePermissions, ActionManageForwarding, ActionManageSharedMailboxes, ActionManageAutoReplies,
		ActionManageOrgMailPolicy, ActionManageUsers, ActionManageLicenses, ActionBlockSignIn,
		ActionResetPassword, ActionManageRoles, ActionManageGroups, ActionManageContacts, ActionReadAuditLog,
	},
	RoleExchangeAdmin:          append(slices.Clone(recipientActions), ActionManageOrgMailPolicy, ActionReadAuditLog),
	RoleExchangeRecipientAdmin: recipientActions,
	RoleUserAdmin:              {ActionManageUsers, ActionManageLicenses, ActionBlockSignIn, ActionResetPassword, ActionManageEntraGroups},
	RoleHelpdeskAdmin:          {ActionBlockSignIn, ActionResetPassword},
	RoleGlobalReader:           {ActionReadAuditLog},
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
	// App is the name of the API app acting with these roles; empty for a person.
	// The audit log names the app as the actor.
	App string
	// Channel is the surface the admin acts through when it is not the admin
	// center's pages (ChannelPowerShell for cmdlets, ChannelExchangeREST or
	// ChannelGraph for the APIs), and Command the command text that asked for the
	// change; the audit log records both with every change.
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
	// Protected is set when the admin's roles may change people's accounts, but not
	// this person's: their admin roles are beyond the admin's reach.
	Protected bool
}

// accountReach is Entra's table of who may act on whose account ("Who can reset
// passwords" and "Who can perform sensitive actions" in Microsoft Entra's privileged
// roles and permissions): per role that changes accounts, the admin roles of the
// people it may still act on. People without admin roles are always within reach.
// Of this admin center's roles, a Helpdesk administrator reaches Helpdesk
// administrators, a User administrator also User administrators; Global readers,
// the Exchange roles and Global administrators are privileged, and only a Global
// administrator acts on them (Entra's "all other roles" row).
var accountReach = map[Role][]Role{
	RoleGlobalAdmin:   Roles,
	RoleUserAdmin:     {RoleUserAdmin, RoleHelpdeskAdmin},
	RoleHelpdeskAdmin: {RoleHelpdeskAdmin},
}

// reaches reports whether role r may act on the account of a person holding target.
func (r Role) reaches(target []Role) bool {
	for _, t := range target {
		if !slices.Contains(accountReach[r], t) {
			return false
		}
	}
	return true
}

// canOn reports whether one of the admin's roles both allows the action and reaches
// a person holding target.
func (a *Admin) canOn(act Action, target []Role) bool {
	if a == nil {
		return false
	}
	for _, r := range a.Roles {
		if r.Can(act) && r.reaches(target) {
			return true
		}
	}
	return false
}

// RightsOn applies the role rules to a person holding the given admin roles.
//
// A person's account (blocking sign-in, resetting the password, the username, names
// and addresses, deleting and restoring) follows Entra: Helpdesk and User
// administrators act only on people without admin roles and on the few roles Entra
// lists for them (accountReach); everyone else with an admin role only a Global
// administrator changes. Licenses are not a sensitive action in Entra: whoever may
// assign them may for anyone. Roles: only a Global administrator.
//
// A person's mailbox settings (permissions, forwarding, automatic replies,
// conversion to a shared mailbox) are Exchange's, which knows nothing of Entra's
// roles: the Exchange roles change them for admins' mailboxes too, as in Exchange
// Online. They never reach an account through a mailbox (changeMailbox).
func RightsOn(actor *Admin, targetRoles []Role) PersonRights {
	r := PersonRights{
		Block:    actor.canOn(ActionBlockSignIn, targetRoles),
		Reset:    actor.canOn(ActionResetPassword, targetRoles),
		Delete:   actor.canOn(ActionManageUsers, targetRoles),
		Edit:     actor.canOn(ActionManageUsers, targetRoles),
		Licenses: actor.Can(ActionManageLicenses),
		Roles:    actor.Can(ActionManageRoles),
	}
	for _, act := range []Action{ActionBlockSignIn, ActionResetPassword, ActionManageUsers} {
		if actor.Can(act) && !actor.canOn(act, targetRoles) {
			r.Protected = true
		}
	}
	return r
}

// allowedNow checks inside a write transaction that the actor's current roles
// still allow an action (currentActor).
func allowedNow(tx *gorm.DB, actor *Admin, act Action) error {
	a, err := currentActor(tx, actor)
	if err != nil {
		return err
	}
	if !a.Can(act) {
		return ErrForbidden
	}
	return nil
}

// currentActor reads the actor's roles again inside a write transaction, so a role
// removed (or a block, or a deletion) since the request began counts. An actor that
// is not a person (UserID 0, such as a credential of a program) keeps the roles it
// was given.
func currentActor(tx *gorm.DB, actor *Admin) (*Admin, error) {
	if actor == nil {
		return nil, ErrForbidden
	}
	if actor.UserID == 0 {
		return actor, nil
	}
	var held []Role
	if err := tx.Table("role_assignments ra").Joins("JOIN users u ON u.id = ra.user_id").
		Where("ra.user_id = ? AND u.deleted_at IS NULL AND NOT u.sign_in_blocked", actor.UserID).
		Pluck("ra.role", &held).Error; err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	a := *actor
	a.Roles = nil
	for _, r := range Roles {
		if slices.Contains(held, r) {
			a.Roles = append(a.Roles, r)
		}
	}
	return &a, nil
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
// loses every role is signed out everywhere. A form based on an older version of
// the person's roles is refused (ErrStale); AnyVersion skips that check.
func (s *Store) SetRoles(ctx context.Context, actor *Admin, userID uint, roles []Role, version int) error {
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
		if version != AnyVersion && u.RolesVersion != version {
			return ErrStale
		}
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
		res := tx.Model(&User{}).Where("id = ? AND roles_version = ?", userID, u.RolesVersion).
			Update("roles_version", gorm.Expr("roles_version + 1"))
		if res.Error != nil {
			return fmt.Errorf("assign role: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		// Roles are read on every request, but a person who lost one is signed out
		// everywhere so no page rendered with the old role lingers.
		if slices.ContainsFunc(before, func(r Role) bool { return !slices.Contains(roles, r) }) {
			if err := endSessions(tx, userID); err != nil {
				return err
			}
		}
		return s.audit(tx, actor, "user.roles", &u.RecipientID, personName(u), map[string]any{"roles": before}, map[string]any{"roles": roles})
	})
}
