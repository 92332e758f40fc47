package web

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// The cmdlets below are test stand-ins for the Exchange cmdlets (written on another
// branch as exchange.NewRegistry(store)), so the REST endpoint's tests can send the
// real module's JSON bodies today. They are deliberately small: each resolves its
// identities and calls one models method with the app's actor, so rights, rules and
// audit are the real ones. Swapping seedCmdlets for the Exchange registry in
// newAPIApp runs the same tests against the real cmdlets.
func seedCmdlets(store *models.Store) *powershell.Registry {
	reg := powershell.NewRegistry()
	reg.Register(newMailbox{store}, setMailbox{store}, getMailbox{store}, addMailboxPermission{store},
		getMailboxPermission{store}, testWarning{})
	reg.MapError = func(_ context.Context, err error) *powershell.ErrorRecord {
		var nf *objectNotFound
		var ve *models.ValidationError
		switch {
		case errors.As(err, &nf):
			return powershell.ExchangeError("Ex6F9304", "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
				powershell.ObjectNotFound, "The operation couldn't be performed because object '"+nf.identity+"' couldn't be found on 'AM0PR01A001DC01.EURPR01A001.PROD.OUTLOOK.COM'.")
		case errors.Is(err, models.ErrNotFound):
			return powershell.ExchangeError("Ex6F9304", "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
				powershell.ObjectNotFound, "The specified mailbox doesn't exist.")
		case errors.Is(err, models.ErrForbidden):
			return powershell.ExchangeError("Ex1CE6A5", "Microsoft.Exchange.Configuration.Tasks.TaskAccessDeniedException",
				powershell.PermissionDenied, "The user or app isn't assigned a role that allows this change.")
		case errors.As(err, &ve):
			for _, fe := range ve.Fields {
				if fe.Key == "addr.error.taken" {
					return powershell.ExchangeError("ExB10BE9", "Microsoft.Exchange.Management.Tasks.WLCDManagedMemberExistsException",
						powershell.InvalidOperation, fmt.Sprintf("The proxy address \"SMTP:%v\" is already being used by the proxy addresses or LegacyExchangeDN. Please choose another proxy address.", fe.Args["Address"]))
				}
			}
			return powershell.NewError(powershell.InvalidArgument, "Microsoft.Exchange.Configuration.Tasks.TaskArgumentException", "InvalidArgument", ve.Error())
		}
		return nil
	}
	return reg
}

type objectNotFound struct{ identity string }

func (e *objectNotFound) Error() string { return "not found: " + e.identity }

var mailboxType = &powershell.TypeInfo{Name: "Microsoft.Exchange.Data.Directory.Management.Mailbox",
	Table: []powershell.Column{{Property: "Name"}, {Property: "Alias"}, {Property: "RecipientTypeDetails"}}}

var permissionType = &powershell.TypeInfo{Name: "Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject",
	Table: []powershell.Column{{Property: "Identity"}, {Property: "User"}, {Property: "AccessRights"}}}

func actorOf(c *powershell.Call) *models.Admin {
	a, _ := c.Actor().(*models.Admin)
	return a
}

// recipientOf finds a recipient by address, or by alias at any accepted domain.
func recipientOf(ctx context.Context, s *models.Store, text string) (uint, error) {
	if id, err := s.RecipientByAddress(ctx, text); err == nil {
		return id, nil
	}
	if !strings.Contains(text, "@") {
		domains, err := s.Domains(ctx)
		if err != nil {
			return 0, err
		}
		for _, d := range domains {
			if id, err := s.RecipientByAddress(ctx, text+"@"+d.Name); err == nil {
				return id, nil
			}
		}
	}
	return 0, &objectNotFound{text}
}

// mailboxOf finds a mailbox by address, alias or display name.
func mailboxOf(ctx context.Context, s *models.Store, text string) (*models.MailboxRef, error) {
	if rid, err := recipientOf(ctx, s, text); err == nil {
		var addr string
		if strings.Contains(text, "@") {
			addr = text
		}
		list, err := s.SharedMailboxes(ctx, models.SharedMailboxQuery{Search: text, Page: models.Page{Size: 100}})
		if err != nil {
			return nil, err
		}
		for _, r := range list.Rows {
			if mb, err := s.SharedMailboxRef(ctx, r.ID); err == nil && mb.RecipientID == rid {
				return mb, nil
			}
		}
		if addr == "" {
			addr = text
		}
		if uid, err := s.UserIDByAddress(ctx, addr); err == nil {
			return s.MailboxOfUser(ctx, uid)
		}
		users, err := s.Users(ctx, models.UserQuery{Search: text, Page: models.Page{Size: 100}})
		if err != nil {
			return nil, err
		}
		for _, u := range users.Rows {
			if mb, err := s.MailboxOfUser(ctx, u.ID); err == nil && mb.RecipientID == rid {
				return mb, nil
			}
		}
	}
	list, err := s.SharedMailboxes(ctx, models.SharedMailboxQuery{Search: text, Page: models.Page{Size: 100}})
	if err != nil {
		return nil, err
	}
	for _, r := range list.Rows {
		if strings.EqualFold(r.DisplayName, text) {
			return s.SharedMailboxRef(ctx, r.ID)
		}
	}
	return nil, &objectNotFound{text}
}

func mailboxObject(ctx context.Context, s *models.Store, mb *models.MailboxRef) (*powershell.Object, error) {
	acc, err := s.MailboxAccess(ctx, mb.ID)
	if err != nil {
		return nil, err
	}
	onBehalf := []string{}
	for _, h := range acc.Direct(models.RightSendOnBehalf) {
		onBehalf = append(onBehalf, h.DisplayName)
	}
	kind := "UserMailbox"
	if mb.Type == models.MailboxShared {
		kind = "SharedMailbox"
	}
	alias, _, _ := strings.Cut(mb.Address, "@")
	return powershell.NewObject(mailboxType).Set("Identity", mb.DisplayName).Set("Name", mb.DisplayName).
		Set("DisplayName", mb.DisplayName).Set("Alias", alias).Set("PrimarySmtpAddress", mb.Address).
		Set("RecipientTypeDetails", kind).Set("HiddenFromAddressListsEnabled", mb.HiddenFromGAL).
		Set("GrantSendOnBehalfTo", onBehalf), nil
}

// newMailbox is New-Mailbox -Shared -Name -DisplayName -Alias -PrimarySmtpAddress.
type newMailbox struct{ s *models.Store }

func (newMailbox) Meta() powershell.Meta {
	return powershell.Meta{Name: "New-Mailbox", SupportsShouldProcess: true, Params: []powershell.Param{
		{Name: "Shared", Type: powershell.Switch}, {Name: "Name", Type: powershell.String, Mandatory: true, Position: powershell.At(0)},
		{Name: "DisplayName", Type: powershell.String}, {Name: "Alias", Type: powershell.String},
		{Name: "PrimarySmtpAddress", Type: powershell.String},
	}}
}

func (n newMailbox) Run(c *powershell.Call) error {
	ctx := c.Context()
	name := c.String("DisplayName")
	if name == "" {
		name = c.String("Name")
	}
	alias, domain := c.String("Alias"), ""
	if p := c.String("PrimarySmtpAddress"); p != "" {
		alias, domain, _ = strings.Cut(p, "@")
	}
	if domain == "" {
		domains, err := n.s.Domains(ctx)
		if err != nil {
			return err
		}
		domain = domains[0].Name
	}
	id, err := n.s.CreateSharedMailbox(ctx, actorOf(c), name, alias, domain)
	if err != nil {
		return err
	}
	mb, err := n.s.SharedMailboxRef(ctx, id)
	if err != nil {
		return err
	}
	o, err := mailboxObject(ctx, n.s, mb)
	if err != nil {
		return err
	}
	c.Write(o)
	return nil
}

// setMailbox is Set-Mailbox -Identity -GrantSendOnBehalfTo (a list replaces,
// @{Add=...; Remove=...} edits).
type setMailbox struct{ s *models.Store }

func (setMailbox) Meta() powershell.Meta {
	return powershell.Meta{Name: "Set-Mailbox", SupportsShouldProcess: true, Params: []powershell.Param{
		{Name: "Identity", Type: powershell.Identity, Mandatory: true, Position: powershell.At(0), FromPipeline: true},
		{Name: "GrantSendOnBehalfTo", Type: powershell.MultiValued},
	}}
}

func (m setMailbox) Run(c *powershell.Call) error {
	ctx := c.Context()
	mb, err := mailboxOf(ctx, m.s, c.Identity("Identity").Text)
	if err != nil {
		return err
	}
	if !c.Has("GrantSendOnBehalfTo") {
		return nil
	}
	mv := c.Multi("GrantSendOnBehalfTo")
	acc, err := m.s.MailboxAccess(ctx, mb.ID)
	if err != nil {
		return err
	}
	have := map[uint]bool{}
	for _, h := range acc.Direct(models.RightSendOnBehalf) {
		have[h.RecipientID] = true
	}
	add, remove := mv.Add, mv.Remove
	var keep map[uint]bool
	if !mv.Edit {
		add, keep = mv.Replace, map[uint]bool{}
	}
	var ids []uint
	for _, t := range add {
		id, err := recipientOf(ctx, m.s, t)
		if err != nil {
			return err
		}
		ids = append(ids, id)
		if keep != nil {
			keep[id] = true
		}
	}
	if len(ids) > 0 {
		if _, err := m.s.GrantPermissions(ctx, actorOf(c), models.GrantRequest{MailboxID: mb.ID, Right: models.RightSendOnBehalf, TrusteeIDs: ids}); err != nil {
			return err
		}
	}
	for _, t := range remove {
		id, err := recipientOf(ctx, m.s, t)
		if err != nil {
			return err
		}
		if err := m.s.RemovePermission(ctx, actorOf(c), mb.ID, models.RightSendOnBehalf, id); err != nil {
			return err
		}
	}
	for id := range have {
		if keep != nil && !keep[id] {
			if err := m.s.RemovePermission(ctx, actorOf(c), mb.ID, models.RightSendOnBehalf, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// getMailbox is Get-Mailbox [-Identity] [-ResultSize]: one mailbox, or the people's
// mailboxes in name order, paged by the REST caller's cursor when it pages.
type getMailbox struct{ s *models.Store }

func (getMailbox) Meta() powershell.Meta {
	return powershell.Meta{Name: "Get-Mailbox", Params: []powershell.Param{
		{Name: "Identity", Type: powershell.Identity, Position: powershell.At(0), FromPipeline: true},
		{Name: "ResultSize", Type: powershell.IntOrUnlimited, Default: powershell.Limit{N: 1000}},
	}}
}

func (g getMailbox) Run(c *powershell.Call) error {
	ctx := c.Context()
	if c.Has("Identity") {
		mb, err := mailboxOf(ctx, g.s, c.Identity("Identity").Text)
		if err != nil {
			return err
		}
		o, err := mailboxObject(ctx, g.s, mb)
		if err != nil {
			return err
		}
		c.Write(o)
		return nil
	}
	limit := c.Limit("ResultSize")
	page := powershell.PagingOf(ctx)
	// The REST cursor is the people list's position after the last mailbox
	// returned, and how many were returned in all.
	after, served := "", int64(0)
	if page != nil && page.After != "" {
		cur, n, ok := strings.Cut(page.After, "|")
		if x, err := strconv.ParseInt(n, 10, 64); ok && err == nil && x >= 0 {
			after, served = cur, x
		}
	}
	want := int64(1 << 62)
	if !limit.Unlimited {
		want = max(0, limit.N-served)
	}
	if page != nil {
		want = min(want, int64(page.Size))
	}
	wrote, more := int64(0), false
	for wrote < want {
		list, err := g.s.Users(ctx, models.UserQuery{Page: models.Page{After: after, Size: 100}})
		if err != nil {
			return err
		}
		for _, u := range list.Rows {
			if wrote == want {
				more = true
				break
			}
			alias, _, _ := strings.Cut(u.Username, "@")
			c.Write(powershell.NewObject(mailboxType).Set("Identity", u.DisplayName).Set("Name", u.DisplayName).
				Set("DisplayName", u.DisplayName).Set("Alias", alias).Set("PrimarySmtpAddress", u.Username).
				Set("ExternalDirectoryObjectId", strconv.FormatUint(uint64(u.ID), 10)).Set("RecipientTypeDetails", "UserMailbox"))
			wrote++
			after = u.Cursor()
		}
		more = more || list.Next != ""
		if list.Next == "" {
			break
		}
	}
	if page != nil {
		next := ""
		if more && (limit.Unlimited || served+wrote < limit.N) {
			next = after + "|" + strconv.FormatInt(served+wrote, 10)
		}
		page.Page(next)
	}
	return nil
}

// addMailboxPermission is Add-MailboxPermission -Identity -User -AccessRights
// FullAccess [-InheritanceType All] [-AutoMapping].
type addMailboxPermission struct{ s *models.Store }

func (addMailboxPermission) Meta() powershell.Meta {
	return powershell.Meta{Name: "Add-MailboxPermission", SupportsShouldProcess: true, Params: []powershell.Param{
		{Name: "Identity", Type: powershell.Identity, Mandatory: true, Position: powershell.At(0), FromPipeline: true},
		{Name: "User", Type: powershell.String, Mandatory: true},
		{Name: "AccessRights", Type: powershell.EnumList, Mandatory: true, Values: []string{"FullAccess"}},
		{Name: "InheritanceType", Type: powershell.Enum, Values: []string{"All", "None"}, Default: "All"},
		{Name: "AutoMapping", Type: powershell.Bool, Default: true},
	}}
}

func (a addMailboxPermission) Run(c *powershell.Call) error {
	ctx := c.Context()
	mb, err := mailboxOf(ctx, a.s, c.Identity("Identity").Text)
	if err != nil {
		return err
	}
	user, err := recipientOf(ctx, a.s, c.String("User"))
	if err != nil {
		return err
	}
	if _, err := a.s.GrantPermissions(ctx, actorOf(c), models.GrantRequest{MailboxID: mb.ID, Right: models.RightFullAccess,
		TrusteeIDs: []uint{user}, AutoMapping: c.Bool("AutoMapping")}); err != nil {
		return err
	}
	c.Write(powershell.NewObject(permissionType).Set("Identity", mb.DisplayName).Set("User", c.String("User")).
		Set("AccessRights", []string{"FullAccess"}).Set("IsInherited", false).Set("Deny", false))
	return nil
}

// getMailboxPermission is Get-MailboxPermission -Identity.
type getMailboxPermission struct{ s *models.Store }

func (getMailboxPermission) Meta() powershell.Meta {
	return powershell.Meta{Name: "Get-MailboxPermission", Params: []powershell.Param{
		{Name: "Identity", Type: powershell.Identity, Mandatory: true, Position: powershell.At(0), FromPipeline: true},
	}}
}

func (g getMailboxPermission) Run(c *powershell.Call) error {
	ctx := c.Context()
	mb, err := mailboxOf(ctx, g.s, c.Identity("Identity").Text)
	if err != nil {
		return err
	}
	acc, err := g.s.MailboxAccess(ctx, mb.ID)
	if err != nil {
		return err
	}
	c.Write(powershell.NewObject(permissionType).Set("Identity", mb.DisplayName).Set("User", `NT AUTHORITY\SELF`).
		Set("AccessRights", []string{"FullAccess", "ReadPermission"}).Set("IsInherited", false).Set("Deny", false))
	for _, h := range acc.Direct(models.RightFullAccess) {
		c.Write(powershell.NewObject(permissionType).Set("Identity", mb.DisplayName).Set("User", h.DisplayName).
			Set("AccessRights", []string{"FullAccess"}).Set("IsInherited", false).Set("Deny", false))
	}
	return nil
}

// testWarning is Test-Warning: writes a warning and an object, for
// @adminapi.warnings.
type testWarning struct{}

func (testWarning) Meta() powershell.Meta { return powershell.Meta{Name: "Test-Warning"} }

func (testWarning) Run(c *powershell.Call) error {
	c.WriteWarning("The command completed successfully but no settings of 'Info' have been modified.")
	c.Write(powershell.NewObject(nil).Set("Name", "Info"))
	return nil
}
