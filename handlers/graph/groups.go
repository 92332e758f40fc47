package graph

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/handlers/odata"
	"github.com/contoso/admincenter/models"
)

// Groups as Graph shows them. The four kinds of group map onto Graph's flags:
// Microsoft 365 groupTypes ["Unified"], mail-enabled and not security-enabled; a
// security group security-enabled only; a mail-enabled security group both; a
// distribution list mail-enabled only.

var allGroupTypes = []models.GroupType{models.GroupM365, models.GroupSecurity, models.GroupMailSecurity, models.GroupDistribution}

func groupTypesOf(t models.GroupType) []string {
	if t == models.GroupM365 {
		return []string{"Unified"}
	}
	return []string{}
}

func securityEnabled(t models.GroupType) bool {
	return t == models.GroupSecurity || t == models.GroupMailSecurity
}

// groupProps are the group properties served, in Graph's order.
var groupProps = []string{"id", "createdDateTime", "description", "displayName", "groupTypes", "mail", "mailEnabled",
	"mailNickname", "securityEnabled", "visibility"}

func groupValue(g *models.GraphGroup, name string) any {
	switch name {
	case "id":
		return models.ObjectID(g.RecipientID)
	case "createdDateTime":
		return g.CreatedAt.UTC().Format(time.RFC3339)
	case "description":
		return nullable(g.Description)
	case "displayName":
		return g.DisplayName
	case "groupTypes":
		return groupTypesOf(g.Type)
	case "mail":
		return nullable(g.Mail)
	case "mailEnabled":
		return g.Type.MailEnabled()
	case "mailNickname":
		alias := g.Alias
		if alias == "" {
			return "00000000-0000-0000-0000-000000000000"
		}
		return alias
	case "securityEnabled":
		return securityEnabled(g.Type)
	case "visibility":
		if g.Type == models.GroupM365 {
			return "Public"
		}
		return nil
	}
	return nil
}

func groupObject(g *models.GraphGroup, sel []string) object {
	names := groupProps
	if len(sel) > 0 {
		names = make([]string, len(sel))
		for i, s := range sel {
			names[i] = canonical(groupProps, s)
		}
	}
	o := make(object, 0, len(names))
	for _, n := range names {
		o = append(o, prop{n, groupValue(g, n)})
	}
	return o
}

// matchGroupType evaluates a group $filter on a kind of group: the filterable
// properties depend on the kind alone.
func matchGroupType(e *expr, t models.GroupType) (bool, error) {
	switch e.op {
	case "and", "or":
		l, err := matchGroupType(e.args[0], t)
		if err != nil {
			return false, err
		}
		r, err := matchGroupType(e.args[1], t)
		if err != nil {
			return false, err
		}
		if e.op == "and" {
			return l && r, nil
		}
		return l || r, nil
	case "not":
		v, err := matchGroupType(e.args[0], t)
		return !v, err
	}
	unsupported := fail(http.StatusBadRequest, "Request_UnsupportedQuery",
		"Unsupported or invalid query filter clause specified for property '"+e.field+"' of resource 'Group'.")
	var have any
	switch strings.ToLower(e.field) {
	case "mailenabled":
		have = t.MailEnabled()
	case "securityenabled":
		have = securityEnabled(t)
	case "grouptypes":
		have = ""
		if t == models.GroupM365 {
			have = "unified"
		}
	default:
		return false, unsupported
	}
	match := false
	for _, v := range e.values {
		if s, ok := v.(string); ok {
			v = strings.ToLower(s)
		}
		if v == have {
			match = true
		}
	}
	switch e.op {
	case "eq", "in":
		return match, nil
	case "ne":
		return !match, nil
	}
	return false, unsupported
}

// ListGroups answers GET /v1.0/groups.
func (a *API) ListGroups(c echo.Context) error {
	o, err := readOptions(c, 100)
	if err != nil {
		return err
	}
	if err := checkSelect(o.sel, groupProps, "group"); err != nil {
		return err
	}
	if o.orderBy != "" && !strings.EqualFold(o.orderBy, "displayName") || o.desc {
		return fail(http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported sort property '"+o.orderBy+"' for '$orderby'.")
	}
	types := allGroupTypes
	if o.filter != nil {
		types = nil
		for _, t := range allGroupTypes {
			ok, err := matchGroupType(o.filter, t)
			if err != nil {
				return err
			}
			if ok {
				types = append(types, t)
			}
		}
	}
	cur, err := readCursor(c, o.token)
	if err != nil {
		return err
	}
	var afterKey string
	var afterID uint
	if cur != nil {
		afterKey, afterID = cur.Key, cur.ID
	}
	ctx := c.Request().Context()
	groups, more, err := a.store.GraphGroups(ctx, types, o.search, afterKey, afterID, o.top)
	if err != nil {
		return err
	}
	page := listPage{Context: a.contextURL(c, "groups"+selectSuffix(o.sel)), Value: make([]object, len(groups))}
	for i := range groups {
		page.Value[i] = groupObject(&groups[i], o.sel)
	}
	if o.count && cur == nil {
		n, err := a.store.CountGraphGroups(ctx, types, o.search)
		if err != nil {
			return err
		}
		page.Count = &n
	}
	if more {
		last := groups[len(groups)-1]
		page.NextLink = a.nextLink(c, last.SortKey, last.GroupID)
	}
	return writeJSON(c, http.StatusOK, page)
}

// group loads the group the path names.
func (a *API) group(c echo.Context) (*models.GraphGroup, error) {
	id := c.Param("id")
	rid, ok := models.RecipientIDOfObjectID(id)
	if !ok {
		return nil, notFound(id)
	}
	g, err := a.store.GraphGroupByRecipient(c.Request().Context(), rid)
	if err != nil {
		return nil, modelError(c.Request().Context(), err, id)
	}
	return g, nil
}

// GetGroup answers GET /v1.0/groups/{id}.
func (a *API) GetGroup(c echo.Context) error {
	sel := odata.Select(c.QueryParam("$select"))
	if err := checkSelect(sel, groupProps, "group"); err != nil {
		return err
	}
	g, err := a.group(c)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, append(object{{"@odata.context", a.contextURL(c, "groups"+selectSuffix(sel)+"/$entity")}}, groupObject(g, sel)...))
}

// newGroup is the body of POST /groups.
type newGroup struct {
	DisplayName     string   `json:"displayName"`
	Description     string   `json:"description"`
	MailEnabled     *bool    `json:"mailEnabled"`
	MailNickname    string   `json:"mailNickname"`
	SecurityEnabled *bool    `json:"securityEnabled"`
	GroupTypes      []string `json:"groupTypes"`
	Owners          []string `json:"owners@odata.bind"`
	Members         []string `json:"members@odata.bind"`
}

// CreateGroup answers POST /v1.0/groups: 201 with the new group.
func (a *API) CreateGroup(c echo.Context) error {
	var in newGroup
	if err := readJSON(c, &in); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(in.DisplayName) == "":
		return badRequest("Invalid value specified for property 'displayName' of resource 'Group'.")
	case in.MailEnabled == nil:
		return badRequest("Invalid value specified for property 'mailEnabled' of resource 'Group'.")
	case in.SecurityEnabled == nil:
		return badRequest("Invalid value specified for property 'securityEnabled' of resource 'Group'.")
	case strings.TrimSpace(in.MailNickname) == "":
		return badRequest("Invalid value specified for property 'mailNickname' of resource 'Group'.")
	}
	unified := slices.ContainsFunc(in.GroupTypes, func(s string) bool { return strings.EqualFold(s, "Unified") })
	var t models.GroupType
	switch {
	case unified:
		t = models.GroupM365
	case *in.MailEnabled && *in.SecurityEnabled:
		t = models.GroupMailSecurity
	case *in.MailEnabled:
		t = models.GroupDistribution
	case *in.SecurityEnabled:
		t = models.GroupSecurity
	default:
		return badRequest("A group must be mail-enabled, security-enabled or both.")
	}
	owners, err := boundIDs(in.Owners)
	if err != nil {
		return err
	}
	members, err := boundIDs(in.Members)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	domain, err := a.store.DefaultDomain(ctx)
	if err != nil {
		return err
	}
	id, err := a.store.CreateGroup(ctx, apiauth.Actor(c), models.NewGroup{Type: t, Name: in.DisplayName, Description: in.Description,
		Alias: in.MailNickname, Domain: domain, OwnerIDs: owners, MemberIDs: members,
		// Graph lets two groups share a displayName; only mailNickname must be free.
		DuplicateNameAllowed: true})
	if err != nil {
		return modelError(ctx, err, in.DisplayName)
	}
	rid, err := a.store.GroupRecipientID(ctx, id)
	if err != nil {
		return err
	}
	g, err := a.store.GraphGroupByRecipient(ctx, rid)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", a.root(c)+"groups/"+models.ObjectID(rid))
	return writeJSON(c, http.StatusCreated, append(object{{"@odata.context", a.contextURL(c, "groups/$entity")}}, groupObject(g, nil)...))
}

// boundIDs reads @odata.bind references (".../directoryObjects/{id}",
// ".../users/{id}") as recipient ids.
func boundIDs(refs []string) ([]uint, error) {
	var out []uint
	for _, ref := range refs {
		id, err := refID(ref)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

func refID(ref string) (uint, error) {
	ref = strings.TrimSuffix(strings.TrimSpace(ref), "/")
	last := ref[strings.LastIndex(ref, "/")+1:]
	last = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(last, "directoryObjects('"), "users('"), "')")
	rid, ok := models.RecipientIDOfObjectID(last)
	if !ok {
		return 0, badRequest("Invalid object identifier '" + last + "'.")
	}
	return rid, nil
}

// directoryObject is a member or owner: a user, group or contact.
func directoryObject(m models.Candidate) object {
	t := "#microsoft.graph.user"
	switch m.Kind {
	case models.KindGroup:
		t = "#microsoft.graph.group"
	case models.KindContact:
		t = "#microsoft.graph.orgContact"
	}
	return object{{"@odata.type", t}, {"id", models.ObjectID(m.RecipientID)}, {"displayName", m.DisplayName}, {"mail", nullable(m.Address)}}
}

// ListMembers answers GET /v1.0/groups/{id}/members.
func (a *API) ListMembers(c echo.Context) error { return a.listLinked(c, "members") }

// ListOwners answers GET /v1.0/groups/{id}/owners.
func (a *API) ListOwners(c echo.Context) error { return a.listLinked(c, "owners") }

// listLinked pages a group's members or owners by keyset on (name, id), in SQL.
func (a *API) listLinked(c echo.Context, which string) error {
	o, err := readOptions(c, 100)
	if err != nil {
		return err
	}
	g, err := a.group(c)
	if err != nil {
		return err
	}
	cur, err := readCursor(c, o.token)
	if err != nil {
		return err
	}
	q := models.GraphLinkQuery{GroupID: g.GroupID, Owners: which == "owners", Limit: o.top}
	if cur != nil {
		q.AfterKey, q.AfterID = cur.Key, cur.ID
	}
	ctx := c.Request().Context()
	links, more, err := a.store.GraphGroupLinks(ctx, q)
	if err != nil {
		return err
	}
	page := listPage{Context: a.contextURL(c, "directoryObjects"), Value: make([]object, len(links))}
	for i, m := range links {
		page.Value[i] = directoryObject(m.Candidate)
	}
	if o.count && cur == nil {
		n, err := a.store.CountGraphGroupLinks(ctx, q)
		if err != nil {
			return err
		}
		page.Count = &n
	}
	if more {
		last := links[len(links)-1]
		page.NextLink = a.nextLink(c, last.SortKey, last.RecipientID)
	}
	return writeJSON(c, http.StatusOK, page)
}

type refBody struct {
	ODataID string `json:"@odata.id"`
}

// AddMember answers POST /v1.0/groups/{id}/members/$ref: 204, or 400 when the
// object already is a member.
func (a *API) AddMember(c echo.Context) error {
	var in refBody
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.ODataID == "" {
		return badRequest("The request body has no @odata.id.")
	}
	rid, err := refID(in.ODataID)
	if err != nil {
		return err
	}
	g, err := a.group(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := a.store.RecipientKindOf(ctx, rid); err != nil {
		return modelError(ctx, err, models.ObjectID(rid))
	}
	res, err := a.store.AddGroupMembers(ctx, apiauth.Actor(c), g.GroupID, []uint{rid})
	if err != nil {
		return modelError(ctx, err, models.ObjectID(rid))
	}
	if res.Added == 0 {
		return badRequest("One or more added object references already exist for the following modified properties: 'members'.")
	}
	return c.NoContent(http.StatusNoContent)
}

// RemoveMember answers DELETE /v1.0/groups/{id}/members/{memberId}/$ref: 204, or
// 404 when the object isn't a member.
func (a *API) RemoveMember(c echo.Context) error {
	g, err := a.group(c)
	if err != nil {
		return err
	}
	mid := c.Param("member")
	rid, ok := models.RecipientIDOfObjectID(mid)
	if !ok {
		return notFound(mid)
	}
	ctx := c.Request().Context()
	member, err := a.store.GraphGroupLinked(ctx, models.GraphLinkQuery{GroupID: g.GroupID}, rid)
	if err != nil {
		return err
	}
	if !member {
		return notFound(mid)
	}
	if err := a.store.RemoveGroupMember(ctx, apiauth.Actor(c), g.GroupID, rid); err != nil {
		return modelError(ctx, err, mid)
	}
	return c.NoContent(http.StatusNoContent)
}

// MemberOf answers GET /v1.0/users/{id}/memberOf: the groups the user is a
// direct member of, paged by keyset like the other lists.
func (a *API) MemberOf(c echo.Context) error {
	o, err := readOptions(c, 100)
	if err != nil {
		return err
	}
	u, err := a.user(c)
	if err != nil {
		return err
	}
	cur, err := readCursor(c, o.token)
	if err != nil {
		return err
	}
	var afterKey string
	var afterID uint
	if cur != nil {
		afterKey, afterID = cur.Key, cur.ID
	}
	ctx := c.Request().Context()
	groups, more, err := a.store.GraphGroupsOf(ctx, u.RecipientID, afterKey, afterID, o.top)
	if err != nil {
		return err
	}
	page := listPage{Context: a.contextURL(c, "directoryObjects"), Value: make([]object, len(groups))}
	for i := range groups {
		page.Value[i] = append(object{{"@odata.type", "#microsoft.graph.group"}}, groupObject(&groups[i], nil)...)
	}
	if o.count && cur == nil {
		n, err := a.store.CountGraphGroupsOf(ctx, u.RecipientID)
		if err != nil {
			return err
		}
		page.Count = &n
	}
	if more {
		last := groups[len(groups)-1]
		page.NextLink = a.nextLink(c, last.SortKey, last.GroupID)
	}
	return writeJSON(c, http.StatusOK, page)
}
