package views

import (
	"context"
	"html"
	"io"
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/models/powershell/exchange"
	"github.com/contoso/admincenter/views/i18n"
)

// PowerShellURL is the Exchange Online PowerShell console.
const PowerShellURL = "/powershell"

// PowerShellConsoleURL opens the console with a command typed in, not run.
func PowerShellConsoleURL(command string) string {
	return PowerShellURL + "?" + url.Values{"command": {command}}.Encode()
}

// PowerShellView is the console page: the command typed in, and what a run
// without JavaScript showed.
type PowerShellView struct {
	Command string
	Entries []PowerShellEntry
	// ReadOnly is set when the admin's roles allow no change (a Global reader);
	// Role names the role then.
	ReadOnly bool
	Role     models.Role
}

// PowerShellEntry is one command run in the console and what it showed.
type PowerShellEntry struct {
	Command string
	Records []PowerShellRecord
}

// PowerShellRecord is one piece of a run's output: its stream ("output", "error",
// "warning", "verbose" or "host") and its text.
type PowerShellRecord struct {
	Stream string
	Text   string
}

// recordClass is how a console record shows: errors red, warnings amber.
func recordClass(stream string) string {
	switch stream {
	case "error":
		return "text-red-300"
	case "warning":
		return "text-amber-300"
	case "verbose":
		return "text-sky-300"
	}
	return "text-slate-100"
}

// psRecords writes a run's records as one preformatted block, each record a span
// coloured by its stream, with no whitespace between them.
func psRecords(records []PowerShellRecord) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var b strings.Builder
		b.WriteString(`<pre class="whitespace-pre">`)
		for _, r := range records {
			b.WriteString(`<span class="` + recordClass(r.Stream) + `" data-ps-stream="` + html.EscapeString(r.Stream) + `">`)
			b.WriteString(html.EscapeString(r.Text))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</pre>`)
		_, err := io.WriteString(w, b.String())
		return err
	})
}

// psSection is one group of commands a panel's "PowerShell for this change" shows.
type psSection struct {
	Label string
	Lines []string
	Note  string
}

// text is the section's commands, one a line.
func (s psSection) text() string { return strings.Join(s.Lines, "\n") }

// rightSections are a permission panel's commands: to list the holders, to give the
// right to the people chosen in the picker, and to take it away from each holder.
func rightSections(ctx context.Context, v RightPanelView) []psSection {
	mbx := v.Ctx.Mailbox.Address
	var list string
	switch v.Right {
	case models.RightFullAccess:
		list = exchange.CommandLine("Get-MailboxPermission", psParam("Identity", mbx))
	case models.RightSendAs:
		list = exchange.CommandLine("Get-RecipientPermission", psParam("Identity", mbx))
	default:
		list = exchange.CommandLine("Get-Mailbox", psParam("Identity", mbx)) + " | Format-List GrantSendOnBehalfTo"
	}
	out := []psSection{{Label: i18n.T(ctx, "ps.for.list"), Lines: []string{list}}}
	if len(v.Staged) > 0 {
		s := psSection{Label: i18n.T(ctx, "ps.for.give")}
		for _, c := range v.Staged {
			s.Lines = append(s.Lines, exchange.GrantCommand(mbx, v.Right, c.Address, v.AutoMapping))
		}
		out = append(out, s)
	}
	if v.Access != nil {
		s := psSection{Label: i18n.T(ctx, "ps.for.remove")}
		for _, h := range v.Access.Direct(v.Right) {
			if h.RevokeEffectiveAt == nil && h.Address != "" {
				s.Lines = append(s.Lines, exchange.RevokeCommand(mbx, v.Right, h.Address))
			}
		}
		if len(s.Lines) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// settingsSection is the one command that makes a panel's settings as shown.
func settingsSection(ctx context.Context, line string) []psSection {
	return []psSection{{Label: i18n.T(ctx, "ps.for.settings"), Lines: []string{line}}}
}

func forwardingSections(ctx context.Context, v ForwardingView) []psSection {
	if v.State == nil {
		return nil
	}
	addr := v.State.Address
	if !v.State.Active() && v.State.Stopped == "" {
		addr = ""
	}
	return settingsSection(ctx, exchange.ForwardingCommand(v.Ctx.Mailbox.Address, addr, !v.State.External, v.State.KeepCopy))
}

func psParam(name string, v any) powershell.NamedValue {
	return powershell.NamedValue{Name: name, Value: v}
}

// proxyAddresses are a shared mailbox's addresses as -EmailAddresses takes them:
// "SMTP:" before the primary one.
func proxyAddresses(m *models.SharedMailbox) []string {
	out := []string{"SMTP:" + m.Address}
	for _, a := range m.Aliases {
		out = append(out, "smtp:"+a)
	}
	return out
}

// memberSections are the members panel's commands: membership is Full Access and
// Send As together.
func memberSections(ctx context.Context, v SharedPaneView) []psSection {
	mbx := v.Mailbox.Address
	out := []psSection{{Label: i18n.T(ctx, "ps.for.members"), Lines: []string{
		exchange.CommandLine("Get-MailboxPermission", psParam("Identity", mbx)),
		exchange.CommandLine("Get-RecipientPermission", psParam("Identity", mbx)),
	}}}
	if len(v.Mailbox.Members) > 0 {
		s := psSection{Label: i18n.T(ctx, "ps.for.remove_members")}
		for _, m := range v.Mailbox.Members {
			s.Lines = append(s.Lines, exchange.RevokeCommand(mbx, models.RightFullAccess, m.Address),
				exchange.RevokeCommand(mbx, models.RightSendAs, m.Address))
		}
		out = append(out, s)
	}
	return out
}

// ChannelName is how the audit log names the surface a change came through ("" for
// the admin center's pages).
func ChannelName(ctx context.Context, ch models.Channel) string {
	if ch == "" {
		return ""
	}
	switch ch {
	case models.ChannelPowerShell:
		return i18n.T(ctx, "audit.via_powershell")
	case models.ChannelExchangeREST:
		return i18n.T(ctx, "audit.via_exchange_rest")
	case models.ChannelGraph:
		return i18n.T(ctx, "audit.via_graph")
	}
	return string(ch)
}
