package exchange

import (
	"reflect"
	"testing"
	"time"
)

func TestAutoReplyConfiguration(t *testing.T) {
	tn := newTenant(t)
	get := func() []any {
		o := tn.run(globalReader, "Get-MailboxAutoReplyConfiguration info")
		var out []any
		for _, n := range []string{"AutoReplyState", "InternalMessage", "ExternalAudience", "ExternalMessage", "StartTime", "EndTime"} {
			out = append(out, prop(t, o, n))
		}
		return out
	}
	if got := get(); !reflect.DeepEqual(got, []any{"Disabled", "", "None", "", nil, nil}) {
		t.Errorf("default = %v", got)
	}
	tn.fails(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -AutoReplyState Enabled`, "InternalMessage is required")
	tn.ok(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -AutoReplyState Enabled -InternalMessage "Back Monday"`)
	if got := get(); !reflect.DeepEqual(got, []any{"Enabled", "Back Monday", "None", "", nil, nil}) {
		t.Errorf("enabled = %v", got)
	}
	tn.fails(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -ExternalAudience All`, "ExternalMessage is required")
	// Known (senders in the mailbox's contacts) is kept as Known, not as All.
	tn.ok(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -ExternalAudience Known -ExternalMessage x`)
	if got := get(); !reflect.DeepEqual(got, []any{"Enabled", "Back Monday", "Known", "x", nil, nil}) {
		t.Errorf("known = %v", got)
	}
	tn.ok(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -ExternalAudience All -ExternalMessage "We're away" -AutoReplyState Scheduled -StartTime "2026-12-24 17:00" -EndTime 2027-01-02`)
	start, end := time.Date(2026, 12, 24, 17, 0, 0, 0, time.UTC), time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
	if got := get(); !reflect.DeepEqual(got, []any{"Scheduled", "Back Monday", "All", "We're away", start, end}) {
		t.Errorf("scheduled = %v", got)
	}
	tn.fails(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -EndTime 2026-01-01`, "EndTime must be later than StartTime")
	tn.fails(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -StartTime tomorrow`, "was not recognized as a valid DateTime")
	res := tn.run(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -AutoReplyState Scheduled`)
	if res.Failed() || len(res.Warnings) != 1 {
		t.Errorf("no change: %s", res.Text())
	}
	tn.ok(exchangeAdm, `Set-MailboxAutoReplyConfiguration info -AutoReplyState Disabled`)
	if got := get(); got[0] != "Disabled" {
		t.Errorf("disabled = %v", got)
	}
	tn.fails(globalReader, `Set-MailboxAutoReplyConfiguration info -AutoReplyState Disabled -InternalMessage x`, "aren't present in the role definition")
}
