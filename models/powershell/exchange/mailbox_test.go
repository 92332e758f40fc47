package exchange

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

func outNames(res *powershell.Result) []string {
	var out []string
	for _, v := range res.Output {
		n, _ := v.(*powershell.Object).Get("Name")
		out = append(out, fmt.Sprint(n))
	}
	return out
}

func TestGetMailbox(t *testing.T) {
	tn := newTenant(t)
	if got := outNames(tn.run(globalReader, "Get-Mailbox -RecipientTypeDetails SharedMailbox")); !reflect.DeepEqual(got, []string{"Info", "Reception"}) {
		t.Errorf("shared = %v", got)
	}
	if got := outNames(tn.run(globalReader, "Get-Mailbox -RecipientTypeDetails RoomMailbox")); len(got) != 0 {
		t.Errorf("rooms = %v", got)
	}
	if got := outNames(tn.run(globalReader, "Get-Mailbox -Anr meg")); !reflect.DeepEqual(got, []string{"Megan Bowen"}) {
		t.Errorf("anr = %v", got)
	}
	res := tn.run(globalReader, "Get-Mailbox -ResultSize 3")
	if len(res.Output) != 3 || len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "There are more results available") {
		t.Errorf("-ResultSize 3: %d objects, %q", len(res.Output), res.Warnings)
	}
	if res := tn.run(globalReader, "Get-Mailbox -ResultSize 20"); len(res.Output) != 20 || len(res.Warnings) != 0 {
		t.Errorf("exactly all: %d %q", len(res.Output), res.Warnings)
	}
	tn.fails(globalReader, "Get-Mailbox -ResultSize lots", "Cannot bind parameter 'ResultSize'")
	tn.fails(globalReader, "Get-Mailbox info -Anr x", "A positional parameter cannot be found that accepts argument 'info'.")
	tn.fails(globalReader, "Get-Mailbox -RecipientTypeDetails Shared", "does not belong to the set")

	// Past 1000 mailboxes the default stops with Exchange's warning.
	if err := tn.store.SeedScale(context.Background(), models.ScaleOptions{Users: 1100, Shared: 10, Groups: 3, Grants: 20, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	res = tn.run(globalReader, "Get-Mailbox")
	if len(res.Output) != 1000 || len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "By default, only the first 1000 items are returned.") {
		t.Errorf("default: %d objects, %q", len(res.Output), res.Warnings)
	}
	all := tn.run(globalReader, "Get-Mailbox -ResultSize Unlimited")
	if len(all.Output) <= 1000 || len(all.Warnings) != 0 {
		t.Errorf("unlimited: %d objects, %q", len(all.Output), all.Warnings)
	}
	measured := tn.run(globalReader, "Get-Mailbox -ResultSize Unlimited | Measure-Object")
	if got := prop(t, measured, "Count"); got != int64(len(all.Output)) {
		t.Errorf("Measure-Object count %v, want %d", got, len(all.Output))
	}
}

func TestNewMailbox(t *testing.T) {
	tn := newTenant(t)
	res := tn.run(exchangeAdm, `New-Mailbox -Shared -Name Billing -PrimarySmtpAddress billing@contoso.nl`)
	if res.Failed() || prop(t, res, "PrimarySmtpAddress") != "billing@contoso.nl" || prop(t, res, "Alias") != "billing" {
		t.Fatalf("%s", res.Text())
	}
	if got := prop(t, tn.run(exchangeAdm, `New-Mailbox "Front desk" -Shared`), "PrimarySmtpAddress"); got != "frontdesk@contoso.com" {
		t.Errorf("alias from the name: %v", got)
	}
	tn.fails(exchangeAdm, `New-Mailbox -Name Bob`, "add -Shared")
	tn.fails(exchangeAdm, `New-Mailbox -Shared`, "missing mandatory parameters: Name")
	tn.fails(exchangeAdm, `New-Mailbox -Shared -Name `+strings.Repeat("x", 65), `The character length of the 65 argument is too long`)
	tn.fails(exchangeAdm, `New-Mailbox -Shared -Name Info`, `The proxy address "SMTP:info@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Info".`)
	tn.fails(exchangeAdm, `New-Mailbox -Shared -Name X -PrimarySmtpAddress x@fabrikam.com`, "isn't an accepted domain")
	tn.fails(exchangeAdm, `New-Mailbox -Shared -Name X -Alias "a b"`, "The email address isn't valid")
	before := tn.fingerprint()
	res = tn.run(exchangeAdm, `New-Mailbox -Shared -Name Jobs -WhatIf`)
	if res.Failed() || res.Text() != "What if: Performing the operation \"New-Mailbox\" on target \"Jobs\".\n" || tn.fingerprint() != before {
		t.Errorf("-WhatIf: %q", res.Text())
	}
}

// mailbox reads a mailbox as Get-Mailbox shows it.
func (tn *tenant) mailbox(id string) *powershell.Object {
	tn.t.Helper()
	res := tn.run(globalReader, "Get-Mailbox "+id)
	if res.Failed() || len(res.Output) != 1 {
		tn.t.Fatalf("Get-Mailbox %s: %s", id, res.Text())
	}
	return res.Output[0].(*powershell.Object)
}

func (tn *tenant) field(id, name string) any {
	tn.t.Helper()
	v, _ := tn.mailbox(id).Get(name)
	return v
}

func TestSetMailboxSendOnBehalf(t *testing.T) {
	tn := newTenant(t)
	set := func(arg string) any {
		t.Helper()
		tn.ok(exchangeAdm, "Set-Mailbox info -GrantSendOnBehalfTo "+arg)
		return tn.field("info", "GrantSendOnBehalfTo")
	}
	if got := set(`MarketingSG, alexw@contoso.com`); !reflect.DeepEqual(got, []string{"Alex Wilber", "MarketingSG"}) {
		t.Errorf("replace = %v", got)
	}
	if got := set(`@{Add="Sales Team"; Remove="Alex Wilber"}`); !reflect.DeepEqual(got, []string{"MarketingSG", "Sales Team"}) {
		t.Errorf("edit = %v", got)
	}
	if got := set(`meganb`); !reflect.DeepEqual(got, []string{"Megan Bowen"}) {
		t.Errorf("replace again = %v", got)
	}
	if got := set(`$null`); !reflect.DeepEqual(got, []string{}) {
		t.Errorf("cleared = %v", got)
	}
	tn.fails(exchangeAdm, `Set-Mailbox info -GrantSendOnBehalfTo nobody`, "object 'nobody' couldn't be found")
	tn.fails(exchangeAdm, `Set-Mailbox adelev -GrantSendOnBehalfTo @{Add="Info"}`, "'Info' is a shared mailbox")
	tn.fails(exchangeAdm, `Set-Mailbox info -GrantSendOnBehalfTo @{Add="x"; Change="y"}`, "The hashtable key 'Change' isn't valid")
	// A refused part changes nothing, also of the parts that were fine.
	before := tn.fingerprint()
	tn.fails(exchangeAdm, `Set-Mailbox info -HiddenFromAddressListsEnabled $true -GrantSendOnBehalfTo @{Add="Info"}`, "'Info' owns the mailbox")
	if tn.fingerprint() != before {
		t.Error("a refused Set-Mailbox changed something")
	}
}

func TestSetMailboxForwarding(t *testing.T) {
	tn := newTenant(t)
	fwd := func(id string) [3]any {
		o := tn.mailbox(id)
		a, _ := o.Get("ForwardingAddress")
		s, _ := o.Get("ForwardingSmtpAddress")
		k, _ := o.Get("DeliverToMailboxAndForward")
		return [3]any{a, s, k}
	}
	tn.ok(exchangeAdm, `Set-Mailbox info -ForwardingAddress meganb -DeliverToMailboxAndForward $true`)
	if got := fwd("info"); got != [3]any{"Megan Bowen", nil, true} {
		t.Errorf("internal = %v", got)
	}
	// An outside address is saved although the policy blocks it, with a warning.
	res := tn.run(exchangeAdm, `Set-Mailbox info -ForwardingSmtpAddress smtp:info@fabrikam.com`)
	if res.Failed() || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "5.7.520 Access denied") {
		t.Errorf("external: %s", res.Text())
	}
	if got := fwd("info"); got != [3]any{nil, "smtp:info@fabrikam.com", true} {
		t.Errorf("external = %v", got)
	}
	// Both: ForwardingSmtpAddress is ignored.
	res = tn.run(exchangeAdm, `Set-Mailbox info -ForwardingSmtpAddress x@fabrikam.com -ForwardingAddress alexw@contoso.com`)
	if res.Failed() || !strings.Contains(res.Text(), "ForwardingSmtpAddress is ignored") {
		t.Errorf("both: %s", res.Text())
	}
	if got := fwd("info"); got != [3]any{"Alex Wilber", nil, true} {
		t.Errorf("both = %v", got)
	}
	// Clearing the other kind leaves it; clearing its own kind stops it.
	res = tn.run(exchangeAdm, `Set-Mailbox info -ForwardingSmtpAddress $null`)
	if !strings.Contains(res.Text(), "no settings of 'Info' have been modified") || fwd("info")[0] != "Alex Wilber" {
		t.Errorf("clearing the other kind: %s", res.Text())
	}
	tn.ok(exchangeAdm, `Set-Mailbox info -ForwardingAddress $null`)
	if got := fwd("info"); got != [3]any{nil, nil, false} {
		t.Errorf("cleared = %v", got)
	}
	res = tn.run(exchangeAdm, `Set-Mailbox info -DeliverToMailboxAndForward $true`)
	if len(res.Warnings) != 2 || !strings.Contains(res.Warnings[1], "applies together with a forwarding address") {
		t.Errorf("keep copy alone: %s", res.Text())
	}
	tn.fails(exchangeAdm, `Set-Mailbox info -ForwardingSmtpAddress info@contoso.com`, "can't forward to one of its own addresses")
	tn.fails(exchangeAdm, `Set-Mailbox info -ForwardingSmtpAddress "a@b@c"`, "isn't a valid SMTP address")
	tn.fails(exchangeAdm, `Set-Mailbox info -ForwardingSmtpAddress nobody@contoso.com`, "No recipient in this organization has the address nobody@contoso.com.")
	tn.fails(exchangeAdm, `Set-Mailbox gradya -ForwardingSmtpAddress x@fabrikam.com`, "no license that includes Exchange Online")
	tn.ok(exchangeAdm, `Set-Mailbox alexw -ForwardingAddress info`)
	tn.fails(exchangeAdm, `Set-Mailbox info -ForwardingAddress alexw`, "Forwarding would send mail around in a loop: Info → Alex Wilber → Info.")
}

func TestSetMailboxSettings(t *testing.T) {
	tn := newTenant(t)
	tn.ok(exchangeAdm, `Set-Mailbox info -MessageCopyForSentAsEnabled $false -HiddenFromAddressListsEnabled $true`)
	o := tn.mailbox("info")
	for name, want := range map[string]any{"MessageCopyForSentAsEnabled": false, "MessageCopyForSendOnBehalfEnabled": true, "HiddenFromAddressListsEnabled": true} {
		if v, _ := o.Get(name); v != want {
			t.Errorf("%s = %v", name, v)
		}
	}
	// Hidden while Adele holds Send as: Outlook's limitation is a warning.
	res := tn.run(exchangeAdm, `Set-Mailbox info -HiddenFromAddressListsEnabled $false; Set-Mailbox info -HiddenFromAddressListsEnabled $true`)
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "can't send from it in Outlook") {
		t.Errorf("hidden with senders: %q", res.Warnings)
	}
	tn.fails(exchangeAdm, `Set-Mailbox info -HiddenFromAddressListsEnabled yes`, "Boolean parameters accept only Boolean values")

	tn.ok(exchangeAdm, `Set-Mailbox info -DisplayName "Information desk"`)
	if got := tn.field("info@contoso.com", "Name"); got != "Information desk" {
		t.Errorf("renamed = %v", got)
	}
	tn.ok(globalAdmin, `Set-Mailbox meganb -DisplayName "Megan B."`)
	if got := tn.field("meganb", "DisplayName"); got != "Megan B." {
		t.Errorf("person renamed = %v", got)
	}
	tn.fails(exchangeAdm, `Set-Mailbox meganb -DisplayName "Megan"`, "aren't present in the role definition")
	tn.fails(exchangeAdm, `Set-Mailbox info -DisplayName ""`, "can't be empty")

	// Addresses: add, make primary, remove; the primary can't go.
	tn.ok(exchangeAdm, `Set-Mailbox info -EmailAddresses @{Add="smtp:hello@contoso.nl","info2@contoso.com"}`)
	tn.ok(exchangeAdm, `Set-Mailbox info -EmailAddresses @{Add="SMTP:hello@contoso.nl"; Remove="info2@contoso.com"}`)
	if got := tn.field("info@contoso.com", "EmailAddresses"); !reflect.DeepEqual(got, []string{"SMTP:hello@contoso.nl", "smtp:info@contoso.com"}) {
		t.Errorf("addresses = %v", got)
	}
	tn.fails(exchangeAdm, `Set-Mailbox info@contoso.com -EmailAddresses @{Remove="hello@contoso.nl"}`, "The primary SMTP address can't be removed")
	tn.fails(exchangeAdm, `Set-Mailbox info@contoso.com -EmailAddresses @{Add="adelev@contoso.com"}`, `The proxy address "SMTP:adelev@contoso.com" is already being used`)
	tn.fails(exchangeAdm, `Set-Mailbox info@contoso.com -EmailAddresses @{Add="X500:/o=x"}`, "only SMTP addresses")
	tn.ok(exchangeAdm, `Set-Mailbox info@contoso.com -EmailAddresses "SMTP:info@contoso.com","smtp:desk@contoso.com"`)
	if got := tn.field("info@contoso.com", "EmailAddresses"); !reflect.DeepEqual(got, []string{"SMTP:info@contoso.com", "smtp:desk@contoso.com"}) {
		t.Errorf("replaced addresses = %v", got)
	}

	// Converting: a licensed person's mailbox to shared and back.
	tn.ok(exchangeAdm, `Set-Mailbox adelev -Type Shared`)
	if got := tn.field("adelev", "RecipientTypeDetails"); got != "SharedMailbox" {
		t.Errorf("converted = %v", got)
	}
	tn.ok(exchangeAdm, `Set-Mailbox adelev -Type Regular`)
	if got := tn.field("adelev", "RecipientTypeDetails"); got != "UserMailbox" {
		t.Errorf("converted back = %v", got)
	}
	tn.fails(exchangeAdm, `Set-Mailbox gradya -Type Shared`, "needs a license that includes Exchange Online")
	tn.fails(exchangeAdm, `Set-Mailbox info@contoso.com -Type Regular`, "Only a shared mailbox that was converted")
	tn.fails(exchangeAdm, `Set-Mailbox info@contoso.com -Type Room`, `does not belong to the set "Regular,Shared"`)

	res = tn.run(exchangeAdm, `Set-Mailbox info@contoso.com -MessageCopyForSentAsEnabled $false`)
	if res.Failed() || !reflect.DeepEqual(res.Warnings, []string{"The command completed successfully but no settings of 'Information desk' have been modified."}) {
		t.Errorf("no change: %s", res.Text())
	}
	tn.fails(exchangeAdm, `Set-Mailbox info@contoso.com -Colour blue`, "A parameter cannot be found that matches parameter name 'Colour'.")
	// Set-Mailbox writes nothing at the end of a line.
	if res := tn.run(exchangeAdm, `Set-Mailbox info@contoso.com -MessageCopyForSentAsEnabled $true`); len(res.Output) != 0 {
		t.Errorf("Set-Mailbox wrote %v", res.Output)
	}
}

func TestRemoveMailbox(t *testing.T) {
	tn := newTenant(t)
	tn.ok(exchangeAdm, `New-Mailbox -Shared -Name Jobs`)
	tn.ok(exchangeAdm, `Remove-Mailbox jobs@contoso.com -Confirm:$false`)
	tn.fails(globalReader, `Get-Mailbox Jobs`, "couldn't be found")
	tn.ok(exchangeAdm, `New-Mailbox -Shared -Name Jobs`) // the address is free again
	// A person's mailbox goes with the account, which only a user admin may delete.
	tn.fails(exchangeAdm, `Remove-Mailbox lynner`, "aren't present in the role definition")
	tn.ok(globalAdmin, `Remove-Mailbox lynner`)
	tn.fails(globalReader, `Get-Mailbox lynner`, "couldn't be found")
	tn.fails(globalAdmin, `Remove-Mailbox admin@contoso.com`, "can't remove your own mailbox")
}
