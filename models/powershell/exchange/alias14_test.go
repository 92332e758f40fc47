package exchange

import "testing"

// TestGetMailboxShowsAliasAsTyped: addresses are stored lower-case, the alias keeps
// the case it was typed in, as Get-Mailbox and Get-Recipient show it.
func TestGetMailboxShowsAliasAsTyped(t *testing.T) {
	tn := newTenant(t)
	tn.ok(exchangeAdm, `New-Mailbox -Shared -Name "Verkoop Team" -Alias VerkoopTeam`)
	if got := tn.field("verkoopteam@contoso.com", "Alias"); got != "VerkoopTeam" {
		t.Errorf("Get-Mailbox Alias = %v, want VerkoopTeam", got)
	}
	if got := tn.field("VerkoopTeam", "PrimarySmtpAddress"); got != "verkoopteam@contoso.com" {
		t.Errorf("PrimarySmtpAddress = %v, want the lower-case address", got)
	}
	res := tn.run(globalReader, "Get-Recipient verkoopteam@contoso.com")
	if res.Failed() || len(res.Output) != 1 {
		t.Fatalf("Get-Recipient: %s", res.Text())
	}
	if got := prop(t, res, "Alias"); got != "VerkoopTeam" {
		t.Errorf("Get-Recipient Alias = %v", got)
	}
}
