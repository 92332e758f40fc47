package models

import (
	"time"

	"gorm.io/gorm"
)

// RecipientKind says what an addressable object in the organization is.
type RecipientKind string

// The recipient kinds. A user recipient may or may not have a mailbox; a shared
// mailbox created in the admin center has no user account of its own here; a
// contact (a mail contact) is someone outside the organization with one address.
const (
	KindUser          RecipientKind = "user"
	KindSharedMailbox RecipientKind = "shared"
	KindGroup         RecipientKind = "group"
	KindContact       RecipientKind = "contact"
)

// MailboxType is the Exchange recipient type details of a mailbox.
type MailboxType string

// The mailbox types.
const (
	MailboxUser   MailboxType = "user"
	MailboxShared MailboxType = "shared"
)

// GroupType is the kind of group, as the admin center lists them.
type GroupType string

// The group types. Only mail-enabled security groups may hold Read and manage or
// Send as; distribution lists may hold Send on behalf.
const (
	GroupSecurity     GroupType = "security"
	GroupMailSecurity GroupType = "mail_security"
	GroupDistribution GroupType = "distribution"
	GroupM365         GroupType = "m365"
)

// Right is a mailbox permission, named as Exchange names it.
type Right string

// The three mailbox rights. The admin center calls FullAccess "Read and manage".
const (
	RightFullAccess   Right = "FullAccess"
	RightSendAs       Right = "SendAs"
	RightSendOnBehalf Right = "SendOnBehalf"
)

// Rights lists the rights in the order the admin center shows them.
var Rights = []Right{RightFullAccess, RightSendAs, RightSendOnBehalf}

// ForwardingPolicy is the organization's outbound automatic-forwarding setting.
type ForwardingPolicy string

// The outbound spam filter policy's automatic forwarding values. Automatic means Off.
const (
	ForwardingAutomatic ForwardingPolicy = "automatic"
	ForwardingOn        ForwardingPolicy = "on"
	ForwardingOff       ForwardingPolicy = "off"
)

// AutoReplyState is the state of a mailbox's automatic replies.
type AutoReplyState string

// The automatic reply states.
const (
	AutoReplyDisabled  AutoReplyState = "disabled"
	AutoReplyEnabled   AutoReplyState = "enabled"
	AutoReplyScheduled AutoReplyState = "scheduled"
)

// Organization is the tenant. There is one per database.
type Organization struct {
	ID                 uint `gorm:"primaryKey"`
	Name               string
	ExternalForwarding ForwardingPolicy `gorm:"not null;default:automatic"`
	CreatedAt          time.Time
}

// Domain is an accepted domain of the organization.
type Domain struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"not null;uniqueIndex"`
	IsDefault bool   `gorm:"not null"`
}

// Recipient is anything that has email addresses: a user, a shared mailbox or a group.
type Recipient struct {
	ID          uint          `gorm:"primaryKey"`
	Kind        RecipientKind `gorm:"not null;index"`
	DisplayName string        `gorm:"not null"`
	// Alias is the recipient's alias (Exchange's Alias, Graph's mailNickname) as the
	// admin typed it; its addresses are stored lower-case (storedAddress), so the
	// alias keeps the typed case for display only. "" for a recipient without one.
	Alias string `gorm:"not null;default:''"`
	// SortName is the display name folded to lower case, for sorting and prefix search.
	SortName  string `gorm:"not null;index"`
	CreatedAt time.Time
	Addresses []EmailAddress `gorm:"constraint:OnDelete:CASCADE"`
}

// EmailAddress is one SMTP address of a recipient, stored lower-case (Address and
// Normalized are equal since issue 14; Normalized carries the unique index), so an
// address is unique across all recipients whatever the case it was typed in,
// whether it is a primary address or an alias.
type EmailAddress struct {
	ID          uint   `gorm:"primaryKey"`
	RecipientID uint   `gorm:"not null;index"`
	Address     string `gorm:"not null"`
	Normalized  string `gorm:"not null;uniqueIndex"`
	IsPrimary   bool   `gorm:"not null"`
}

// User is a person's account.
type User struct {
	ID          uint      `gorm:"primaryKey"`
	RecipientID uint      `gorm:"not null;uniqueIndex"`
	Recipient   Recipient `gorm:"constraint:OnDelete:CASCADE"`
	// SortName repeats the recipient's sort key so the Active users list pages through
	// an index of its own (idx_users_live) instead of sorting every person.
	SortName string `gorm:"not null;default:''"`
	// UserPrincipalName is the person's sign-in name (Entra's), set equal to the
	// primary email address when the person is created and independent of it after:
	// email addresses are Exchange's. It is unique whatever its case
	// (idx_users_upn), deleted people's included until they are purged.
	UserPrincipalName  string `gorm:"not null;default:''"`
	FirstName          string
	LastName           string
	JobTitle           string
	Department         string
	PasswordHash       string
	MustChangePassword bool `gorm:"not null"`
	SignInBlocked      bool `gorm:"not null;index"`
	// Version counts changes to names, contact details and the username, so a stale
	// form is refused.
	Version int `gorm:"not null;default:1"`
	// RolesVersion and LicensesVersion count changes to the person's admin roles and
	// licenses, for the same reason.
	RolesVersion    int `gorm:"not null;default:1"`
	LicensesVersion int `gorm:"not null;default:1"`

	// UsageLocation is an ISO 3166-1 alpha-2 code or empty (usage_location.go).
	UsageLocation string `gorm:"not null;default:''"`

	CreatedAt time.Time
	UpdatedAt time.Time
	// DeletedAt is set for a deleted user, who can be restored for 30 days. Its
	// index holds deleted people only: over everyone, SQLite's statistics (one
	// average per index) made "deleted_at IS NULL" look as selective as a deletion
	// time, and the planner counted live people through it (page 100 of Active
	// users: 22 ms instead of a range of idx_users_live).
	DeletedAt gorm.DeletedAt   `gorm:"index:idx_users_deleted,where:deleted_at IS NOT NULL"`
	Licenses  []LicenseProduct `gorm:"many2many:user_licenses;constraint:OnDelete:CASCADE"`
	Roles     []RoleAssignment `gorm:"constraint:OnDelete:CASCADE"`
}

// LicenseProduct is a subscription the organization bought, with its seat count.
type LicenseProduct struct {
	ID              uint   `gorm:"primaryKey"`
	SKU             string `gorm:"not null;uniqueIndex"`
	Name            string `gorm:"not null"`
	IncludesMailbox bool   `gorm:"not null"`
	Seats           int    `gorm:"not null"`
}

// Mailbox is an Exchange Online mailbox, a user's or a shared one.
type Mailbox struct {
	ID                uint        `gorm:"primaryKey"`
	RecipientID       uint        `gorm:"not null;uniqueIndex"`
	Recipient         Recipient   `gorm:"constraint:OnDelete:CASCADE"`
	Type              MailboxType `gorm:"not null;index"`
	StorageUsedBytes  int64       `gorm:"not null"`
	QuotaBytes        int64       `gorm:"not null"`
	HiddenFromGAL     bool        `gorm:"not null"`
	ForwardingAddress string
	ForwardKeepCopy   bool `gorm:"not null"`
	// ForwardingStopped says why a configured forward no longer applies, such as a
	// removed license; empty when it applies.
	ForwardingStopped string
	CopySentAs        bool           `gorm:"not null"`
	CopySentOnBehalf  bool           `gorm:"not null"`
	AutoReplyState    AutoReplyState `gorm:"not null;default:disabled"`
	AutoReplyInternal string
	AutoReplyExternal string
	AutoReplyOutside  bool `gorm:"not null"`
	AutoReplyStart    *time.Time
	AutoReplyEnd      *time.Time
	// AutoReplyKnownOnly limits the replies outside to senders in the mailbox's
	// contacts (ExternalAudience Known).
	AutoReplyKnownOnly bool `gorm:"not null;default:false"`
	// AutoReplyZone is the time zone the schedule was set in ("" for UTC).
	AutoReplyZone string `gorm:"not null;default:''"`
	// TimeZone is the mailbox's time zone as it was set (Windows or IANA name; ""
	// until set, read as UTC).
	TimeZone string `gorm:"not null;default:''"`
	// Version counts changes to the single-value settings, so a stale form is refused.
	Version   int `gorm:"not null;default:1"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Group is a security group, mail-enabled security group, distribution list or
// Microsoft 365 group.
type Group struct {
	ID          uint      `gorm:"primaryKey"`
	RecipientID uint      `gorm:"not null;uniqueIndex"`
	Recipient   Recipient `gorm:"constraint:OnDelete:CASCADE"`
	// Type is fixed when the group is created.
	Type GroupType `gorm:"not null"`
	// SortName repeats the recipient's sort key so a tab of Active teams & groups
	// pages through an index of its own (idx_groups_list).
	SortName    string `gorm:"not null;default:''"`
	Description string `gorm:"not null;default:''"`
	// AllowExternalSenders lets people outside the organization send to the group.
	AllowExternalSenders bool `gorm:"not null;default:false"`
	HiddenFromGAL        bool `gorm:"not null;default:false"`
	// Version counts changes to the name, description and settings, so a stale form
	// is refused.
	Version   int `gorm:"not null;default:1"`
	CreatedAt time.Time
}

// GroupMember puts a recipient (a user, a mail contact or a nested group) in a group.
type GroupMember struct {
	GroupID  uint      `gorm:"primaryKey"`
	MemberID uint      `gorm:"primaryKey;index"`
	Group    Group     `gorm:"constraint:OnDelete:CASCADE"`
	Member   Recipient `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
}

// MailboxPermission is one right on one mailbox held by one trustee (a user or a
// group). The unique index makes a repeated grant a no-op rather than a second row.
type MailboxPermission struct {
	ID          uint      `gorm:"primaryKey"`
	MailboxID   uint      `gorm:"not null;uniqueIndex:idx_perm_unique,priority:1"`
	Mailbox     Mailbox   `gorm:"constraint:OnDelete:CASCADE"`
	TrusteeID   uint      `gorm:"not null;uniqueIndex:idx_perm_unique,priority:2;index"`
	Trustee     Recipient `gorm:"foreignKey:TrusteeID;constraint:OnDelete:CASCADE"`
	Right       Right     `gorm:"column:access_right;not null;uniqueIndex:idx_perm_unique,priority:3"`
	AutoMapping bool      `gorm:"not null"`
	GrantedByID *uint
	GrantedAt   time.Time `gorm:"not null"`
	// EffectiveAt is when the grant takes effect, after the propagation delay.
	EffectiveAt time.Time `gorm:"not null"`
	// RevokeEffectiveAt is set when the grant was removed but the removal is still
	// propagating; the right holds until then.
	RevokedByID       *uint
	RevokeEffectiveAt *time.Time
}

// RoleAssignment gives a user an admin role.
type RoleAssignment struct {
	UserID     uint `gorm:"primaryKey"`
	Role       Role `gorm:"primaryKey"`
	AssignedAt time.Time
}

// AuditEvent is an append-only record of a change or a sign-in.
type AuditEvent struct {
	ID       uint      `gorm:"primaryKey"`
	At       time.Time `gorm:"not null;index"`
	ActorID  *uint     `gorm:"index"`
	Actor    string    `gorm:"not null"`
	Action   string    `gorm:"not null;index"`
	TargetID *uint     `gorm:"index"`
	Target   string
	Before   string
	After    string
	// Channel and Command say which surface made the change and, for cmdlets, the
	// command text ("" for the admin center's pages).
	Channel Channel `gorm:"not null;default:''"`
	Command string
}

// Session is a server-side sign-in session. ID is the SHA-256 of the cookie value,
// so a copy of the database does not hand out live sessions.
type Session struct {
	ID         string `gorm:"primaryKey;size:64"`
	UserID     *uint  `gorm:"index"`
	Data       []byte
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"`
}

// allModels is every table, in an order that satisfies the foreign keys.
var allModels = []any{
	&Organization{}, &Domain{}, &LicenseProduct{}, &Recipient{}, &EmailAddress{},
	&User{}, &Mailbox{}, &Group{}, &GroupMember{}, &MailboxPermission{},
	&MailContact{}, &GroupOwner{}, &GroupPermission{},
	&RoleAssignment{}, &AuditEvent{}, &Session{}, &SignInThrottle{}, &ServerKey{}, &SearchTerm{},
	&App{}, &Job{}, &AuthGeneration{}, &AdminPreference{}, &CountGeneration{}, &ListGeneration{}, &ReportGeneration{},
}
