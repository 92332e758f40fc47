package powershell

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The fake cmdlets below stand in for the Exchange ones in these tests: a tiny
// in-memory store of "things" with permissions, driven through the same
// declarations, binding and pipeline an Exchange cmdlet gets.

type thing struct {
	name, display, alias string
	shared, hidden       bool
	sendOnBehalf         []string
	perms                []thingPerm
	created              time.Time
	quota                int64
}

type thingPerm struct {
	user   string
	rights []string
}

type thingStore struct {
	things map[string]*thing
	order  []string
	calls  []string // "Cmdlet|actor|command text" of each change
}

func newThingStore() *thingStore { return &thingStore{things: map[string]*thing{}} }

var errThingNotFound = errors.New("thing not found")

func (s *thingStore) find(id IdentityArg) (*thing, error) {
	if t, ok := s.things[strings.ToLower(id.Text)]; ok {
		return t, nil
	}
	for _, n := range s.order {
		t := s.things[n]
		if strings.EqualFold(t.name, id.Text) || strings.EqualFold(t.alias, id.Text) {
			return t, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", errThingNotFound, id.Text)
}

func (s *thingStore) add(t *thing) {
	s.things[strings.ToLower(t.name)] = t
	s.order = append(s.order, strings.ToLower(t.name))
}

var thingType = &TypeInfo{
	Name: "Contoso.Thing",
	Table: []Column{
		{Property: "Name", Width: 20}, {Property: "Alias", Width: 10}, {Property: "RecipientTypeDetails", Label: "Type", Width: 14},
		{Property: "Quota"},
	},
}

var thingPermType = &TypeInfo{
	Name: "Contoso.ThingPermission",
	Table: []Column{
		{Property: "Identity", Width: 20}, {Property: "User", Width: 20}, {Property: "AccessRights", Width: 30},
		{Property: "IsInherited", Width: 11}, {Property: "Deny", Width: 5},
	},
}

func (t *thing) object() *Object {
	kind := "UserMailbox"
	if t.shared {
		kind = "SharedMailbox"
	}
	return NewObject(thingType).
		Set("Identity", t.name).Set("Name", t.name).Set("DisplayName", t.display).Set("Alias", t.alias).
		Set("RecipientTypeDetails", kind).Set("HiddenFromAddressListsEnabled", t.hidden).
		Set("GrantSendOnBehalfTo", append([]string{}, t.sendOnBehalf...)).Set("WhenCreated", t.created).
		Set("Quota", t.quota)
}

// mapThingError maps the store's errors once, as the Exchange package will.
func mapThingError(err error) *ErrorRecord {
	if errors.Is(err, errThingNotFound) {
		name := strings.TrimPrefix(err.Error(), errThingNotFound.Error()+": ")
		rec := ExchangeError("Ex6F9304", "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", ObjectNotFound,
			"The operation couldn't be performed because object '"+name+"' couldn't be found on 'contoso.test'.")
		rec.Target = name
		return rec
	}
	return nil
}

// denyReader refuses changes to the "reader" actor with Exchange's wording.
func denyReader(c *Call) error {
	if c.Actor() == "reader" {
		return ExchangeError("Ex0A2C3B", "Microsoft.Exchange.Configuration.Tasks.AccessDeniedException", PermissionDenied,
			"The user \"reader\" isn't assigned to any management roles that allow running "+c.Name()+".")
	}
	return nil
}

type newThing struct{ s *thingStore }

func (newThing) Meta() Meta {
	return Meta{
		Name: "New-Thing", Synopsis: "Creates a thing.", SupportsShouldProcess: true, Module: "Contoso",
		Params: []Param{
			{Name: "Name", Type: String, Mandatory: true, Position: At(0)},
			{Name: "DisplayName", Type: String},
			{Name: "Alias", Type: String},
			{Name: "Shared", Type: Switch},
			{Name: "Quota", Type: Int},
		},
	}
}

func (n newThing) Run(c *Call) error {
	if err := denyReader(c); err != nil {
		return err
	}
	t := &thing{name: c.String("Name"), display: c.String("DisplayName"), alias: c.String("Alias"), shared: c.Bool("Shared"),
		created: time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC), quota: c.Int("Quota")}
	if !c.ShouldProcess(t.name, "New-Thing") {
		return nil
	}
	n.s.add(t)
	n.s.calls = append(n.s.calls, fmt.Sprintf("New-Thing|%v|%s", c.Actor(), c.CommandText()))
	c.Write(t.object())
	return nil
}

type setThing struct{ s *thingStore }

func (setThing) Meta() Meta {
	return Meta{
		Name: "Set-Thing", Synopsis: "Changes a thing.", SupportsShouldProcess: true, Module: "Contoso",
		Params: []Param{
			{Name: "Identity", Type: Identity, Mandatory: true, Position: At(0), FromPipeline: true},
			{Name: "GrantSendOnBehalfTo", Type: MultiValued},
			{Name: "HiddenFromAddressListsEnabled", Type: Bool},
			{Name: "Type", Type: Enum, Values: []string{"Regular", "Shared"}},
			{Name: "DisplayName", Type: String},
			{Name: "ForwardingAddress", Type: String},
			{Name: "StartTime", Type: DateTime},
		},
	}
}

func (st setThing) Run(c *Call) error {
	if err := denyReader(c); err != nil {
		return err
	}
	t, err := st.s.find(c.Identity("Identity"))
	if err != nil {
		return err
	}
	if !c.ShouldProcess(t.name, "Set-Thing") {
		return nil
	}
	if c.Has("GrantSendOnBehalfTo") {
		m := c.Multi("GrantSendOnBehalfTo")
		if !m.Edit {
			t.sendOnBehalf = m.Replace
		}
		t.sendOnBehalf = append(t.sendOnBehalf, m.Add...)
		for _, r := range m.Remove {
			for i, x := range t.sendOnBehalf {
				if strings.EqualFold(x, r) {
					t.sendOnBehalf = append(t.sendOnBehalf[:i], t.sendOnBehalf[i+1:]...)
					break
				}
			}
		}
	}
	if c.Has("HiddenFromAddressListsEnabled") {
		t.hidden = c.Bool("HiddenFromAddressListsEnabled")
	}
	if c.Has("Type") {
		t.shared = c.String("Type") == "Shared"
	}
	if c.Has("DisplayName") {
		t.display = c.String("DisplayName")
	}
	st.s.calls = append(st.s.calls, fmt.Sprintf("Set-Thing|%v|%s", c.Actor(), c.CommandText()))
	if c.Downstream() {
		c.Write(t.object())
	}
	return nil
}

type addThingPermission struct{ s *thingStore }

func (addThingPermission) Meta() Meta {
	return Meta{
		Name: "Add-ThingPermission", Synopsis: "Grants a user rights on a thing.", SupportsShouldProcess: true, Module: "Contoso",
		Params: []Param{
			{Name: "Identity", Type: Identity, Mandatory: true, Position: At(0), FromPipeline: true},
			{Name: "User", Type: String, Mandatory: true, FromPropertyName: true},
			{Name: "AccessRights", Type: EnumList, Mandatory: true, FromPropertyName: true,
				Values: []string{"ChangeOwner", "ChangePermission", "DeleteItem", "ExternalAccount", "FullAccess", "ReadPermission"}},
			{Name: "InheritanceType", Type: Enum, Values: []string{"None", "All", "Descendents", "SelfAndChildren", "Children"}, Default: "All"},
			{Name: "AutoMapping", Type: Bool, Default: true},
		},
	}
}

func (a addThingPermission) Run(c *Call) error {
	if err := denyReader(c); err != nil {
		return err
	}
	t, err := a.s.find(c.Identity("Identity"))
	if err != nil {
		return err
	}
	user := c.String("User")
	for _, p := range t.perms {
		if strings.EqualFold(p.user, user) {
			c.WriteWarning("The appropriate access control entry is already present on the object \"" + t.name + "\" for account \"" + user + "\".")
			return nil
		}
	}
	if !c.ShouldProcess(t.name, "Add-ThingPermission") {
		return nil
	}
	c.WriteVerbose("Granting " + strings.Join(c.Strings("AccessRights"), ", ") + " on \"" + t.name + "\" to \"" + user + "\".")
	t.perms = append(t.perms, thingPerm{user: user, rights: c.Strings("AccessRights")})
	a.s.calls = append(a.s.calls, fmt.Sprintf("Add-ThingPermission|%v|%s|%s|%v", c.Actor(), c.String("InheritanceType"), c.CommandText(), c.Bool("AutoMapping")))
	c.Write(permObject(t, thingPerm{user: user, rights: c.Strings("AccessRights")}))
	return nil
}

func permObject(t *thing, p thingPerm) *Object {
	return NewObject(thingPermType).Set("Identity", t.name).Set("User", p.user).Set("AccessRights", p.rights).
		Set("IsInherited", false).Set("Deny", false)
}

type getThing struct{ s *thingStore }

func (getThing) Meta() Meta {
	return Meta{
		Name: "Get-Thing", Synopsis: "Lists things.", Module: "Contoso", DefaultSet: "Identity",
		Params: []Param{
			{Name: "Identity", Type: Identity, Position: At(0), FromPipeline: true, Sets: []string{"Identity"}},
			{Name: "Anr", Type: String, Sets: []string{"AnrSet"}},
			{Name: "ResultSize", Type: IntOrUnlimited, Default: Limit{N: 1000}},
			{Name: "RecipientTypeDetails", Type: EnumList, Values: []string{"UserMailbox", "SharedMailbox"}},
		},
	}
}

func (g getThing) Run(c *Call) error {
	if c.Has("Identity") {
		t, err := g.s.find(c.Identity("Identity"))
		if err != nil {
			return err
		}
		c.Write(t.object())
		return nil
	}
	limit := c.Limit("ResultSize")
	names := append([]string(nil), g.s.order...)
	sort.Strings(names)
	n := int64(0)
	for _, name := range names {
		t := g.s.things[name]
		if c.Has("Anr") && !strings.HasPrefix(strings.ToLower(t.name), strings.ToLower(c.String("Anr"))) {
			continue
		}
		if !limit.Unlimited && n >= limit.N {
			c.WriteWarning("By default, only the first " + limit.String() + " items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify \"-ResultSize Unlimited\".")
			break
		}
		c.Write(t.object())
		n++
	}
	return nil
}

type getThingPermission struct{ s *thingStore }

func (getThingPermission) Meta() Meta {
	return Meta{
		Name: "Get-ThingPermission", Synopsis: "Lists a thing's permissions.", Module: "Contoso",
		Params: []Param{{Name: "Identity", Type: Identity, Mandatory: true, Position: At(0), FromPipeline: true}},
	}
}

func (g getThingPermission) Run(c *Call) error {
	t, err := g.s.find(c.Identity("Identity"))
	if err != nil {
		return err
	}
	c.Write(permObject(t, thingPerm{user: `NT AUTHORITY\SELF`, rights: []string{"FullAccess", "ReadPermission"}}))
	for _, p := range t.perms {
		c.Write(permObject(t, p))
	}
	return nil
}

type removeThing struct{ s *thingStore }

func (removeThing) Meta() Meta {
	return Meta{
		Name: "Remove-Thing", Synopsis: "Removes a thing.", SupportsShouldProcess: true, Module: "Contoso",
		Params: []Param{{Name: "Identity", Type: Identity, Mandatory: true, Position: At(0), FromPipeline: true}},
	}
}

func (r removeThing) Run(c *Call) error {
	if err := denyReader(c); err != nil {
		return err
	}
	t, err := r.s.find(c.Identity("Identity"))
	if err != nil {
		return err
	}
	if !c.ShouldProcess(t.name, "Remove-Thing") {
		return nil
	}
	delete(r.s.things, strings.ToLower(t.name))
	for i, n := range r.s.order {
		if n == strings.ToLower(t.name) {
			r.s.order = append(r.s.order[:i], r.s.order[i+1:]...)
			break
		}
	}
	return nil
}

// testEngine returns an engine with the utility cmdlets and the fake ones over a
// fresh store.
func testEngine() (*Engine, *thingStore) {
	s := newThingStore()
	reg := NewRegistry()
	reg.Register(newThing{s}, setThing{s}, addThingPermission{s}, getThing{s}, getThingPermission{s}, removeThing{s})
	reg.MapError = func(_ context.Context, err error) *ErrorRecord { return mapThingError(err) }
	return New(reg), s
}
