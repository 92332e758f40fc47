package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/models/powershell/exchange"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// PowerShell serves the Exchange Online PowerShell console: every admin may open
// it and run cmdlets; what a cmdlet may change is the models' decision, as on
// every page.
type PowerShell struct {
	engine *powershell.Engine
}

// NewPowerShell returns the console over the store's Exchange cmdlets.
func NewPowerShell(store *models.Store) *PowerShell {
	return &PowerShell{engine: powershell.New(exchange.NewRegistry(store))}
}

// Console limits: how long a run may take, and how much output a page receives.
const (
	psTimeout   = time.Minute
	psMaxOutput = 1 << 20
)

// Show renders the console, with a command typed in when the address brings one
// (the panels' "Open in Exchange Online PowerShell"); nothing runs.
func (h *PowerShell) Show(c echo.Context) error {
	cmd := c.QueryParam("command")
	if len(cmd) > views.MaxPowerShellCommand {
		cmd = ""
	}
	return render(c, http.StatusOK, views.PowerShellPage(h.view(c, cmd, nil)), nil)
}

func (h *PowerShell) view(c echo.Context, cmd string, entries []views.PowerShellEntry) views.PowerShellView {
	admin := session.Admin(c)
	return views.PowerShellView{Command: cmd, Entries: entries, ReadOnly: !admin.ChangesMailboxes(), Role: admin.PrimaryRole()}
}

// Run runs the command typed and answers with its entry: to the console's script
// the entry alone, to a plain form post the page with it.
func (h *PowerShell) Run(c echo.Context) error {
	cmd := strings.TrimRight(c.FormValue("command"), "\r\n\t ")
	width, _ := strconv.Atoi(c.FormValue("width"))
	entry := views.PowerShellEntry{Command: cmd}
	if len([]rune(cmd)) > views.MaxPowerShellCommand {
		entry.Command = string([]rune(cmd)[:80]) + "…"
		entry.Records = []views.PowerShellRecord{{Stream: "error",
			Text: i18n.T(c.Request().Context(), "ps.too_long", "Max", views.MaxPowerShellCommand) + "\n"}}
	} else if strings.TrimSpace(cmd) != "" {
		entry.Records = h.run(c, cmd, width)
	}
	if htmx.IsPartial(c.Request()) {
		return render(c, http.StatusOK, views.PowerShellEntryView(entry), nil)
	}
	return render(c, http.StatusOK, views.PowerShellPage(h.view(c, "", []views.PowerShellEntry{entry})), nil)
}

// run runs a command for the signed-in admin, with the console's width, and
// returns what the console shows, cut at psMaxOutput.
func (h *PowerShell) run(c echo.Context, cmd string, width int) []views.PowerShellRecord {
	ctx, cancel := context.WithTimeout(c.Request().Context(), psTimeout)
	defer cancel()
	eng := *h.engine
	eng.Width = min(max(width, 20), 250)
	res := eng.Run(ctx, session.Admin(c), cmd)
	var out []views.PowerShellRecord
	size := 0
	for _, r := range res.Records {
		if size += len(r.Text); size > psMaxOutput {
			out = append(out, views.PowerShellRecord{Stream: "warning", Text: i18n.T(c.Request().Context(), "ps.truncated") + "\n"})
			break
		}
		out = append(out, views.PowerShellRecord{Stream: streamName(r.Stream), Text: r.Text})
	}
	return out
}

func streamName(s powershell.Stream) string {
	switch s {
	case powershell.StreamError:
		return "error"
	case powershell.StreamWarning:
		return "warning"
	case powershell.StreamVerbose:
		return "verbose"
	case powershell.StreamHost:
		return "host"
	}
	return "output"
}
