package exchange

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// column returns one property of every output object, as text.
func column(res *powershell.Result, name string) []string {
	var out []string
	for _, v := range res.Output {
		p, _ := v.(*powershell.Object).Get(name)
		switch x := p.(type) {
		case []string:
			out = append(out, strings.Join(x, "+"))
		default:
			out = append(out, strings.TrimSpace(strings.ReplaceAll(strings.Trim(strings.TrimSpace(toText(x)), "{}"), ", ", "+")))
		}
	}
	return out
}

func toText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil {
		return ""
	}
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(func() string {
		b, _ := v.(interface{ String() string })
		if b != nil {
			return b.String()
		}
		return ""
	}(), "\n", " "), "  ", " "))
}

func TestMailboxPermission(t *testing.T) {
	tn := newTenant(t)
	ctx := context.Background()
	res := tn.run(globalReader, `Get-MailboxPermission info`)
	if got := column(res, "User"); !reflect.DeepEqual(got, []string{`NT AUTHORITY\SELF`, "adelev@contoso.com"}) {
		t.Errorf("users = %v", got)
	}
	if got := column(res, "AccessRights"); !reflect.DeepEqual(got, []string{"FullAccess+ReadPermission", "FullAccess"}) {
		t.Errorf("rights = %v", got)
	}

	res = tn.run(exchangeAdm, `Add-MailboxPermission info -User meganb -AccessRights FullAccess`)
	if res.Failed() || column(res, "User")[0] != "meganb@contoso.com" {
		t.Fatalf("add: %s", res.Text())
	}
	tn.ok(exchangeAdm, `Add-MailboxPermission -Identity info -User alexw@contoso.com -Access FullAccess -AutoMapping $false -InheritanceType None`)
	tn.ok(exchangeAdm, `Add-MailboxPermission info -User MarketingSG -AccessRights FullAccess`)
	info, _ := tn.store.RecipientByAddress(ctx, "info@contoso.com")
	es, _ := tn.store.DirectoryByIDs(ctx, []uint{info})
	acc, _ := tn.store.MailboxAccess(ctx, es[info].Mailbox.ID)
	automap := map[string]bool{}
	for _, h := range acc.Direct(models.RightFullAccess) {
		automap[h.DisplayName] = h.AutoMapping
	}
	if !reflect.DeepEqual(automap, map[string]bool{"Adele Vance": true, "Megan Bowen": true, "Alex Wilber": false, "MarketingSG": false}) {
		t.Errorf("automapping = %v", automap)
	}
	if got := column(tn.run(globalReader, `Get-MailboxPermission info -User MarketingSG`), "User"); !reflect.DeepEqual(got, []string{"MarketingSG"}) {
		t.Errorf("-User = %v", got)
	}

	res = tn.run(exchangeAdm, `Add-MailboxPermission info -User meganb -AccessRights FullAccess`)
	if res.Failed() || len(res.Output) != 0 || !reflect.DeepEqual(res.Warnings, []string{`The appropriate access control entry is already present on the object "Info" for account "meganb@contoso.com".`}) {
		t.Errorf("again: %s", res.Text())
	}
	tn.fails(exchangeAdm, `Add-MailboxPermission info -User meganb -AccessRights ReadPermission`, "The access right 'ReadPermission' isn't kept")
	tn.fails(exchangeAdm, `Add-MailboxPermission info -User meganb -AccessRights SendAs`, "does not belong to the set")
	tn.fails(exchangeAdm, `Add-MailboxPermission info -User "Sales Team" -AccessRights FullAccess`, "'Sales Team' is a distribution group")
	tn.fails(exchangeAdm, `Add-MailboxPermission info -User info -AccessRights FullAccess`, "'Info' owns the mailbox")
	tn.fails(exchangeAdm, `Add-MailboxPermission info -AccessRights FullAccess`, "missing mandatory parameters: User")
	tn.fails(exchangeAdm, `Add-MailboxPermission nobody -User meganb -AccessRights FullAccess`, "object 'nobody' couldn't be found")

	tn.ok(exchangeAdm, `Remove-MailboxPermission info -User meganb -AccessRights FullAccess -InheritanceType All -Confirm:$false`)
	res = tn.run(exchangeAdm, `Remove-MailboxPermission info -User meganb -AccessRights FullAccess`)
	if res.Failed() || !reflect.DeepEqual(res.Warnings, []string{`Can't remove the access control entry on the object "Info" for account "meganb@contoso.com" because the ACE isn't present.`}) {
		t.Errorf("remove again: %s", res.Text())
	}
	// Entries piped back in: remove every grant but the SELF one.
	tn.ok(exchangeAdm, `Get-MailboxPermission info | Where-Object { $_.User -ne 'NT AUTHORITY\SELF' } | Remove-MailboxPermission`)
	if got := column(tn.run(globalReader, `Get-MailboxPermission info`), "User"); !reflect.DeepEqual(got, []string{`NT AUTHORITY\SELF`}) {
		t.Errorf("after piped removal = %v", got)
	}
}

func TestRecipientPermission(t *testing.T) {
	tn := newTenant(t)
	res := tn.run(globalReader, `Get-RecipientPermission info`)
	if got := column(res, "Trustee"); !reflect.DeepEqual(got, []string{`NT AUTHORITY\SELF`, "adelev@contoso.com"}) {
		t.Errorf("trustees = %v", got)
	}
	if got := column(res, "AccessControlType"); !reflect.DeepEqual(got, []string{"Allow", "Allow"}) {
		t.Errorf("types = %v", got)
	}
	res = tn.run(exchangeAdm, `Add-RecipientPermission info -Trustee MarketingSG -AccessRights SendAs -Confirm:$false`)
	if res.Failed() || column(res, "Trustee")[0] != "MarketingSG" {
		t.Fatalf("add: %s", res.Text())
	}
	res = tn.run(exchangeAdm, `Add-RecipientPermission info -Trustee MarketingSG -AccessRights SendAs`)
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "The appropriate access control entry is already present") {
		t.Errorf("again: %s", res.Text())
	}
	tn.ok(exchangeAdm, `Add-RecipientPermission adelev -Trustee meganb -AccessRights SendAs`)
	if got := column(tn.run(globalReader, `Get-RecipientPermission -Trustee meganb`), "Identity"); !reflect.DeepEqual(got, []string{"Adele Vance"}) {
		t.Errorf("-Trustee = %v", got)
	}
	if got := column(tn.run(globalReader, `Get-RecipientPermission info -Trustee MarketingSG`), "Trustee"); !reflect.DeepEqual(got, []string{"MarketingSG"}) {
		t.Errorf("-Identity -Trustee = %v", got)
	}
	all := tn.run(globalReader, `Get-RecipientPermission`)
	if len(all.Output) != 20+3 {
		t.Errorf("every mailbox's: %d entries\n%s", len(all.Output), all.Text())
	}
	if res := tn.run(globalReader, `Get-RecipientPermission -ResultSize 4`); len(res.Output) != 4 || len(res.Warnings) != 1 {
		t.Errorf("-ResultSize 4: %d, %q", len(res.Output), res.Warnings)
	}
	tn.fails(exchangeAdm, `Add-RecipientPermission info -Trustee meganb -AccessRights FullAccess`, "does not belong to the set \"SendAs\"")
	tn.ok(exchangeAdm, `Remove-RecipientPermission info -Trustee MarketingSG -AccessRights SendAs -Confirm:$false`)
	res = tn.run(exchangeAdm, `Remove-RecipientPermission info -Trustee MarketingSG -AccessRights SendAs`)
	if len(res.Warnings) != 1 || !strings.HasSuffix(res.Warnings[0], "because the ACE isn't present.") {
		t.Errorf("remove again: %s", res.Text())
	}
}
