package exchange

import (
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// The read-only directory cmdlets: Get-Recipient, Get-User, Get-DistributionGroup
// and Get-DistributionGroupMember. The group changes are in groups.go.

// listParams are -Identity (optional), -Anr, -RecipientTypeDetails and -ResultSize.
func listParams(types []models.DirectoryType, what string) []powershell.Param {
	id := identityParam
	id.Mandatory, id.Sets = false, []string{"Identity"}
	id.Help = "The " + what + ": its name, alias, any email address or ExternalDirectoryObjectId."
	values := make([]string, len(types))
	for i, t := range types {
		values[i] = string(t)
	}
	return []powershell.Param{
		id,
		{Name: "Anr", Type: powershell.String, Sets: []string{"AnrSet"}, Help: "Finds " + what + "s whose name, alias or address starts with the text."},
		{Name: "RecipientTypeDetails", Type: powershell.EnumList, Values: values},
		resultSizeParam,
	}
}

// getOrList writes the one recipient -Identity names, or the list.
func (x *env) getOrList(c *powershell.Call, types []models.DirectoryType, build func(*models.DirectoryEntry) *powershell.Object) error {
	scope := models.DirectoryQuery{Types: types}
	if c.Has("Identity") {
		e, err := x.resolve(c.Context(), c.Identity("Identity"), scope)
		if err != nil {
			return err
		}
		c.Write(build(e))
		return nil
	}
	return x.list(c, models.DirectoryQuery{Types: typesOf(c, types)}, build)
}

type getRecipient struct{ x *env }

func (getRecipient) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-Recipient", Module: Module, DefaultSet: "Identity",
		Synopsis: "Lists mail-enabled recipients: mailboxes and mail-enabled groups.",
		Params:   listParams(mailEnabled.Types, "recipient"),
	}
}

func (g getRecipient) Run(c *powershell.Call) error {
	return g.x.getOrList(c, mailEnabled.Types, recipientObject)
}

type getUser struct{ x *env }

func (getUser) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-User", Module: Module, DefaultSet: "Identity",
		Synopsis: "Lists people's accounts, with or without a mailbox, and shared mailboxes' accounts.",
		Params:   listParams(people.Types, "user"),
	}
}

func (g getUser) Run(c *powershell.Call) error {
	return g.x.getOrList(c, people.Types, userObject)
}

type getDistributionGroup struct{ x *env }

func (getDistributionGroup) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-DistributionGroup", Module: Module, DefaultSet: "Identity",
		Synopsis: "Lists distribution groups and mail-enabled security groups.",
		Params:   listParams(mailGroups.Types, "group"),
	}
}

func (g getDistributionGroup) Run(c *powershell.Call) error {
	if c.Has("Identity") {
		_, id, err := g.x.resolveGroup(c)
		if err != nil {
			return err
		}
		return g.x.writeGroup(c, id)
	}
	return g.x.getOrList(c, mailGroups.Types, groupObject)
}

type getDistributionGroupMember struct{ x *env }

func (getDistributionGroupMember) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-DistributionGroupMember", Module: Module,
		Synopsis: "Lists a group's members.",
		Params: []powershell.Param{
			{Name: "Identity", Type: powershell.Identity, Mandatory: true, Position: powershell.At(0), FromPipeline: true,
				Help: "The group: its name, alias, any email address or ExternalDirectoryObjectId."},
			resultSizeParam,
		},
	}
}

func (g getDistributionGroupMember) Run(c *powershell.Call) error {
	grp, err := g.x.resolve(c.Context(), c.Identity("Identity"), mailGroups)
	if err != nil {
		return err
	}
	members, err := g.x.store.DirectoryMembers(c.Context(), grp.RecipientID)
	if err != nil {
		return err
	}
	limit := resultSize(c)
	for i, m := range members {
		if limit > 0 && i == limit {
			c.WriteWarning(limitWarning(c))
			break
		}
		c.Write(recipientObject(m))
	}
	return nil
}

var unifiedGroups = []models.DirectoryType{models.TypeM365Group}

var unifiedGroupType = &powershell.TypeInfo{
	Name:  "Microsoft.Exchange.Data.Directory.Management.UnifiedGroup",
	Table: []powershell.Column{{Property: "Name", Width: 30}, {Property: "Alias", Width: 20}, {Property: "PrimarySmtpAddress"}},
}

// unifiedGroupObject is a Microsoft 365 group as Get-UnifiedGroup returns it.
func unifiedGroupObject(e *models.DirectoryEntry) *powershell.Object {
	return powershell.NewObject(unifiedGroupType).
		Set("Identity", e.DisplayName).
		Set("Name", e.DisplayName).
		Set("DisplayName", e.DisplayName).
		Set("Alias", e.Alias()).
		Set("PrimarySmtpAddress", e.PrimaryAddress()).
		Set("EmailAddresses", emailAddresses(e)).
		Set("RecipientType", recipientTypeOf(e)).
		Set("RecipientTypeDetails", string(e.Type())).
		Set("ExternalDirectoryObjectId", e.ObjectID()).
		Set("WhenCreated", e.CreatedAt.UTC())
}

type getUnifiedGroup struct{ x *env }

func (getUnifiedGroup) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-UnifiedGroup", Module: Module, DefaultSet: "Identity",
		Synopsis:    "Lists Microsoft 365 groups, or shows one.",
		Description: "Read only here: Microsoft 365 groups are made and changed in Teams & groups.",
		Params:      listParams(unifiedGroups, "Microsoft 365 group"),
	}
}

func (g getUnifiedGroup) Run(c *powershell.Call) error {
	return g.x.getOrList(c, unifiedGroups, unifiedGroupObject)
}
