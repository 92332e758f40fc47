package exchange

import (
	"reflect"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models/powershell"
)

func TestNewDistributionGroup(t *testing.T) {
	tn := newTenant(t)
	res := tn.run(exchangeAdm, `New-DistributionGroup -Name "Finance Team" -Members adelev,ben.smith@fabrikam.com -Notes "Budget questions"`)
	if res.Failed() {
		t.Fatal(res.Text())
	}
	for name, want := range map[string]any{"PrimarySmtpAddress": "financeteam@contoso.com", "GroupType": "Universal", "Notes": "Budget questions",
		"RecipientTypeDetails": "MailUniversalDistributionGroup", "RequireSenderAuthenticationEnabled": true} {
		if got := prop(t, res, name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	// Without -ManagedBy the admin who runs the command owns the group.
	if got := prop(t, res, "ManagedBy"); !reflect.DeepEqual(got, []string{"Patti Fernandez"}) {
		t.Errorf("ManagedBy = %v", got)
	}
	if got := column(tn.run(globalReader, `Get-DistributionGroupMember "Finance Team"`), "Name"); !reflect.DeepEqual(got, []string{"Adele Vance", "Ben Smith"}) {
		t.Errorf("members = %v", got)
	}

	res = tn.run(exchangeAdm, `New-DistributionGroup Auditors -Type Security -ManagedBy meganb -PrimarySmtpAddress audit@contoso.nl -RequireSenderAuthenticationEnabled $false`)
	if res.Failed() || prop(t, res, "GroupType") != "Universal, SecurityEnabled" || prop(t, res, "PrimarySmtpAddress") != "audit@contoso.nl" ||
		!reflect.DeepEqual(prop(t, res, "ManagedBy"), []string{"Megan Bowen"}) || prop(t, res, "RequireSenderAuthenticationEnabled") != false {
		t.Fatalf("security group: %s", res.Text())
	}
	// Names are unique as in Exchange; with another name, the address is still taken.
	rec := tn.fails(exchangeAdm, `New-DistributionGroup -Name Info`, `The name "Info" is already being used. Please try another name.`)
	if rec.Category != powershell.ResourceExists {
		t.Errorf("name in use: category %s", rec.Category)
	}
	tn.fails(exchangeAdm, `New-DistributionGroup -Name "Info desk" -Alias info`, `The proxy address "SMTP:info@contoso.com" is already being used`)
	tn.fails(exchangeAdm, `New-MailContact -Name "Sales Team" -ExternalEmailAddress sales@fabrikam.com`, `The name "Sales Team" is already being used.`)
	tn.fails(exchangeAdm, `Set-DistributionGroup "Sales Team" -DisplayName MarketingSG`, `The name "MarketingSG" is already being used.`)
	tn.fails(exchangeAdm, `New-DistributionGroup -Name X -Members "Project Falcon"`, "is a group of a type that can't be a member of this group")
	tn.fails(exchangeAdm, `New-DistributionGroup -Name X -ManagedBy MarketingSG`, "can't be an owner; only users can own a group")
	tn.fails(exchangeAdm, `New-DistributionGroup -Name X -Members nobody`, "The operation couldn't be performed because object 'nobody' couldn't be found")
	tn.fails(exchangeAdm, `New-DistributionGroup -Name X -Type Office`, "does not belong to the set")
}

func TestSetDistributionGroup(t *testing.T) {
	tn := newTenant(t)
	res := tn.run(exchangeAdm, `Set-DistributionGroup "Sales Team" -RequireSenderAuthenticationEnabled $false -HiddenFromAddressListsEnabled $true -ManagedBy @{Add="meganb"} -GrantSendOnBehalfTo adelev,alexw`)
	if res.Failed() {
		t.Fatal(res.Text())
	}
	g := tn.run(globalReader, `Get-DistributionGroup salesteam@contoso.com`)
	for name, want := range map[string]any{"RequireSenderAuthenticationEnabled": false, "HiddenFromAddressListsEnabled": true,
		"ManagedBy": []string{"Diego Siciliani", "Megan Bowen"}, "GrantSendOnBehalfTo": []string{"Adele Vance", "Alex Wilber"}} {
		if got := prop(t, g, name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	// A list replaces; @{Remove=} takes away.
	tn.ok(exchangeAdm, `Set-DistributionGroup "Sales Team" -GrantSendOnBehalfTo alexw -ManagedBy @{Remove="diegos"} -DisplayName "Sales"`)
	g = tn.run(globalReader, `Get-DistributionGroup salesteam@contoso.com`)
	if !reflect.DeepEqual(prop(t, g, "GrantSendOnBehalfTo"), []string{"Alex Wilber"}) || !reflect.DeepEqual(prop(t, g, "ManagedBy"), []string{"Megan Bowen"}) ||
		prop(t, g, "DisplayName") != "Sales" {
		t.Errorf("after replace: %s", g.Text())
	}
	tn.fails(exchangeAdm, `Set-DistributionGroup Sales -ManagedBy @{Remove="meganb"}`, "The group 'Sales' must have at least one owner.")
	tn.fails(exchangeAdm, `Set-DistributionGroup Sales -GrantSendOnBehalfTo Sales`, "A group can't be given a permission on itself.")
	res = tn.run(exchangeAdm, `Set-DistributionGroup Sales -RequireSenderAuthenticationEnabled $false`)
	if res.Failed() || !reflect.DeepEqual(res.Warnings, []string{"The command completed successfully but no settings of 'Sales' have been modified."}) {
		t.Errorf("no change: %s", res.Text())
	}
	tn.fails(exchangeAdm, `Set-DistributionGroup "Project Falcon" -HiddenFromAddressListsEnabled $true`, "couldn't be found")
}

// TestSetDistributionGroupIsAllOrNothing: a refused part leaves the name, the
// settings and the other lists as they were (each part used to be its own change).
func TestSetDistributionGroupIsAllOrNothing(t *testing.T) {
	tn := newTenant(t)
	before := tn.fingerprint()
	tn.fails(exchangeAdm, `Set-DistributionGroup "Sales Team" -DisplayName "Sales" -HiddenFromAddressListsEnabled $true -ManagedBy @{Add="meganb"} -GrantSendOnBehalfTo "Sales Team"`,
		"A group can't be given a permission on itself.")
	if after := tn.fingerprint(); after != before {
		t.Errorf("a refused Set-DistributionGroup changed the tenant:\n%s\n%s", before, after)
	}
	g := tn.run(globalReader, `Get-DistributionGroup salesteam@contoso.com`)
	if prop(t, g, "DisplayName") != "Sales Team" || prop(t, g, "HiddenFromAddressListsEnabled") != false {
		t.Errorf("after the refusal: %s", g.Text())
	}
}

func TestDistributionGroupMembers(t *testing.T) {
	tn := newTenant(t)
	tn.ok(exchangeAdm, `Add-DistributionGroupMember "Sales Team" -Member meganb@contoso.com`)
	tn.ok(exchangeAdm, `Add-DistributionGroupMember "Sales Team" -Member "Yara Haddad"`)
	tn.ok(exchangeAdm, `Add-DistributionGroupMember "Sales Team" -Member MarketingSG`)
	if got := column(tn.run(globalReader, `Get-DistributionGroupMember "Sales Team"`), "Name"); !reflect.DeepEqual(got,
		[]string{"Diego Siciliani", "Johanna Lorenz", "MarketingSG", "Megan Bowen", "Yara Haddad"}) {
		t.Errorf("members = %v", got)
	}
	rec := tn.fails(exchangeAdm, `Add-DistributionGroupMember "Sales Team" -Member meganb`, `The recipient "meganb" is already a member of the group "Sales Team".`)
	if !strings.Contains(rec.Format(), "MemberAlreadyExistsException") {
		t.Errorf("already a member:\n%s", rec.Format())
	}
	tn.fails(exchangeAdm, `Add-DistributionGroupMember MarketingSG -Member "Sales Team"`, "is a group of a type that can't be a member of this group")
	tn.fails(exchangeAdm, `Add-DistributionGroupMember MarketingSG -Member MarketingSG`, "A group can't be a member of itself.")

	tn.ok(exchangeAdm, `Remove-DistributionGroupMember "Sales Team" -Member "Yara Haddad" -Confirm:$false`)
	rec = tn.fails(exchangeAdm, `Remove-DistributionGroupMember "Sales Team" -Member "Yara Haddad"`, `The recipient "Yara Haddad" isn't a member of the group "Sales Team".`)
	if !strings.Contains(rec.Format(), "MemberNotFoundException") {
		t.Errorf("not a member:\n%s", rec.Format())
	}
	before := tn.fingerprint()
	res := tn.run(exchangeAdm, `Remove-DistributionGroupMember "Sales Team" -Member meganb -WhatIf`)
	if res.Failed() || tn.fingerprint() != before {
		t.Errorf("-WhatIf: %s", res.Text())
	}
}

func TestRemoveDistributionGroup(t *testing.T) {
	tn := newTenant(t)
	tn.ok(exchangeAdm, `Add-MailboxPermission info -User MarketingSG -AccessRights FullAccess`)
	tn.ok(exchangeAdm, `Remove-DistributionGroup MarketingSG -Confirm:$false`)
	tn.fails(globalReader, `Get-DistributionGroup MarketingSG`, "couldn't be found")
	if got := column(tn.run(globalReader, `Get-MailboxPermission info`), "User"); reflect.DeepEqual(got, []string{}) || strings.Contains(strings.Join(got, ","), "MarketingSG") {
		t.Errorf("the group's permission stayed: %v", got)
	}
}

func TestMailContacts(t *testing.T) {
	tn := newTenant(t)
	if got := column(tn.run(globalReader, `Get-MailContact`), "ExternalEmailAddress"); !reflect.DeepEqual(got,
		[]string{"SMTP:ben.smith@fabrikam.com", "SMTP:yara@tailspintoys.com"}) {
		t.Errorf("contacts = %v", got)
	}
	res := tn.run(exchangeAdm, `New-MailContact -Name "Debra Berger" -ExternalEmailAddress SMTP:debra@fabrikam.com -FirstName Debra -LastName Berger`)
	if res.Failed() || prop(t, res, "ExternalEmailAddress") != "SMTP:debra@fabrikam.com" || prop(t, res, "RecipientTypeDetails") != "MailContact" {
		t.Fatalf("new: %s", res.Text())
	}
	tn.fails(exchangeAdm, `New-MailContact -Name X -ExternalEmailAddress x@contoso.com`, "The domain contoso.com is an accepted domain of this organization")
	tn.fails(exchangeAdm, `New-MailContact -Name X -ExternalEmailAddress debra@fabrikam.com`, `The proxy address "SMTP:debra@fabrikam.com" is already being used`)
	tn.fails(exchangeAdm, `New-MailContact -Name X -ExternalEmailAddress nope`, "The ExternalEmailAddress isn't a valid SMTP address.")
	tn.fails(exchangeAdm, `New-MailContact -Name X`, "missing mandatory parameters: ExternalEmailAddress")
	tn.ok(exchangeAdm, `Add-DistributionGroupMember "Sales Team" -Member debra@fabrikam.com`)
	tn.ok(exchangeAdm, `Remove-MailContact "Debra Berger" -Confirm:$false`)
	tn.fails(globalReader, `Get-MailContact debra@fabrikam.com`, "couldn't be found")
	if got := column(tn.run(globalReader, `Get-DistributionGroupMember "Sales Team"`), "Name"); len(got) != 2 {
		t.Errorf("members after the contact went: %v", got)
	}
	tn.fails(exchangeAdm, `Remove-MailContact info`, "couldn't be found")
}

// TestSendAsOnAGroup: Add-/Get-/Remove-RecipientPermission take a distribution
// group as -Identity, through the group's delegation in the models.
func TestSendAsOnAGroup(t *testing.T) {
	tn := newTenant(t)
	res := tn.run(exchangeAdm, `Add-RecipientPermission "Sales Team" -Trustee adelev -AccessRights SendAs -Confirm:$false`)
	if res.Failed() || column(res, "Trustee")[0] != "adelev@contoso.com" {
		t.Fatalf("add: %s", res.Text())
	}
	tn.ok(exchangeAdm, `Add-RecipientPermission salesteam@contoso.com -Trustee MarketingSG -AccessRights SendAs`)
	if got := column(tn.run(globalReader, `Get-RecipientPermission "Sales Team"`), "Trustee"); !reflect.DeepEqual(got,
		[]string{`NT AUTHORITY\SELF`, "adelev@contoso.com", "MarketingSG"}) {
		t.Errorf("holders = %v", got)
	}
	res = tn.run(exchangeAdm, `Add-RecipientPermission "Sales Team" -Trustee adelev -AccessRights SendAs`)
	if res.Failed() || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "already present") {
		t.Errorf("again: %s", res.Text())
	}
	tn.fails(exchangeAdm, `Add-RecipientPermission "Sales Team" -Trustee "Sales Team" -AccessRights SendAs`, "A group can't be given a permission on itself.")
	tn.fails(globalReader, `Add-RecipientPermission "Sales Team" -Trustee alexw -AccessRights SendAs`, "aren't present in the role definition")
	tn.ok(exchangeAdm, `Remove-RecipientPermission "Sales Team" -Trustee adelev -AccessRights SendAs -Confirm:$false`)
	res = tn.run(exchangeAdm, `Remove-RecipientPermission "Sales Team" -Trustee adelev -AccessRights SendAs`)
	if res.Failed() || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "because the ACE isn't present") {
		t.Errorf("remove again: %s", res.Text())
	}
	if got := column(tn.run(globalReader, `Get-RecipientPermission "Sales Team"`), "Trustee"); !reflect.DeepEqual(got, []string{`NT AUTHORITY\SELF`, "MarketingSG"}) {
		t.Errorf("after removal = %v", got)
	}
}

func TestGetUnifiedGroup(t *testing.T) {
	tn := newTenant(t)
	res := tn.run(globalReader, `Get-UnifiedGroup`)
	if got := column(res, "PrimarySmtpAddress"); !reflect.DeepEqual(got, []string{"projectfalcon@contoso.com"}) {
		t.Errorf("groups = %v", got)
	}
	if got := prop(t, tn.run(globalReader, `Get-UnifiedGroup "Project Falcon"`), "RecipientTypeDetails"); got != "GroupMailbox" {
		t.Errorf("RecipientTypeDetails = %v", got)
	}
	tn.fails(globalReader, `Get-UnifiedGroup "Sales Team"`, "couldn't be found")
}
