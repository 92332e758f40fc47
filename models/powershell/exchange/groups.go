package exchange

import (
	"strings"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// The distribution group cmdlets: New-/Set-/Remove-DistributionGroup and
// Add-/Remove-DistributionGroupMember, over the models methods the Teams & groups
// pages call (CreateGroup, UpdateGroupBasics, SetGroupSettings, the owner, member
// and delegation methods, DeleteGroup). Exchange's distribution groups are the
// admin center's distribution lists and mail-enabled security groups.

// Exchange's member exceptions.
const (
	excMemberExists   = "Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException"
	excMemberNotFound = "Microsoft.Exchange.Management.Tasks.MemberNotFoundException"
	codeMemberExists  = "Ex4A3E5F"
	codeMemberMissing = "ExC1D8E0"
)

// bypassParam is -BypassSecurityGroupManagerCheck: accepted; the admin's roles
// decide, as for the admin center's pages.
var bypassParam = powershell.Param{Name: "BypassSecurityGroupManagerCheck", Type: powershell.Switch,
	Help: "Accepted; whether the change is allowed depends on the admin's roles, not on being an owner."}

func groupIdentityParam() powershell.Param {
	id := identityParam
	id.Help = "The group: its name, alias, any email address or ExternalDirectoryObjectId."
	return id
}

// resolveGroup resolves -Identity to a distribution group and its group id.
func (x *env) resolveGroup(c *powershell.Call) (*models.DirectoryEntry, uint, error) {
	e, err := x.resolve(c.Context(), c.Identity("Identity"), mailGroups)
	if err != nil {
		return nil, 0, err
	}
	id, err := x.store.GroupIDOfRecipient(c.Context(), e.RecipientID)
	if err != nil {
		return nil, 0, err
	}
	return e, id, nil
}

// recipientIDs resolves names to recipient ids within a scope.
func (x *env) recipientIDs(c *powershell.Call, list []string, scope models.DirectoryQuery) ([]uint, error) {
	out := make([]uint, 0, len(list))
	for _, n := range list {
		e, err := x.resolveName(c.Context(), n, scope)
		if err != nil {
			return nil, err
		}
		out = append(out, e.RecipientID)
	}
	return out, nil
}

// writeGroup writes a group, read again with its owners, settings and delegates.
func (x *env) writeGroup(c *powershell.Call, groupID uint) error {
	ctx := c.Context()
	d, err := x.store.GroupDetail(ctx, groupID)
	if err != nil {
		return err
	}
	es, err := x.store.DirectoryByIDs(ctx, []uint{d.RecipientID})
	if err != nil {
		return err
	}
	e := es[d.RecipientID]
	if e == nil {
		return models.ErrNotFound
	}
	delegates, err := x.store.GroupDelegates(ctx, groupID)
	if err != nil {
		return err
	}
	c.Write(groupDetailObject(e, d, delegates))
	return nil
}

type newDistributionGroup struct{ x *env }

func (newDistributionGroup) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "New-DistributionGroup", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Creates a distribution group or a mail-enabled security group.",
		Description: "The group keeps one name: -DisplayName when given, else -Name. Its address is -PrimarySmtpAddress, or -Alias (else " +
			"one made from the name) at the default domain. -ManagedBy names its owners; without it the admin who runs the command owns " +
			"it. -Notes is the group's description. Only people of the organization can send to it unless " +
			"-RequireSenderAuthenticationEnabled $false.",
		Examples: []powershell.Example{
			{Code: `New-DistributionGroup -Name "Sales Team" -Members adelev,alexw`, Remarks: "Creates a distribution group with two members."},
			{Code: `New-DistributionGroup -Name "Finance SG" -Type Security -ManagedBy meganb`, Remarks: "Creates a mail-enabled security group."},
		},
		Params: []powershell.Param{
			{Name: "Name", Type: powershell.String, Mandatory: true, Position: powershell.At(0), Help: "The group's name, up to 64 characters."},
			{Name: "DisplayName", Type: powershell.String},
			{Name: "Alias", Type: powershell.String},
			{Name: "PrimarySmtpAddress", Type: powershell.String},
			{Name: "Type", Type: powershell.Enum, Values: []string{"Distribution", "Security"}, Default: "Distribution",
				Help: "Distribution (the default) or Security (a mail-enabled security group)."},
			{Name: "Members", Type: powershell.StringList, Help: "People, mail contacts or groups to add as members."},
			{Name: "ManagedBy", Type: powershell.StringList, Help: "The group's owners (people); the default is the admin who runs the command."},
			{Name: "Notes", Type: powershell.String, Help: "The group's description."},
			{Name: "RequireSenderAuthenticationEnabled", Type: powershell.Bool, Default: true,
				Help: "$true (the default): only people of the organization can send to the group."},
			{Name: "HiddenFromAddressListsEnabled", Type: powershell.Bool},
		},
	}
}

func (n newDistributionGroup) Run(c *powershell.Call) error {
	ctx := c.Context()
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	name := c.String("Name")
	if c.String("DisplayName") != "" {
		name = c.String("DisplayName")
	}
	req := models.NewGroup{Type: models.GroupDistribution, Name: name, Description: c.String("Notes"),
		AllowExternalSenders: !c.Bool("RequireSenderAuthenticationEnabled"), HiddenFromGAL: c.Bool("HiddenFromAddressListsEnabled")}
	if c.String("Type") == "Security" {
		req.Type = models.GroupMailSecurity
	}
	_, domain, err := n.x.store.AddressDomains(ctx, "")
	if err != nil {
		return err
	}
	req.Alias, req.Domain = c.String("Alias"), domain
	if req.Alias == "" {
		req.Alias = models.AliasFromName(name)
	}
	if smtp := strings.TrimPrefix(strings.TrimPrefix(c.String("PrimarySmtpAddress"), "SMTP:"), "smtp:"); smtp != "" {
		local, d, ok := strings.Cut(smtp, "@")
		if !ok {
			return validationRecord(models.FieldError{Key: "addr.error.alias_invalid"})
		}
		req.Alias, req.Domain = local, d
	}
	if c.Has("ManagedBy") {
		if req.OwnerIDs, err = n.x.recipientIDs(c, c.Strings("ManagedBy"), anyRecipient); err != nil {
			return err
		}
	} else if admin.RecipientID != 0 {
		req.OwnerIDs = []uint{admin.RecipientID}
	}
	if req.MemberIDs, err = n.x.recipientIDs(c, c.Strings("Members"), anyRecipient); err != nil {
		return err
	}
	if !c.ShouldProcess(name, "New-DistributionGroup") {
		return nil
	}
	id, err := n.x.store.CreateGroup(ctx, admin, req)
	if err != nil {
		return call(c, err)
	}
	return n.x.writeGroup(c, id)
}

type setDistributionGroup struct{ x *env }

func (setDistributionGroup) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Set-DistributionGroup", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Changes a distribution group's name, delivery settings, owners and who may send on its behalf.",
		Description: "Changes the settings given and leaves the rest, all in one change: if one is refused, none is made. " +
			"-RequireSenderAuthenticationEnabled $false lets people outside the organization send to the group. -ManagedBy and " +
			"-GrantSendOnBehalfTo take a list that replaces or @{Add=...; Remove=...}.",
		Examples: []powershell.Example{
			{Code: `Set-DistributionGroup "Sales Team" -RequireSenderAuthenticationEnabled $false`, Remarks: "Lets outside senders mail the group."},
			{Code: `Set-DistributionGroup "Sales Team" -GrantSendOnBehalfTo @{Add="adelev@contoso.com"}`},
		},
		Params: []powershell.Param{
			groupIdentityParam(),
			{Name: "DisplayName", Type: powershell.String},
			{Name: "RequireSenderAuthenticationEnabled", Type: powershell.Bool,
				Help: "$true: only people of the organization can send to the group."},
			{Name: "HiddenFromAddressListsEnabled", Type: powershell.Bool},
			{Name: "ManagedBy", Type: powershell.MultiValued, Help: "The owners: a list that replaces, or @{Add=...; Remove=...}."},
			{Name: "GrantSendOnBehalfTo", Type: powershell.MultiValued, Help: "Who may send on behalf of the group: a list that replaces, or @{Add=...; Remove=...}."},
			bypassParam,
		},
	}
}

// idEdit is a multi-valued recipient parameter read as the ids to add and remove
// against the current set.
func (x *env) idEdit(c *powershell.Call, mv powershell.MultiValue, current []uint) (add, remove []uint, err error) {
	if !mv.Edit {
		want, err := x.recipientIDs(c, mv.Replace, anyRecipient)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range want {
			if !containsID(current, id) {
				add = append(add, id)
			}
		}
		for _, id := range current {
			if !containsID(want, id) {
				remove = append(remove, id)
			}
		}
		return add, remove, nil
	}
	if add, err = x.recipientIDs(c, mv.Add, anyRecipient); err != nil {
		return nil, nil, err
	}
	if remove, err = x.recipientIDs(c, mv.Remove, anyRecipient); err != nil {
		return nil, nil, err
	}
	return add, remove, nil
}

func containsID(ids []uint, id uint) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func candidateIDs(cs []models.Candidate) []uint {
	out := make([]uint, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.RecipientID)
	}
	return out
}

func (s setDistributionGroup) Run(c *powershell.Call) error {
	ctx := c.Context()
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	e, id, err := s.x.resolveGroup(c)
	if err != nil {
		return err
	}
	d, err := s.x.store.GroupDetail(ctx, id)
	if err != nil {
		return err
	}
	delegates, err := s.x.store.GroupDelegates(ctx, id)
	if err != nil {
		return err
	}
	var ownersAdd, ownersRemove, sobAdd, sobRemove []uint
	if c.Has("ManagedBy") {
		if ownersAdd, ownersRemove, err = s.x.idEdit(c, c.Multi("ManagedBy"), candidateIDs(d.Owners)); err != nil {
			return err
		}
	}
	if c.Has("GrantSendOnBehalfTo") {
		if sobAdd, sobRemove, err = s.x.idEdit(c, c.Multi("GrantSendOnBehalfTo"), candidateIDs(delegates[models.RightSendOnBehalf])); err != nil {
			return err
		}
	}
	if !c.ShouldProcess(e.DisplayName, "Set-DistributionGroup") {
		return nil
	}
	edit := models.GroupEdit{Lists: models.GroupStagedChange{Add: map[string][]uint{}, Remove: map[string][]uint{}}}
	if c.Has("DisplayName") {
		name := c.String("DisplayName")
		edit.Name = &name
	}
	if c.Has("RequireSenderAuthenticationEnabled") {
		allow := !c.Bool("RequireSenderAuthenticationEnabled")
		edit.AllowExternalSenders = &allow
	}
	if c.Has("HiddenFromAddressListsEnabled") {
		hidden := c.Bool("HiddenFromAddressListsEnabled")
		edit.HiddenFromGAL = &hidden
	}
	sob := string(models.RightSendOnBehalf)
	edit.Lists.Add["owners"], edit.Lists.Add[sob] = ownersAdd, sobAdd
	// Only who holds the role now can be removed; the rest is no change.
	for _, o := range ownersRemove {
		if containsID(candidateIDs(d.Owners), o) {
			edit.Lists.Remove["owners"] = append(edit.Lists.Remove["owners"], o)
		}
	}
	for _, t := range sobRemove {
		if containsID(candidateIDs(delegates[models.RightSendOnBehalf]), t) {
			edit.Lists.Remove[sob] = append(edit.Lists.Remove[sob], t)
		}
	}
	// Every change in one transaction: a refused owner leaves the name as it was.
	n, err := s.x.store.EditGroup(ctx, admin, id, edit)
	if err != nil {
		return call(c, err)
	}
	changed := n > 0
	if !changed {
		c.WriteWarning("The command completed successfully but no settings of '" + e.DisplayName + "' have been modified.")
	}
	if c.Downstream() {
		return s.x.writeGroup(c, id)
	}
	return nil
}

type removeDistributionGroup struct{ x *env }

func (removeDistributionGroup) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Remove-DistributionGroup", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Removes a distribution group.",
		Description: "Removes the group for good, as Delete group does in the admin center: its memberships, the permissions it holds, " +
			"the delegations on it and forwarding to it go with it.",
		Params: []powershell.Param{groupIdentityParam(), bypassParam},
	}
}

func (r removeDistributionGroup) Run(c *powershell.Call) error {
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	e, id, err := r.x.resolveGroup(c)
	if err != nil {
		return err
	}
	if !c.ShouldProcess(e.DisplayName, "Remove-DistributionGroup") {
		return nil
	}
	return call(c, r.x.store.DeleteGroup(c.Context(), admin, id, true))
}

// memberParams are -Identity (the group), -Member and -BypassSecurityGroupManagerCheck.
func memberParams() []powershell.Param {
	return []powershell.Param{
		groupIdentityParam(),
		{Name: "Member", Type: powershell.String, Mandatory: true, FromPropertyName: true,
			Help: "The person, mail contact or group: its name, alias, any email address or ExternalDirectoryObjectId."},
		bypassParam,
	}
}

// memberTarget resolves a member cmdlet's group and member.
func (x *env) memberTarget(c *powershell.Call) (*models.DirectoryEntry, uint, *models.DirectoryEntry, error) {
	g, id, err := x.resolveGroup(c)
	if err != nil {
		return nil, 0, nil, err
	}
	m, err := x.resolveName(c.Context(), c.String("Member"), anyRecipient)
	if err != nil {
		return nil, 0, nil, err
	}
	return g, id, m, nil
}

type addDistributionGroupMember struct{ x *env }

func (addDistributionGroupMember) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Add-DistributionGroupMember", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Adds a member to a distribution group.",
		Examples: []powershell.Example{{Code: `Add-DistributionGroupMember "Sales Team" -Member adelev@contoso.com`}},
		Params:   memberParams(),
	}
}

func (a addDistributionGroupMember) Run(c *powershell.Call) error {
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	g, id, m, err := a.x.memberTarget(c)
	if err != nil {
		return err
	}
	if !c.ShouldProcess(g.DisplayName, "Add-DistributionGroupMember") {
		return nil
	}
	res, err := a.x.store.AddGroupMembers(c.Context(), admin, id, []uint{m.RecipientID})
	if err != nil {
		return call(c, err)
	}
	if res.Added == 0 {
		rec := powershell.ExchangeError(codeMemberExists, excMemberExists, powershell.NotSpecified,
			`The recipient "`+c.String("Member")+`" is already a member of the group "`+g.DisplayName+`".`)
		rec.Target = g.DisplayName
		return rec
	}
	return nil
}

type removeDistributionGroupMember struct{ x *env }

func (removeDistributionGroupMember) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Remove-DistributionGroupMember", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Takes a member out of a distribution group.",
		Params:   memberParams(),
	}
}

func (r removeDistributionGroupMember) Run(c *powershell.Call) error {
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	g, id, m, err := r.x.memberTarget(c)
	if err != nil {
		return err
	}
	if !models.CanManageGroup(admin, g.GroupType) {
		return deniedError{cmdlet: c.Name()}
	}
	members, err := r.x.store.DirectoryMembers(c.Context(), g.RecipientID)
	if err != nil {
		return err
	}
	found := false
	for _, e := range members {
		found = found || e.RecipientID == m.RecipientID
	}
	if !found {
		rec := powershell.ExchangeError(codeMemberMissing, excMemberNotFound, powershell.NotSpecified,
			`The recipient "`+c.String("Member")+`" isn't a member of the group "`+g.DisplayName+`".`)
		rec.Target = g.DisplayName
		return rec
	}
	if !c.ShouldProcess(g.DisplayName, "Remove-DistributionGroupMember") {
		return nil
	}
	return call(c, r.x.store.RemoveGroupMember(c.Context(), admin, id, m.RecipientID))
}
