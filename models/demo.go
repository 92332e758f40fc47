package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DemoPerson is one person of the demo tenant.
type DemoPerson struct {
	First, Last, JobTitle, Department string
	// StorageMB is how much of the mailbox is in use.
	StorageMB int64
	Licensed  bool
	Role      Role
	Aliases   []string
}

// Username returns the demo username: first name and the first letter of the last
// name, lower case, at the default domain.
func (p DemoPerson) Username() string {
	return strings.ToLower(p.First+p.Last[:1]) + "@contoso.com"
}

// DemoPeople is the Contoso demo tenant's staff.
var DemoPeople = []DemoPerson{
	{First: "Adele", Last: "Vance", JobTitle: "Retail Manager", Department: "Retail", StorageMB: 12_870, Licensed: true, Aliases: []string{"adele.vance@contoso.com"}},
	{First: "Alex", Last: "Wilber", JobTitle: "Marketing Assistant", Department: "Marketing", StorageMB: 4_310, Licensed: true},
	{First: "Diego", Last: "Siciliani", JobTitle: "HR Manager", Department: "HR", StorageMB: 21_540, Licensed: true},
	{First: "Grady", Last: "Archie", JobTitle: "Designer", Department: "R&D", StorageMB: 1_205},
	{First: "Isaiah", Last: "Langer", JobTitle: "Sales Rep", Department: "Sales", StorageMB: 8_090, Licensed: true},
	{First: "Johanna", Last: "Lorenz", JobTitle: "Senior Engineer", Department: "Engineering", StorageMB: 33_600, Licensed: true},
	{First: "Joni", Last: "Sherman", JobTitle: "Paralegal", Department: "Legal", StorageMB: 51_450, Licensed: true},
	{First: "Lee", Last: "Gu", JobTitle: "Director", Department: "Manufacturing", StorageMB: 15_320, Licensed: true, Role: RoleHelpdeskAdmin},
	{First: "Lidia", Last: "Holloway", JobTitle: "Product Manager", Department: "Engineering", StorageMB: 9_940, Licensed: true},
	{First: "Lynne", Last: "Robbins", JobTitle: "Planner", Department: "Retail", StorageMB: 640},
	{First: "Megan", Last: "Bowen", JobTitle: "Marketing Manager", Department: "Marketing", StorageMB: 18_450, Licensed: true},
	{First: "Miriam", Last: "Graham", JobTitle: "Director", Department: "Sales & Marketing", StorageMB: 27_100, Licensed: true, Role: RoleGlobalReader},
	{First: "Nestor", Last: "Wilke", JobTitle: "Director", Department: "Operations", StorageMB: 6_230, Licensed: true},
	{First: "Patti", Last: "Fernandez", JobTitle: "President", Department: "Executive Management", StorageMB: 41_900, Licensed: true, Role: RoleExchangeAdmin},
	{First: "Pradeep", Last: "Gupta", JobTitle: "Accountant", Department: "Finance", StorageMB: 3_510, Licensed: true},
	{First: "Flip", Last: "Schoonen", JobTitle: "Accountmanager", Department: "Sales", StorageMB: 5_060, Licensed: true, Aliases: []string{"flip@contoso.nl"}},
	{First: "Ger", Last: "de Vries", JobTitle: "Servicedesk", Department: "IT", StorageMB: 2_020, Licensed: true, Aliases: []string{"ger@contoso.nl"}},
}

// DemoAdminUsername is the demo tenant's Global administrator.
const DemoAdminUsername = "admin@contoso.com"

// SeedDemo fills an empty database with the Contoso demo tenant. It refuses to touch
// a database that already holds an organization. The admins get password.
func (s *Store) SeedDemo(ctx context.Context, password string) error {
	empty, err := s.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("seed demo: the database already holds an organization")
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	defer s.forget()
	return s.write(ctx, func(tx *gorm.DB) error {
		d := demoSeeder{tx: tx, now: s.Now()}
		if err := d.seed(hash); err != nil {
			return err
		}
		return rememberDemoPassword(tx, hash)
	})
}

type demoSeeder struct {
	tx  *gorm.DB
	now time.Time
	err error
}

func (d *demoSeeder) create(v any) {
	if d.err == nil {
		d.err = d.tx.Create(v).Error
	}
}

func (d *demoSeeder) recipient(kind RecipientKind, name string, primary string, aliases ...string) *Recipient {
	r := &Recipient{Kind: kind, DisplayName: name, Alias: aliasOf(primary), SortName: sortName(name)}
	if primary != "" {
		r.Addresses = append(r.Addresses, EmailAddress{Address: storedAddress(primary), Normalized: storedAddress(primary), IsPrimary: true})
	}
	for _, a := range aliases {
		r.Addresses = append(r.Addresses, EmailAddress{Address: storedAddress(a), Normalized: storedAddress(a)})
	}
	d.create(r)
	return r
}

// group creates a group of a type with its recipient (no address for a security group).
func (d *demoSeeder) group(t GroupType, name, address, description string) *Group {
	r := d.recipient(KindGroup, name, address)
	g := &Group{RecipientID: r.ID, Type: t, SortName: r.SortName, Description: description, Version: 1, CreatedAt: d.now}
	d.create(g)
	return g
}

func (d *demoSeeder) seed(adminHash string) error {
	d.create(&Organization{Name: "Contoso", ExternalForwarding: ForwardingAutomatic})
	d.create(&Domain{Name: "contoso.com", IsDefault: true})
	d.create(&Domain{Name: "contoso.nl"})
	standard := &LicenseProduct{SKU: "O365_BUSINESS_PREMIUM", Name: "Microsoft 365 Business Standard", IncludesMailbox: true, Seats: 25}
	d.create(standard)
	d.create(&LicenseProduct{SKU: "EXCHANGESTANDARD", Name: "Exchange Online (Plan 1)", IncludesMailbox: true, Seats: 5})
	d.create(&LicenseProduct{SKU: "POWER_BI_STANDARD", Name: "Microsoft Power BI (free)", IncludesMailbox: false, Seats: 1000})
	// Plan 2 holds 100 GB: the license a shared mailbox over 50 GB needs.
	d.create(&LicenseProduct{SKU: "EXCHANGEENTERPRISE", Name: "Exchange Online (Plan 2)", IncludesMailbox: true, Seats: 2})

	people := append([]DemoPerson{{First: "MOD", Last: "Administrator", JobTitle: "", StorageMB: 980, Licensed: true, Role: RoleGlobalAdmin}}, DemoPeople...)
	byName := map[string]*User{}
	for _, p := range people {
		name := p.First + " " + p.Last
		username := p.Username()
		if p.Role == RoleGlobalAdmin {
			username = DemoAdminUsername
		}
		r := d.recipient(KindUser, name, username, p.Aliases...)
		u := &User{RecipientID: r.ID, SortName: r.SortName, UserPrincipalName: username, FirstName: p.First, LastName: p.Last, JobTitle: p.JobTitle, Department: p.Department}
		if p.Role != "" {
			u.PasswordHash = adminHash
		}
		if p.Licensed {
			u.Licenses = []LicenseProduct{*standard}
		}
		d.create(u)
		if p.Role != "" {
			d.create(&RoleAssignment{UserID: u.ID, Role: p.Role, AssignedAt: d.now})
		}
		d.create(&Mailbox{RecipientID: r.ID, Type: MailboxUser, StorageUsedBytes: p.StorageMB << 20, QuotaBytes: 50 * GB, AutoReplyState: AutoReplyDisabled})
		byName[name] = u
	}
	if d.err != nil {
		return fmt.Errorf("seed demo people: %w", d.err)
	}

	mg := d.group(GroupMailSecurity, "MarketingSG", "marketingsg@contoso.com", "Marketing department: mailbox permissions for the marketing team.")
	sg := d.group(GroupDistribution, "Sales Team", "salesteam@contoso.com", "Everyone in sales.")
	falcon := d.group(GroupM365, "Project Falcon", "projectfalcon@contoso.com", "The Falcon product launch.")
	staff := d.group(GroupSecurity, "All Staff Security", "", "Access to the intranet. Not mail-enabled, so it can't get Send as or Read and manage.")
	for _, m := range []struct {
		g    *Group
		name string
	}{{mg, "Megan Bowen"}, {mg, "Alex Wilber"}, {sg, "Diego Siciliani"}, {sg, "Johanna Lorenz"},
		{falcon, "Johanna Lorenz"}, {falcon, "Lee Gu"}, {falcon, "Pradeep Gupta"},
		{staff, "Adele Vance"}, {staff, "Alex Wilber"}, {staff, "Megan Bowen"}, {staff, "Nestor Wilke"}} {
		d.create(&GroupMember{GroupID: m.g.ID, MemberID: byName[m.name].RecipientID})
	}
	for _, o := range []struct {
		g    *Group
		name string
	}{{mg, "Megan Bowen"}, {sg, "Diego Siciliani"}, {falcon, "Lidia Holloway"}, {staff, "MOD Administrator"}} {
		d.create(&GroupOwner{GroupID: o.g.ID, OwnerID: byName[o.name].RecipientID})
	}
	for _, c := range []struct{ first, last, company, address string }{
		{"Ben", "Smith", "Fabrikam", "ben.smith@fabrikam.com"},
		{"Yara", "Haddad", "Tailspin Toys", "yara@tailspintoys.com"},
	} {
		r := d.recipient(KindContact, c.first+" "+c.last, c.address)
		d.create(&MailContact{RecipientID: r.ID, SortName: r.SortName, FirstName: c.first, LastName: c.last, Company: c.company, Version: 1})
	}

	info := d.recipient(KindSharedMailbox, "Info", "info@contoso.com")
	infoBox := &Mailbox{RecipientID: info.ID, Type: MailboxShared, StorageUsedBytes: 3_270 << 20, QuotaBytes: SharedMailboxQuota,
		CopySentAs: true, CopySentOnBehalf: true, AutoReplyState: AutoReplyDisabled}
	d.create(infoBox)
	// Reception is nearly full (45.4 of 50 GB) and Joni's mailbox (50.2 of 50 GB) can't
	// send, so the storage states can be seen and tested without changing anything.
	reception := d.recipient(KindSharedMailbox, "Reception", "reception@contoso.com")
	d.create(&Mailbox{RecipientID: reception.ID, Type: MailboxShared, StorageUsedBytes: 46_500 << 20, QuotaBytes: SharedMailboxQuota,
		CopySentAs: true, CopySentOnBehalf: true, AutoReplyState: AutoReplyDisabled})
	admin := byName["MOD Administrator"]
	for _, right := range []Right{RightFullAccess, RightSendAs} {
		d.create(&MailboxPermission{MailboxID: infoBox.ID, TrusteeID: byName["Adele Vance"].RecipientID, Right: right,
			AutoMapping: right == RightFullAccess, GrantedByID: &admin.ID, GrantedAt: d.now, EffectiveAt: d.now})
	}
	if d.err != nil {
		return fmt.Errorf("seed demo: %w", d.err)
	}
	var ids []uint
	if err := d.tx.Model(&Recipient{}).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	return reindex(d.tx, ids...)
}
