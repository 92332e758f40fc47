package models

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestGroupTypesAndTheirRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		typ          GroupType
		mail         bool
		ownersNeeded bool
		contacts     bool
	}{
		{GroupM365, true, true, false},
		{GroupDistribution, true, true, true},
		{GroupMailSecurity, true, true, true},
		{GroupSecurity, false, false, false},
	} {
		t.Run(string(tc.typ), func(t *testing.T) {
			f := f.on(t)
			name := "Type " + string(tc.typ)
			id := f.newGroup(tc.typ, name, "type-"+strings.ReplaceAll(string(tc.typ), "_", ""), []string{"meganb@contoso.com"}, "alexw@contoso.com")
			d, err := f.s.GroupDetail(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if d.Type != tc.typ || (d.Address != "") != tc.mail {
				t.Fatalf("type %s address %q", d.Type, d.Address)
			}
			if tc.typ.OwnersRequired() != tc.ownersNeeded || tc.typ.AllowsContacts() != tc.contacts {
				t.Fatalf("rules of %s", tc.typ)
			}
			// Renaming keeps the type: it is fixed at creation.
			if err := f.s.UpdateGroupBasics(ctx, f.admin, id, name+" renamed", "described", d.Version); err != nil {
				t.Fatal(err)
			}
			d2, _ := f.s.GroupDetail(ctx, id)
			if d2.Type != tc.typ || d2.DisplayName != name+" renamed" || d2.Description != "described" {
				t.Fatalf("after rename: %+v", d2)
			}
			// A stale form is refused.
			wantErr(t, f.s.UpdateGroupBasics(ctx, f.admin, id, "Again", "", d.Version), ErrStale)
			// Settings exist for mail-enabled groups only.
			err = f.s.SetGroupSettings(ctx, f.admin, id, GroupSettings{AllowExternalSenders: true, Version: d2.Version})
			if tc.mail && err != nil {
				t.Fatal(err)
			}
			if !tc.mail {
				wantField(t, err, "", "group.error.not_mail_enabled")
			}
		})
	}
	t.Run("a security group ignores an address", func(t *testing.T) {
		f := f.on(t)
		id, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupSecurity, Name: "No mail", Alias: "alexw", Domain: "contoso.com", AllowExternalSenders: true})
		if err != nil {
			t.Fatal(err)
		}
		d, _ := f.s.GroupDetail(ctx, id)
		if d.Address != "" || d.AllowExternalSenders {
			t.Fatalf("security group got mail settings: %+v", d)
		}
	})
	t.Run("an unknown type is refused", func(t *testing.T) {
		f := f.on(t)
		f.unchanged(func() {
			_, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: "team", Name: "X", Alias: "x", Domain: "contoso.com"})
			wantField(t, err, "type", "group.error.type_required")
		})
	})
}

func TestWhoMayManageWhichGroups(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	megan := f.recipient("meganb@contoso.com")
	for _, tc := range []struct {
		role Role
		may  []GroupType
	}{
		{RoleGlobalAdmin, GroupTypes},
		{RoleExchangeAdmin, GroupTypes},
		{RoleExchangeRecipientAdmin, GroupTypes},
		{RoleUserAdmin, []GroupType{GroupM365, GroupSecurity}},
		{RoleHelpdeskAdmin, nil},
		{RoleGlobalReader, nil},
	} {
		for _, typ := range GroupTypes {
			t.Run(string(tc.role)+"/"+string(typ), func(t *testing.T) {
				f := f.on(t)
				allowed := slices.Contains(tc.may, typ)
				if CanManageGroup(as(tc.role), typ) != allowed {
					t.Fatalf("CanManageGroup = %v", !allowed)
				}
				alias := "rights-" + string(tc.role) + "-" + string(typ)
				alias = strings.ReplaceAll(alias, "_", "")
				before := f.fingerprint()
				_, err := f.s.CreateGroup(ctx, as(tc.role), NewGroup{Type: typ, Name: alias, Alias: alias, Domain: "contoso.com", OwnerIDs: []uint{megan}})
				if allowed && err != nil {
					t.Fatalf("refused: %v", err)
				}
				if !allowed {
					wantErr(t, err, ErrForbidden)
					if f.fingerprint() != before {
						t.Fatal("a refused create wrote")
					}
				}
			})
		}
	}
	// Changing an existing group follows its type.
	sales := f.group("Sales Team")
	falcon := f.group("Project Falcon")
	wantErr(t, f.s.RemoveGroupMember(ctx, as(RoleUserAdmin), sales, f.recipient("diegos@contoso.com")), ErrForbidden)
	if _, err := f.s.AddGroupMembers(ctx, as(RoleUserAdmin), falcon, []uint{f.recipient("alexw@contoso.com")}); err != nil {
		t.Fatalf("user admin on a Microsoft 365 group: %v", err)
	}
	wantErr(t, f.s.DeleteGroup(ctx, as(RoleGlobalReader), falcon, true), ErrForbidden)
}

func TestAddAGroupStepByStep(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	check := func(req NewGroup, step GroupStep) error { return f.s.CheckGroupStep(ctx, f.admin, req, step) }
	wantField(t, check(NewGroup{}, StepGroupType), "type", "group.error.type_required")
	if err := check(NewGroup{Type: GroupDistribution}, StepGroupType); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.s.CheckGroupStep(ctx, as(RoleUserAdmin), NewGroup{Type: GroupDistribution}, StepGroupType), ErrForbidden)
	wantErr(t, f.s.CheckGroupStep(ctx, as(RoleGlobalReader), NewGroup{Type: GroupM365}, StepGroupType), ErrForbidden)
	wantField(t, check(NewGroup{Type: GroupM365, Name: "  "}, StepGroupBasics), "name", "group.error.name_required")
	wantField(t, check(NewGroup{Type: GroupM365, Name: "X", Description: strings.Repeat("d", MaxDescriptionLength+1)}, StepGroupBasics),
		"description", "user.error.too_long")
	wantField(t, check(NewGroup{Type: GroupM365, Name: "X"}, StepGroupOwners), "owners", "group.error.owner_required")
	if err := check(NewGroup{Type: GroupSecurity, Name: "X"}, StepGroupOwners); err != nil {
		t.Fatalf("a security group needs no owner: %v", err)
	}
	wantField(t, check(NewGroup{Type: GroupM365, OwnerIDs: []uint{f.recipient("info@contoso.com")}}, StepGroupOwners),
		"owners", "group.error.owner_not_person")
	wantField(t, check(NewGroup{Type: GroupM365, Alias: "", Domain: "contoso.com"}, StepGroupSettings), "alias", "addr.error.alias_required")
	wantField(t, check(NewGroup{Type: GroupM365, Alias: "alexw", Domain: "contoso.com"}, StepGroupSettings), "alias", "addr.error.taken")
	wantField(t, check(NewGroup{Type: GroupM365, Alias: "x", Domain: "fabrikam.com"}, StepGroupSettings), "alias", "addr.error.domain")
	if err := check(NewGroup{Type: GroupSecurity}, StepGroupSettings); err != nil {
		t.Fatalf("a security group has no address to check: %v", err)
	}
	// CreateGroup applies every step's rules and reports them all.
	f.unchanged(func() {
		_, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupM365, Alias: "alexw", Domain: "contoso.com"})
		ve, ok := AsValidation(err)
		if !ok || ve.Fields["name"].Key == "" || ve.Fields["owners"].Key == "" || ve.Fields["alias"].Key != "addr.error.taken" {
			t.Fatalf("got %v", err)
		}
	})
}

func TestProxyAddressConflictsAcrossRecipients(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	owner := []string{"meganb@contoso.com"}
	f.newGroup(GroupDistribution, "Falcon Partners", "partners", owner)
	f.newContact("Ben Smith Two", "ben2@fabrikam.com")
	taken := func(err error, field, owner string) {
		t.Helper()
		wantField(t, err, field, "addr.error.taken")
		ve, _ := AsValidation(err)
		if ve.Fields[field].Args["Owner"] != owner {
			t.Fatalf("owner %v, want %s", ve.Fields[field].Args["Owner"], owner)
		}
	}
	f.unchanged(func() {
		// A group with a person's address, a shared mailbox's, a group's, in any case.
		_, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupM365, Name: "G", Alias: "AlexW", Domain: "contoso.com", OwnerIDs: []uint{f.recipient("meganb@contoso.com")}})
		taken(err, "alias", "Alex Wilber")
		_, err = f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupDistribution, Name: "G", Alias: "info", Domain: "contoso.com", OwnerIDs: []uint{f.recipient("meganb@contoso.com")}})
		taken(err, "alias", "Info")
		_, err = f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupMailSecurity, Name: "G", Alias: "partners", Domain: "contoso.com", OwnerIDs: []uint{f.recipient("meganb@contoso.com")}})
		taken(err, "alias", "Falcon Partners")
		// A shared mailbox and a person's alias with a group's address.
		_, err = f.s.CreateSharedMailbox(ctx, f.admin, "Partners", "partners", "contoso.com")
		taken(err, "alias", "Falcon Partners")
		taken(f.s.AddAlias(ctx, f.admin, f.user("alexw@contoso.com"), "marketingsg", "contoso.com"), "alias", "MarketingSG")
		// A group alias with a contact's address can't happen (contacts are outside),
		// but a contact with another contact's address, and a group's alias with a
		// person's, can.
		_, err = f.s.CreateMailContact(ctx, f.admin, MailContactForm{DisplayName: "Ben again", Address: "BEN2@fabrikam.com"})
		taken(err, "address", "Ben Smith Two")
		taken(f.s.AddGroupAlias(ctx, f.admin, f.group("Falcon Partners"), "adelev", "contoso.com"), "alias", "Adele Vance")
	})
	// A contact can't use an address in the organization's own domains.
	_, err := f.s.CreateMailContact(ctx, f.admin, MailContactForm{DisplayName: "Inside", Address: "someone@contoso.nl"})
	wantField(t, err, "address", "contact.error.internal")
}

func TestGroupMembersByType(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	owner := []string{"meganb@contoso.com"}
	dl := f.newGroup(GroupDistribution, "Launch list", "launch", owner)
	m365 := f.group("Project Falcon")
	sec := f.group("All Staff Security")
	mesg := f.group("MarketingSG")
	ben := f.recipient("ben.smith@fabrikam.com")
	add := func(group uint, who ...uint) error {
		_, err := f.s.AddGroupMembers(ctx, f.admin, group, who)
		return err
	}
	// People and contacts in a distribution list; nested lists and mail-enabled
	// security groups too.
	if err := add(dl, f.recipient("alexw@contoso.com"), ben, f.recipient("yara@tailspintoys.com")); err != nil {
		t.Fatal(err)
	}
	if err := add(dl, f.recipient("salesteam@contoso.com"), f.recipient("marketingsg@contoso.com")); err != nil {
		t.Fatal(err)
	}
	f.unchanged(func() {
		wantField(t, add(m365, ben), "members", "group.error.member_contact")
		wantField(t, add(sec, ben), "members", "group.error.member_contact")
		wantField(t, add(m365, f.recipient("salesteam@contoso.com")), "members", "group.error.member_group_type")
		wantField(t, add(mesg, f.recipient("salesteam@contoso.com")), "members", "group.error.member_group_type")
		wantField(t, add(dl, f.recipient("info@contoso.com")), "members", "group.error.member_kind")
		wantField(t, add(dl, f.recipient("launch@contoso.com")), "members", "group.error.member_self")
		wantField(t, add(dl, 999999), "members", "group.error.member_unknown")
		// One bad member refuses the whole request.
		wantField(t, add(m365, f.recipient("adelev@contoso.com"), ben), "members", "group.error.member_contact")
	})
	// A security group nests security groups.
	if err := add(sec, f.recipient("marketingsg@contoso.com")); err != nil {
		t.Fatal(err)
	}
	// Adding again is a no-op that reports nothing new.
	res, err := f.s.AddGroupMembers(ctx, f.admin, dl, []uint{ben})
	if err != nil || res.Added != 0 {
		t.Fatalf("again: %+v %v", res, err)
	}
	d, _ := f.s.GroupDetail(ctx, dl)
	if got := candidateNames(d.Members); !slices.Equal(got, []string{"Alex Wilber", "Ben Smith", "MarketingSG", "Sales Team", "Yara Haddad"}) {
		t.Fatalf("members %v", got)
	}
	// The pickers offer only what the type allows.
	cs, err := f.s.GroupMemberCandidates(ctx, m365, "ben")
	if err != nil || len(cs) != 0 {
		t.Fatalf("M365 candidates for ben: %v %v", candidateNames(cs), err)
	}
	cs, _ = f.s.GroupMemberCandidates(ctx, f.group("Sales Team"), "yara")
	if got := candidateNames(cs); !slices.Equal(got, []string{"Yara Haddad"}) {
		t.Fatalf("DL candidates for yara: %v", got)
	}
	cs, _ = f.s.GroupMemberCandidates(ctx, dl, "launch")
	if len(cs) != 0 {
		t.Fatalf("a group is offered as its own member: %v", candidateNames(cs))
	}
	// Removing.
	if err := f.s.RemoveGroupMember(ctx, f.admin, dl, ben); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemoveGroupMember(ctx, f.admin, dl, ben); err != nil {
		t.Fatalf("removing a non-member: %v", err)
	}
}

func TestNestedGroupCyclesAreRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	owner := []string{"meganb@contoso.com"}
	a := f.newGroup(GroupDistribution, "Cycle A", "cycle-a", owner)
	b := f.newGroup(GroupDistribution, "Cycle B", "cycle-b", owner)
	c := f.newGroup(GroupDistribution, "Cycle C", "cycle-c", owner)
	must := func(group uint, member string) {
		t.Helper()
		if _, err := f.s.AddGroupMembers(ctx, f.admin, group, []uint{f.recipient(member)}); err != nil {
			t.Fatal(err)
		}
	}
	must(a, "cycle-b@contoso.com") // A > B
	must(b, "cycle-c@contoso.com") // B > C
	f.unchanged(func() {
		_, err := f.s.AddGroupMembers(ctx, f.admin, b, []uint{f.recipient("cycle-a@contoso.com")})
		wantField(t, err, "members", "group.error.cycle")
		_, err = f.s.AddGroupMembers(ctx, f.admin, c, []uint{f.recipient("cycle-a@contoso.com")})
		wantField(t, err, "members", "group.error.cycle")
		ve, _ := AsValidation(err)
		if ve.Fields["members"].Args["Name"] != "Cycle A" || ve.Fields["members"].Args["Group"] != "Cycle C" {
			t.Fatalf("args %v", ve.Fields["members"].Args)
		}
	})
	// Not a cycle: C may also be in A directly.
	must(a, "cycle-c@contoso.com")
	// Memberships of a person through nested groups.
	must(c, "alexw@contoso.com")
	ms, err := f.s.GroupsOf(ctx, f.recipient("alexw@contoso.com"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range ms {
		got[m.DisplayName] = m.ViaName
	}
	if got["Cycle C"] != "" || got["Cycle A"] != "Cycle C" || got["Cycle B"] != "Cycle C" || got["MarketingSG"] != "" {
		t.Fatalf("memberships %v", got)
	}
}

func TestGroupOwners(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	falcon := f.group("Project Falcon")
	lidia := f.recipient("lidiah@contoso.com")
	wantField(t, f.s.RemoveGroupOwner(ctx, f.admin, falcon, lidia), "owners", "group.error.last_owner")
	_, err := f.s.AddGroupOwners(ctx, f.admin, falcon, []uint{f.recipient("ben.smith@fabrikam.com")})
	wantField(t, err, "owners", "group.error.owner_not_person")
	if _, err := f.s.AddGroupOwners(ctx, f.admin, falcon, []uint{f.recipient("johannal@contoso.com")}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemoveGroupOwner(ctx, f.admin, falcon, lidia); err != nil {
		t.Fatal(err)
	}
	// A security group may lose its last owner.
	staff := f.group("All Staff Security")
	if err := f.s.RemoveGroupOwner(ctx, f.admin, staff, f.recipient("admin@contoso.com")); err != nil {
		t.Fatal(err)
	}
	d, _ := f.s.GroupDetail(ctx, staff)
	if len(d.Owners) != 0 {
		t.Fatalf("owners %v", candidateNames(d.Owners))
	}
	// A purged person's ownerships go with them.
	mg := f.group("MarketingSG")
	if _, err := f.s.AddGroupOwners(ctx, f.admin, mg, []uint{f.recipient("gradya@contoso.com")}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteUser(ctx, f.admin, f.user("gradya@contoso.com")); err != nil {
		t.Fatal(err)
	}
	d, _ = f.s.GroupDetail(ctx, mg)
	if got := candidateNames(d.Owners); !slices.Equal(got, []string{"Megan Bowen"}) {
		t.Fatalf("a deleted owner is listed: %v", got)
	}
	f.s.Now = func() time.Time { return time.Now().Add(RestoreWindow + time.Hour) }
	if _, err := f.s.PurgeDeletedUsers(ctx); err != nil {
		t.Fatal(err)
	}
	var n int64
	f.s.db.Model(&GroupOwner{}).Where("group_id = ?", mg).Count(&n)
	if n != 1 {
		t.Fatalf("owners after purge: %d", n)
	}
}

func TestDeletingALinkedGroupSaysSoFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mg := f.group("MarketingSG")
	// MarketingSG holds Read and manage on Info, is where Isaiah forwards, is a member
	// of Sales Team and holds Send on behalf on Sales Team.
	if _, err := f.grant("info@contoso.com", RightFullAccess, "marketingsg@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.forward("isaiahl@contoso.com", "marketingsg@contoso.com", true); err != nil {
		t.Fatal(err)
	}
	sales := f.group("Sales Team")
	if _, err := f.s.AddGroupMembers(ctx, f.admin, sales, []uint{f.recipient("marketingsg@contoso.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GrantGroupPermission(ctx, f.admin, sales, RightSendOnBehalf, []uint{f.recipient("marketingsg@contoso.com")}); err != nil {
		t.Fatal(err)
	}
	links, err := f.s.GroupDeleteConsequences(ctx, mg)
	if err != nil {
		t.Fatal(err)
	}
	if len(links.Permissions) != 1 || links.Permissions[0].Name != "Info" || len(links.ForwardedFrom) != 1 ||
		links.ForwardedFrom[0].Name != "Isaiah Langer" || len(links.MemberOf) != 1 || len(links.Delegations) != 1 {
		t.Fatalf("links %+v", links)
	}
	f.unchanged(func() { wantErr(t, f.s.DeleteGroup(ctx, f.admin, mg, false), ErrNeedsConfirmation) })
	if err := f.s.DeleteGroup(ctx, f.admin, mg, true); err != nil {
		t.Fatal(err)
	}
	if h := f.holders("info@contoso.com", RightFullAccess); slices.ContainsFunc(h, func(s string) bool { return strings.Contains(s, "MarketingSG") }) {
		t.Fatalf("holders after delete: %v", h)
	}
	fw, _ := f.s.Forwarding(ctx, f.mailbox("isaiahl@contoso.com").ID)
	if fw.Address != "" {
		t.Fatalf("Isaiah still forwards to %s", fw.Address)
	}
	d, _ := f.s.GroupDetail(ctx, sales)
	for _, m := range d.Members {
		if m.DisplayName == "MarketingSG" {
			t.Fatal("still a member of Sales Team")
		}
	}
	dels, _ := f.s.GroupDelegates(ctx, sales)
	if len(dels[RightSendOnBehalf]) != 0 {
		t.Fatalf("delegates %v", dels)
	}
	// The address is free again, and the deletion is in the audit log.
	if _, fe, _ := f.s.AddressAvailable(ctx, "marketingsg", "contoso.com"); fe != nil {
		t.Fatalf("address not free: %v", fe.Key)
	}
	page, _ := f.s.AuditEvents(ctx, AuditQuery{Action: "group.delete"})
	if len(page.Events) != 1 || !strings.Contains(page.Events[0].Before, "FullAccess on info@contoso.com") {
		t.Fatalf("audit %+v", page.Events)
	}
	// A group without links is deleted without asking.
	plain := f.newGroup(GroupSecurity, "Unlinked", "", nil)
	if err := f.s.DeleteGroup(ctx, f.admin, plain, false); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.s.DeleteGroup(ctx, f.admin, plain, true), ErrNotFound)
}

func TestGroupDelegation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mg := f.group("MarketingSG")
	grant := func(group uint, r Right, who string) error {
		_, err := f.s.GrantGroupPermission(ctx, f.admin, group, r, []uint{f.recipient(who)})
		return err
	}
	if err := grant(mg, RightSendAs, "alexw@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if err := grant(mg, RightSendOnBehalf, "salesteam@contoso.com"); err != nil {
		t.Fatalf("a distribution list may get Send on behalf: %v", err)
	}
	f.unchanged(func() {
		wantField(t, grant(mg, RightSendAs, "salesteam@contoso.com"), "trustee", "perm.error.distribution_list")
		wantField(t, grant(mg, RightSendAs, "ben.smith@fabrikam.com"), "trustee", "perm.error.contact")
		wantField(t, grant(mg, RightSendAs, "marketingsg@contoso.com"), "trustee", "group.error.delegate_self")
		wantField(t, grant(mg, RightSendAs, "info@contoso.com"), "trustee", "perm.error.not_person")
		wantField(t, grant(mg, RightFullAccess, "alexw@contoso.com"), "right", "perm.error.right")
		// A group that isn't mail-enabled can't be given rights, nor hold them.
		_, err := f.s.GrantGroupPermission(ctx, f.admin, f.group("All Staff Security"), RightSendAs, []uint{f.recipient("alexw@contoso.com")})
		wantField(t, err, "trustee", "group.error.delegation_not_mail_enabled")
		_, err = f.s.GrantGroupPermission(ctx, as(RoleUserAdmin), mg, RightSendAs, []uint{f.recipient("adelev@contoso.com")})
		wantErr(t, err, ErrForbidden)
	})
	dels, err := f.s.GroupDelegates(ctx, mg)
	if err != nil {
		t.Fatal(err)
	}
	if got := candidateNames(dels[RightSendAs]); !slices.Equal(got, []string{"Alex Wilber"}) {
		t.Fatalf("Send as %v", got)
	}
	cs, _ := f.s.GroupDelegateCandidates(ctx, mg, RightSendAs, "a")
	if slices.Contains(candidateNames(cs), "Alex Wilber") || slices.Contains(candidateNames(cs), "All Staff Security") {
		t.Fatalf("candidates %v", candidateNames(cs))
	}
	if err := f.s.RemoveGroupPermission(ctx, f.admin, mg, RightSendAs, f.recipient("alexw@contoso.com")); err != nil {
		t.Fatal(err)
	}
	dels, _ = f.s.GroupDelegates(ctx, mg)
	if len(dels[RightSendAs]) != 0 {
		t.Fatalf("after remove %v", dels)
	}
}

func TestAllStaffSecurityCantGetSendAs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d, err := f.s.GroupDetail(context.Background(), f.group("All Staff Security"))
	if err != nil {
		t.Fatal(err)
	}
	f.unchanged(func() {
		_, err := f.s.GrantPermissions(context.Background(), f.admin, GrantRequest{MailboxID: f.mailbox("info@contoso.com").ID,
			Right: RightSendAs, TrusteeIDs: []uint{d.RecipientID}})
		wantKey(t, err, "perm.error.not_mail_enabled")
	})
}

func TestActiveTeamsAndGroupsList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for i := 0; i < 12; i++ {
		f.newGroup(GroupDistribution, "Region "+string(rune('A'+i)), "region"+string(rune('a'+i)), []string{"meganb@contoso.com"})
	}
	list, err := f.s.Groups(ctx, GroupQuery{Type: GroupDistribution, Page: Page{Size: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if list.Total != 13 || len(list.Rows) != 10 || list.Rows[0].DisplayName != "Region A" || list.Next == "" || list.Prev != "" {
		t.Fatalf("first page %+v", list.PageInfo)
	}
	next, _ := f.s.Groups(ctx, GroupQuery{Type: GroupDistribution, Page: Page{Size: 10, After: list.Next}})
	if len(next.Rows) != 3 || next.First != 11 || next.Rows[2].DisplayName != "Sales Team" || next.Next != "" || next.Prev == "" {
		t.Fatalf("second page %+v %v", next.PageInfo, next.Rows)
	}
	back, _ := f.s.Groups(ctx, GroupQuery{Type: GroupDistribution, Page: Page{Size: 10, Before: next.Prev}})
	if len(back.Rows) != 10 || back.Rows[0].DisplayName != "Region A" {
		t.Fatalf("back %+v", back.PageInfo)
	}
	found, _ := f.s.Groups(ctx, GroupQuery{Type: GroupDistribution, Search: "sales"})
	if len(found.Rows) != 1 || found.Rows[0].Members != 2 || found.Rows[0].Owners != 1 || found.Rows[0].Address != "salesteam@contoso.com" {
		t.Fatalf("search %+v", found.Rows)
	}
	sec, _ := f.s.Groups(ctx, GroupQuery{Type: GroupSecurity})
	if len(sec.Rows) != 1 || sec.Rows[0].DisplayName != "All Staff Security" || sec.Rows[0].Address != "" {
		t.Fatalf("security %+v", sec.Rows)
	}
	counts, _ := f.s.CountGroups(ctx)
	if counts[GroupDistribution] != 13 || counts[GroupM365] != 1 || counts[GroupMailSecurity] != 1 {
		t.Fatalf("counts %v", counts)
	}
}

func TestGroupAuditTrail(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.newGroup(GroupDistribution, "Audited", "audited", []string{"meganb@contoso.com"}, "ben.smith@fabrikam.com")
	if _, err := f.s.AddGroupMembers(ctx, f.admin, id, []uint{f.recipient("alexw@contoso.com")}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AddGroupAlias(ctx, f.admin, id, "audited2", "contoso.nl"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetGroupPrimaryAddress(ctx, f.admin, id, "audited2@contoso.nl"); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"group.create", "group.member_add", "group.alias_add", "group.primary_address"} {
		page, _ := f.s.AuditEvents(ctx, AuditQuery{Action: action})
		if len(page.Events) == 0 {
			t.Errorf("no %s event", action)
		}
	}
	page, _ := f.s.AuditEvents(ctx, AuditQuery{Action: "group.create"})
	if !strings.Contains(page.Events[0].After, "ben.smith@fabrikam.com") || !strings.Contains(page.Events[0].After, "meganb@contoso.com") {
		t.Fatalf("create audit %s", page.Events[0].After)
	}
}
