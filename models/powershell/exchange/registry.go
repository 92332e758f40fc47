// Package exchange is Exchange Online PowerShell's cmdlets on the cmdlet engine:
// Get-/New-/Set-/Remove-Mailbox, the mailbox and recipient permission cmdlets,
// automatic replies, Get-Recipient, Get-User and the read-only group cmdlets. Each
// cmdlet declares Exchange's parameters and calls the models methods the admin
// center's pages call, so the same rules, roles and audit apply; it adds no rules
// of its own beyond the shape of its parameters. Identity resolution, Exchange's
// messages and the output objects are written once here.
//
// The actor of a run is a *models.Admin. Changes are audited as coming from
// PowerShell (or from the channel the actor already names) with the command text.
package exchange

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// Module is the Source column Get-Command shows for these cmdlets.
const Module = "ExchangeOnlineManagement"

// env is what every cmdlet uses: the store.
type env struct {
	store *models.Store
}

// NewRegistry returns a registry with the engine's utility cmdlets and Exchange's,
// acting on store. The console page, the command line and the REST endpoint each
// build their engine on it.
func NewRegistry(store *models.Store) *powershell.Registry {
	r := powershell.NewRegistry()
	x := &env{store: store}
	r.Register(
		getMailbox{x}, newMailbox{x}, setMailbox{x}, removeMailbox{x},
		getMailboxPermission{x}, addMailboxPermission{x}, removeMailboxPermission{x},
		getRecipientPermission{x}, addRecipientPermission{x}, removeRecipientPermission{x},
		getAutoReply{x}, setAutoReply{x},
		getRecipient{x}, getUser{x}, getDistributionGroup{x}, getDistributionGroupMember{x},
		newDistributionGroup{x}, setDistributionGroup{x}, removeDistributionGroup{x},
		addDistributionGroupMember{x}, removeDistributionGroupMember{x},
		getMailContact{x}, newMailContact{x}, removeMailContact{x}, getUnifiedGroup{x},
	)
	r.MapError = mapError
	return r
}

// commandLines builds command lines for the admin center's "PowerShell for this
// change"; it only needs the cmdlets' declarations.
var commandLines = sync.OnceValue(func() *powershell.Engine { return powershell.New(NewRegistry(nil)) })

// actorOf returns the admin a run acts for, marked as acting through PowerShell
// (unless the caller named another channel) with the statement's text.
func actorOf(c *powershell.Call) (*models.Admin, error) {
	a, ok := c.Actor().(*models.Admin)
	if !ok || a == nil {
		return nil, deniedError{cmdlet: c.Name()}
	}
	ch := a.Channel
	if ch == "" {
		ch = models.ChannelPowerShell
	}
	return a.Via(ch, c.CommandText()), nil
}

// Scopes of identity resolution: what each kind of -Identity may name.
var (
	anyRecipient = models.DirectoryQuery{}
	mailboxes    = models.DirectoryQuery{Types: models.MailboxTypes}
	mailEnabled  = models.DirectoryQuery{Types: models.MailEnabledTypes}
	people       = models.DirectoryQuery{Types: []models.DirectoryType{models.TypeUserMailbox, models.TypeSharedMailbox, models.TypeUser}}
	mailGroups   = models.DirectoryQuery{Types: []models.DirectoryType{models.TypeMailSecurityGroup, models.TypeDistributionGroup}}
)

// resolve finds the one recipient an identity names within a scope: a piped
// object by its ExternalDirectoryObjectId, text as Exchange reads an identity.
// None is Exchange's not-found error; several is its ambiguity error listing them.
func (x *env) resolve(ctx context.Context, id powershell.IdentityArg, scope models.DirectoryQuery) (*models.DirectoryEntry, error) {
	text := id.Text
	if id.Object != nil {
		if v, ok := id.Object.Get("ExternalDirectoryObjectId"); ok {
			if s, ok := v.(string); ok && s != "" {
				text = s
			}
		}
	}
	return x.resolveText(ctx, id.Text, text, scope)
}

// resolveName resolves a name given as a string parameter (-User, -Trustee ...).
func (x *env) resolveName(ctx context.Context, name string, scope models.DirectoryQuery) (*models.DirectoryEntry, error) {
	return x.resolveText(ctx, name, name, scope)
}

func (x *env) resolveText(ctx context.Context, shown, text string, scope models.DirectoryQuery) (*models.DirectoryEntry, error) {
	if strings.TrimSpace(text) == "" {
		return nil, notFoundError(shown)
	}
	matches, err := x.store.FindRecipients(ctx, text, scope)
	if err != nil {
		return nil, err
	}
	switch len(matches) {
	case 0:
		return nil, notFoundError(shown)
	case 1:
		return matches[0], nil
	}
	return nil, ambiguousError(shown, matches)
}

// resultSize reads -ResultSize (default 1000) as a directory limit.
func resultSize(c *powershell.Call) int {
	l := c.Limit("ResultSize")
	if l.Unlimited {
		return 0
	}
	return int(l.N)
}

// limitWarning is Exchange's warning when more results exist than were returned.
func limitWarning(c *powershell.Call) string {
	if c.Has("ResultSize") {
		return "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter."
	}
	return "By default, only the first 1000 items are returned. Use the ResultSize parameter to specify the number of items returned. " +
		"To return all items, specify \"-ResultSize Unlimited\". Be aware that, depending upon the actual number of items, returning all " +
		"items can take a long time and consume a large amount of memory. Also, we don't recommend storing the results in a variable. " +
		"Instead, pipe the results to another task or script to perform batch changes."
}

// list writes the recipients a query keeps, as objects made by build, with
// Exchange's warning when -ResultSize cut the list.
func (x *env) list(c *powershell.Call, q models.DirectoryQuery, build func(*models.DirectoryEntry) *powershell.Object) error {
	limit := resultSize(c)
	q.Limit = limit
	if c.Has("Anr") {
		q.Search = c.String("Anr")
	}
	// The REST endpoint asks for one page at a time: read it by keyset from where
	// the previous page ended, so a walk through every mailbox reads each once.
	page := powershell.PagingOf(c.Context())
	served := 0
	if page != nil {
		q.After, served = parseListCursor(page.After)
		want := page.Size
		if limit > 0 {
			want = min(want, limit-served)
		}
		if want <= 0 {
			page.Page("")
			return nil
		}
		q.Limit = want
	}
	wrote, last := 0, models.DirectoryCursor{}
	more, err := x.store.EachDirectoryEntry(c.Context(), q, func(e *models.DirectoryEntry) error {
		c.Write(build(e))
		wrote++
		last = e.Cursor()
		return nil
	})
	if err != nil {
		return err
	}
	limitReached := limit > 0 && served+wrote >= limit
	if page != nil {
		next := ""
		if more && !limitReached {
			next = formatListCursor(last, served+wrote)
		}
		page.Page(next)
	}
	if more && (page == nil || limitReached) {
		c.WriteWarning(limitWarning(c))
	}
	return nil
}

// formatListCursor is where a page of a list ended: the last recipient's id, how
// many were returned in all, and its name (last, as it may hold anything).
func formatListCursor(last models.DirectoryCursor, served int) string {
	return strconv.FormatUint(uint64(last.ID), 10) + "|" + strconv.Itoa(served) + "|" + last.SortName
}

// parseListCursor reads a cursor from formatListCursor. It comes back from the
// client: anything malformed reads as the start.
func parseListCursor(s string) (models.DirectoryCursor, int) {
	parts := strings.SplitN(s, "|", 3)
	if len(parts) != 3 {
		return models.DirectoryCursor{}, 0
	}
	id, err1 := strconv.ParseUint(parts[0], 10, 32)
	served, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || id == 0 || served < 0 {
		return models.DirectoryCursor{}, 0
	}
	return models.DirectoryCursor{SortName: parts[2], ID: uint(id)}, served
}

// typesOf reads -RecipientTypeDetails as directory types within the allowed ones;
// not given, it is all of them.
func typesOf(c *powershell.Call, allowed []models.DirectoryType) []models.DirectoryType {
	if !c.Has("RecipientTypeDetails") {
		return allowed
	}
	out := []models.DirectoryType{}
	for _, v := range c.Strings("RecipientTypeDetails") {
		for _, t := range allowed {
			if strings.EqualFold(v, string(t)) {
				out = append(out, t)
			}
		}
	}
	return out
}

// Common parameter declarations.
var (
	identityParam = powershell.Param{Name: "Identity", Type: powershell.Identity, Mandatory: true, Position: powershell.At(0),
		FromPipeline: true, Help: "The mailbox: its name, alias, any email address, user principal name or ExternalDirectoryObjectId."}
	resultSizeParam = powershell.Param{Name: "ResultSize", Type: powershell.IntOrUnlimited, Default: powershell.Limit{N: 1000},
		Help: "How many results to return: a number, or Unlimited. The default is 1000."}
)
