package exchange

import (
	"strings"
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

type getAutoReply struct{ x *env }

func (getAutoReply) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-MailboxAutoReplyConfiguration", Module: Module,
		Synopsis: "Shows a mailbox's automatic replies.",
		Params:   []powershell.Param{identityParam},
	}
}

func (g getAutoReply) Run(c *powershell.Call) error {
	e, err := g.x.resolve(c.Context(), c.Identity("Identity"), mailboxes)
	if err != nil {
		return err
	}
	c.Write(autoReplyObject(e))
	return nil
}

type setAutoReply struct{ x *env }

func (setAutoReply) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Set-MailboxAutoReplyConfiguration", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Changes a mailbox's automatic replies.",
		Description: "Replies are text. -ExternalAudience Known limits the replies outside to senders in the mailbox's contacts; " +
			"-StartTime and -EndTime apply with -AutoReplyState Scheduled. Parameters not given keep their values.",
		Examples: []powershell.Example{{
			Code: `Set-MailboxAutoReplyConfiguration info@contoso.com -AutoReplyState Scheduled -StartTime "2026-12-24 17:00" -EndTime "2027-01-02 08:00" ` +
				`-InternalMessage "We're closed for the holidays." -ExternalAudience None`,
		}},
		Params: []powershell.Param{
			identityParam,
			{Name: "AutoReplyState", Type: powershell.Enum, Values: []string{"Enabled", "Disabled", "Scheduled"}},
			{Name: "InternalMessage", Type: powershell.String},
			{Name: "ExternalMessage", Type: powershell.String},
			{Name: "ExternalAudience", Type: powershell.Enum, Values: []string{"None", "Known", "All"}},
			{Name: "StartTime", Type: powershell.DateTime},
			{Name: "EndTime", Type: powershell.DateTime},
		},
	}
}

var autoReplyStates = map[string]models.AutoReplyState{
	"Enabled": models.AutoReplyEnabled, "Disabled": models.AutoReplyDisabled, "Scheduled": models.AutoReplyScheduled,
}

func (s setAutoReply) Run(c *powershell.Call) error {
	ctx := c.Context()
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	e, err := s.x.resolve(ctx, c.Identity("Identity"), mailboxes)
	if err != nil {
		return err
	}
	cur := e.Mailbox.AutoReply
	next := cur
	if c.Has("AutoReplyState") {
		next.State = autoReplyStates[c.String("AutoReplyState")]
	}
	if c.Has("InternalMessage") {
		next.Internal = c.String("InternalMessage")
	}
	if c.Has("ExternalMessage") {
		next.External = c.String("ExternalMessage")
	}
	if c.Has("ExternalAudience") {
		x, _ := models.ParseExternalAudience(c.String("ExternalAudience"))
		next.SetAudience(x)
	}
	at := func(name string, keep *time.Time) *time.Time {
		if !c.Has(name) {
			return keep
		}
		if t := c.Time(name); !t.IsZero() {
			return &t
		}
		return nil
	}
	next.Start, next.End = at("StartTime", cur.Start), at("EndTime", cur.End)
	if c.Has("StartTime") || c.Has("EndTime") {
		next.Zone = "" // times given here are instants, kept in UTC
	}
	if sameAutoReply(cur, next) {
		c.WriteWarning("The command completed successfully but no settings of '" + e.DisplayName + "' have been modified.")
		return nil
	}
	if !c.ShouldProcess(e.DisplayName, c.Name()) {
		return nil
	}
	return call(c, s.x.store.SetAutoReplies(ctx, admin, e.Mailbox.ID, next, e.Mailbox.Version))
}

// sameAutoReply reports whether a change would leave the replies as they are.
func sameAutoReply(a, b models.AutoReply) bool {
	eqTime := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	return a.State == b.State && strings.TrimSpace(a.Internal) == strings.TrimSpace(b.Internal) &&
		strings.TrimSpace(a.External) == strings.TrimSpace(b.External) && a.Audience() == b.Audience() &&
		(b.State != models.AutoReplyScheduled || (eqTime(a.Start, b.Start) && eqTime(a.End, b.End)))
}
