package exchange

import (
	"context"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

func TestIdentityResolution(t *testing.T) {
	tn := newTenant(t)
	ctx := context.Background()
	adele, _ := tn.store.RecipientByAddress(ctx, "adelev@contoso.com")
	for _, id := range []string{
		`"Adele Vance"`, `'adele vance'`, `adelev`, `ADELEV`, `adelev@contoso.com`, `Adele.Vance@contoso.com`, `smtp:adele.vance@contoso.com`,
		models.ObjectID(adele), "'{" + strings.ToUpper(models.ObjectID(adele)) + "}'",
	} {
		res := tn.run(globalReader, "Get-Mailbox "+id)
		if res.Failed() || prop(t, res, "PrimarySmtpAddress") != "adelev@contoso.com" {
			t.Errorf("Get-Mailbox %s: %s", id, res.Text())
		}
	}
	// A user principal name is the person's username here.
	if got := prop(t, tn.run(globalReader, "Get-User adelev@contoso.com"), "UserPrincipalName"); got != "adelev@contoso.com" {
		t.Errorf("UserPrincipalName = %v", got)
	}

	rec := tn.fails(globalReader, `Get-Mailbox nobody`, "The operation couldn't be performed because object 'nobody' couldn't be found on '"+DomainController+"'.")
	if rec.Category != "ObjectNotFound" || rec.RESTMessage() != "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|"+rec.Message {
		t.Errorf("not found: %+v", rec)
	}
	if !strings.Contains(rec.Format(), "ObjectNotFound: (nobody:String) [Get-Mailbox], ManagementObjectNotFoundException") {
		t.Errorf("console:\n%s", rec.Format())
	}
	// Get-Mailbox looks among mailboxes only; Get-Recipient finds the group.
	tn.fails(globalReader, `Get-Mailbox MarketingSG`, "couldn't be found")
	tn.ok(globalReader, `Get-Recipient MarketingSG`)
	// An object id that is not one, or names a recipient outside the scope.
	tn.fails(globalReader, `Get-Mailbox 00000000-0000-4000-8000-000000000002`, "couldn't be found")

	// Names are unique, as in Exchange; a second Helpdesk gets the proxy-address error.
	tn.ok(globalAdmin, `New-Mailbox -Shared -Name Helpdesk -Alias helpdesk`)
	tn.fails(globalAdmin, `New-Mailbox -Shared -Name Helpdesk -PrimarySmtpAddress helpdesk@contoso.nl`, `is already being used by the proxy addresses or LegacyExchangeDN of "Helpdesk"`)
	// One mailbox's name is another's alias: the identity is ambiguous, the addresses not.
	tn.ok(globalAdmin, `New-Mailbox -Shared -Name Support -PrimarySmtpAddress helpdesk@contoso.nl`)
	rec = tn.fails(globalReader, `Get-Mailbox Helpdesk`,
		"The operation couldn't be performed because 'Helpdesk' matches multiple entries: Helpdesk (helpdesk@contoso.com), Support (helpdesk@contoso.nl).")
	if !strings.HasPrefix(rec.RESTMessage(), "ExB8CD4A|Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException|") {
		t.Errorf("ambiguous: %s", rec.RESTMessage())
	}
	tn.ok(globalReader, `Get-Mailbox helpdesk@contoso.nl`)
	// A piped mailbox is found by its object id, whatever its name.
	res := tn.run(globalReader, `Get-Mailbox -Anr helpdesk | Get-MailboxPermission`)
	if res.Failed() || len(res.Output) != 2 {
		t.Errorf("piped: %s", res.Text())
	}

	// Deleted people are not in the directory.
	gone, _ := tn.store.UserIDByAddress(ctx, "gradya@contoso.com")
	if err := tn.store.DeleteUser(ctx, tn.as(globalAdmin), gone); err != nil {
		t.Fatal(err)
	}
	tn.fails(globalReader, `Get-Mailbox gradya`, "couldn't be found")
	if strings.Contains(tn.ok(globalReader, `Get-User -ResultSize Unlimited`), "Grady") {
		t.Error("Get-User lists a deleted person")
	}
}

func TestObjectID(t *testing.T) {
	for _, id := range []uint{1, 2, 255, 1 << 20, 1<<32 + 7} {
		s := models.ObjectID(id)
		if got, ok := models.RecipientIDOfObjectID(s); !ok || got != id || len(s) != 36 {
			t.Errorf("%d -> %s -> %d %v", id, s, got, ok)
		}
	}
	for _, s := range []string{"", "x", "00000000-0000-0000-0000-000000000001", strings.Repeat("z", 36)} {
		if _, ok := models.RecipientIDOfObjectID(s); ok {
			t.Errorf("%q read as an object id", s)
		}
	}
}
