package graph

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/handlers/odata"
	"github.com/contoso/admincenter/models"
)

// userProps are the user properties served, in Graph's order; defaultUserProps
// those a user has without $select.
var (
	userProps = []string{"id", "accountEnabled", "assignedLicenses", "businessPhones", "createdDateTime", "department",
		"displayName", "givenName", "jobTitle", "mail", "mailNickname", "mobilePhone", "officeLocation",
		"preferredLanguage", "surname", "usageLocation", "userPrincipalName"}
	defaultUserProps = []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
		"officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"}
)

// assignedLicense is one of a user's licences.
type assignedLicense struct {
	DisabledPlans []string `json:"disabledPlans"`
	SkuID         string   `json:"skuId"`
}

// userValue is the value of one user property.
func userValue(u *models.GraphUser, name string) any {
	switch name {
	case "id":
		return u.ID()
	case "accountEnabled":
		return u.AccountEnabled
	case "assignedLicenses":
		out := make([]assignedLicense, len(u.SKUs))
		for i, sku := range u.SKUs {
			out[i] = assignedLicense{DisabledPlans: []string{}, SkuID: models.SkuID(sku)}
		}
		return out
	case "businessPhones":
		return []string{}
	case "createdDateTime":
		return u.CreatedAt.UTC().Format(time.RFC3339)
	case "department":
		return nullable(u.Department)
	case "displayName":
		return nullable(u.DisplayName)
	case "givenName":
		return nullable(u.GivenName)
	case "jobTitle":
		return nullable(u.JobTitle)
	case "mail":
		return nullable(u.Mail)
	case "mailNickname":
		return nullable(u.Alias)
	case "surname":
		return nullable(u.Surname)
	case "usageLocation":
		return nullable(u.UsageLocation)
	case "userPrincipalName":
		return u.UserPrincipalName
	}
	return nil // mobilePhone, officeLocation, preferredLanguage: not kept here
}

// checkSelect refuses a property the resource doesn't have.
func checkSelect(sel, props []string, resource string) error {
	for _, s := range sel {
		if !slices.ContainsFunc(props, func(p string) bool { return strings.EqualFold(p, s) }) {
			return badRequest("Could not find a property named '" + s + "' on type 'microsoft.graph." + resource + "'.")
		}
	}
	return nil
}

// canonical returns the property's name as Graph spells it.
func canonical(props []string, s string) string {
	for _, p := range props {
		if strings.EqualFold(p, s) {
			return p
		}
	}
	return s
}

// userDetails are the details of a person that properties show, each read only
// when its property is written.
var userDetails = map[string]models.GraphUserDetails{
	"displayName": models.DetailDisplayName, "givenName": models.DetailGivenName, "surname": models.DetailSurname,
	"jobTitle": models.DetailJobTitle, "department": models.DetailDepartment, "mail": models.DetailMail,
	"mailNickname": models.DetailAlias, "usageLocation": models.DetailUsageLocation,
	"accountEnabled": models.DetailAccountEnabled, "createdDateTime": models.DetailCreatedAt,
}

// detailsNotWritten are the details no property of names shows.
func detailsNotWritten(names []string) models.GraphUserDetails {
	var leave models.GraphUserDetails
	for p, d := range userDetails {
		if !slices.Contains(names, p) {
			leave |= d
		}
	}
	return leave
}

// userNames are the properties written of each user: the selected ones as Graph
// spells them, or the default ones without $select.
func userNames(sel []string) []string {
	if len(sel) == 0 {
		return defaultUserProps
	}
	names := make([]string, len(sel))
	for i, s := range sel {
		names[i] = canonical(userProps, s)
	}
	return names
}

// userObject is a user with the selected properties (the default ones without
// $select).
func userObject(u *models.GraphUser, sel []string) object {
	names := userNames(sel)
	o := make(object, 0, len(names))
	for _, n := range names {
		o = append(o, prop{n, userValue(u, n)})
	}
	return o
}

// listPage is a page of a collection.
type listPage struct {
	Context  string   `json:"@odata.context"`
	Count    *int64   `json:"@odata.count,omitempty"`
	NextLink string   `json:"@odata.nextLink,omitempty"`
	Value    []object `json:"value"`
	// items, when set, write the value instead of Value.
	items jsonItems
}

// userItems are a page of people, each written with the named properties.
type userItems struct {
	users []models.GraphUser
	names []string
	// keys are the names as JSON object keys with their colon, after a comma
	// but the first: written once per page rather than once per person.
	keys [][]byte
}

// newUserItems are the people written with the named properties.
func newUserItems(users []models.GraphUser, names []string) userItems {
	keys := make([][]byte, len(names))
	for j, n := range names {
		if j > 0 {
			keys[j] = append(keys[j], ',')
		}
		keys[j] = append(appendString(keys[j], n), ':')
	}
	return userItems{users: users, names: names, keys: keys}
}

func (l userItems) len() int { return len(l.users) }

// size is about the bytes of the people written: enough for most pages at once.
func (l userItems) size() int { return len(l.users) * (64 + 32*len(l.names)) }

// appendItem writes one user as userObject's object writes: every value as
// userValue gives it.
func (l userItems) appendItem(b []byte, i int) ([]byte, error) {
	u := &l.users[i]
	b = append(b, '{')
	for j, n := range l.names {
		b = append(b, l.keys[j]...)
		switch n {
		case "id":
			// An object id is hex digits and dashes: nothing to escape.
			b = append(b, '"')
			b = models.AppendObjectID(b, u.RecipientID)
			b = append(b, '"')
		case "accountEnabled":
			b = strconv.AppendBool(b, u.AccountEnabled)
		case "assignedLicenses":
			b = append(b, '[')
			for k, sku := range u.SKUs {
				if k > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"disabledPlans":[],"skuId":`...)
				b = appendString(b, models.SkuID(sku))
				b = append(b, '}')
			}
			b = append(b, ']')
		case "businessPhones":
			b = append(b, "[]"...)
		case "createdDateTime":
			// RFC 3339 in UTC is digits, '-', ':', 'T' and 'Z': nothing to escape.
			b = append(b, '"')
			b = u.CreatedAt.UTC().AppendFormat(b, time.RFC3339)
			b = append(b, '"')
		case "userPrincipalName":
			b = appendString(b, u.UserPrincipalName)
		case "department":
			b = appendNullable(b, u.Department)
		case "displayName":
			b = appendNullable(b, u.DisplayName)
		case "givenName":
			b = appendNullable(b, u.GivenName)
		case "jobTitle":
			b = appendNullable(b, u.JobTitle)
		case "mail":
			b = appendNullable(b, u.Mail)
		case "mailNickname":
			b = appendNullable(b, u.Alias)
		case "surname":
			b = appendNullable(b, u.Surname)
		case "usageLocation":
			b = appendNullable(b, u.UsageLocation)
		default:
			var err error
			if b, err = appendValue(b, userValue(u, n)); err != nil {
				return nil, err
			}
		}
	}
	return append(b, '}'), nil
}

// ListUsers answers GET /v1.0/users.
func (a *API) ListUsers(c echo.Context) error {
	o, err := readOptions(c, 100)
	if err != nil {
		return err
	}
	if err := checkSelect(o.sel, userProps, "user"); err != nil {
		return err
	}
	q := models.GraphUserQuery{Search: o.search, Desc: o.desc, Limit: o.top}
	switch strings.ToLower(o.orderBy) {
	case "", "displayname":
	case "userprincipalname":
		q.ByUPN = true
	default:
		return fail(http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported sort property '"+o.orderBy+"' for '$orderby'.")
	}
	if o.filter != nil {
		if q.Where, err = userCond(o.filter); err != nil {
			return err
		}
	}
	cur, err := readCursor(c, o.token)
	if err != nil {
		return err
	}
	if cur != nil {
		q.AfterKey, q.AfterID = cur.Key, cur.ID
	}
	names := userNames(o.sel)
	q.WithoutLicenses = !slices.Contains(names, "assignedLicenses")
	q.LeaveOut = detailsNotWritten(names)
	ctx := c.Request().Context()
	users, more, err := a.store.GraphUsers(ctx, q)
	if err != nil {
		return err
	}
	page := listPage{Context: a.contextURL(c, "users"+selectSuffix(o.sel)), items: newUserItems(users, names)}
	if o.count && cur == nil {
		n, err := a.store.CountGraphUsers(ctx, q)
		if err != nil {
			return err
		}
		page.Count = &n
	}
	if more {
		last := users[len(users)-1]
		page.NextLink = a.nextLink(c, last.SortKey, last.UserID)
	}
	return writeJSON(c, http.StatusOK, page)
}

func selectSuffix(sel []string) string {
	if len(sel) == 0 {
		return ""
	}
	return "(" + strings.Join(sel, ",") + ")"
}

// CountUsers answers GET /v1.0/users/$count as text.
func (a *API) CountUsers(c echo.Context) error {
	o, err := readOptions(c, 100)
	if err != nil {
		return err
	}
	if !o.eventual {
		return fail(http.StatusBadRequest, "Request_BadRequest",
			"Count is not currently supported without the header 'ConsistencyLevel: eventual'.")
	}
	q := models.GraphUserQuery{Search: o.search}
	if o.filter != nil {
		if q.Where, err = userCond(o.filter); err != nil {
			return err
		}
	}
	n, err := a.store.CountGraphUsers(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/plain;charset=utf-8", []byte(strconv.FormatInt(n, 10)))
}

// userFields are the properties a user $filter may test.
var userFields = map[string]models.UserField{
	"displayname": models.FieldDisplayName, "userprincipalname": models.FieldUPN, "mail": models.FieldMail,
	"givenname": models.FieldGivenName, "surname": models.FieldSurname, "jobtitle": models.FieldJobTitle,
	"department": models.FieldDepartment, "accountenabled": models.FieldEnabled, "usagelocation": models.FieldLocation,
	"assignedlicenses/skuid": models.FieldLicense,
}

// userCond turns a $filter into the models' condition, refusing what Graph
// refuses on users.
func userCond(e *expr) (*models.UserCond, error) {
	switch e.op {
	case "and", "or", "not":
		out := &models.UserCond{Op: models.CondOp(e.op)}
		for _, a := range e.args {
			c, err := userCond(a)
			if err != nil {
				return nil, err
			}
			out.Args = append(out.Args, c)
		}
		return out, nil
	}
	f, ok := userFields[strings.ToLower(e.field)]
	if !ok {
		return nil, fail(http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property '"+e.field+"' of resource 'User'.")
	}
	if (f == models.FieldEnabled) != isBool(e.values[0]) || (f == models.FieldLicense && e.op != "eq") {
		return nil, fail(http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property '"+e.field+"' of resource 'User'.")
	}
	if f == models.FieldEnabled && e.op != "eq" && e.op != "ne" {
		return nil, fail(http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property '"+e.field+"' of resource 'User'.")
	}
	return &models.UserCond{Op: models.CondOp(e.op), Field: f, Values: e.values}, nil
}

func isBool(v any) bool { _, ok := v.(bool); return ok }

// GetUser answers GET /v1.0/users/{id | userPrincipalName}.
func (a *API) GetUser(c echo.Context) error {
	sel := odata.Select(c.QueryParam("$select"))
	if err := checkSelect(sel, userProps, "user"); err != nil {
		return err
	}
	u, err := a.user(c)
	if err != nil {
		return err
	}
	body := append(object{{"@odata.context", a.contextURL(c, "users"+selectSuffix(sel)+"/$entity")}}, userObject(u, sel)...)
	return writeJSON(c, http.StatusOK, body)
}

// user loads the user the path names.
func (a *API) user(c echo.Context) (*models.GraphUser, error) {
	id := c.Param("id")
	if un, err := url.PathUnescape(id); err == nil {
		id = un
	}
	u, err := a.store.GraphUser(c.Request().Context(), id)
	if err != nil {
		return nil, modelError(c.Request().Context(), err, id)
	}
	return u, nil
}

// newUser is the body of POST /users.
type newUser struct {
	AccountEnabled    *bool  `json:"accountEnabled"`
	DisplayName       string `json:"displayName"`
	MailNickname      string `json:"mailNickname"`
	UserPrincipalName string `json:"userPrincipalName"`
	GivenName         string `json:"givenName"`
	Surname           string `json:"surname"`
	JobTitle          string `json:"jobTitle"`
	Department        string `json:"department"`
	UsageLocation     string `json:"usageLocation"`
	PasswordProfile   *struct {
		Password                      string `json:"password"`
		ForceChangePasswordNextSignIn *bool  `json:"forceChangePasswordNextSignIn"`
	} `json:"passwordProfile"`
}

// CreateUser answers POST /v1.0/users: 201 with the new user.
func (a *API) CreateUser(c echo.Context) error {
	var in newUser
	if err := readJSON(c, &in); err != nil {
		return err
	}
	switch {
	case in.AccountEnabled == nil:
		return badRequest("Invalid value specified for property 'accountEnabled' of resource 'User'.")
	case strings.TrimSpace(in.DisplayName) == "":
		return badRequest("Invalid value specified for property 'displayName' of resource 'User'.")
	case strings.TrimSpace(in.MailNickname) == "":
		return badRequest("Invalid value specified for property 'mailNickname' of resource 'User'.")
	case !strings.Contains(in.UserPrincipalName, "@"):
		return badRequest("Invalid value specified for property 'userPrincipalName' of resource 'User'.")
	case in.PasswordProfile == nil || in.PasswordProfile.Password == "":
		return badRequest("A password must be specified to create a new user.")
	}
	ctx := c.Request().Context()
	alias, domain := models.SplitAddress(strings.TrimSpace(in.UserPrincipalName))
	force := in.PasswordProfile.ForceChangePasswordNextSignIn == nil || *in.PasswordProfile.ForceChangePasswordNextSignIn
	if _, _, err := a.store.CreateUser(ctx, apiauth.Actor(c), models.NewUser{
		FirstName: in.GivenName, LastName: in.Surname, DisplayName: in.DisplayName, Alias: alias, Domain: domain,
		Password: models.TypedPassword(in.PasswordProfile.Password), MustChange: force,
		JobTitle: in.JobTitle, Department: in.Department, UsageLocation: in.UsageLocation, SignInBlocked: !*in.AccountEnabled,
	}); err != nil {
		return modelError(ctx, err, in.UserPrincipalName)
	}
	u, err := a.store.GraphUser(ctx, in.UserPrincipalName)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", a.root(c)+"users/"+u.ID())
	body := append(object{{"@odata.context", a.contextURL(c, "users/$entity")}}, userObject(u, nil)...)
	return writeJSON(c, http.StatusCreated, body)
}

// userPatch is the body of PATCH /users/{id}: only the properties sent change.
type userPatch struct {
	AccountEnabled    *bool   `json:"accountEnabled"`
	DisplayName       *string `json:"displayName"`
	GivenName         *string `json:"givenName"`
	Surname           *string `json:"surname"`
	JobTitle          *string `json:"jobTitle"`
	Department        *string `json:"department"`
	UserPrincipalName *string `json:"userPrincipalName"`
	UsageLocation     *string `json:"usageLocation"`
}

// UpdateUser answers PATCH /v1.0/users/{id}: 204. Every property sent changes in
// one models call, so a property refused leaves the others unchanged too.
func (a *API) UpdateUser(c echo.Context) error {
	var in userPatch
	if err := readJSON(c, &in); err != nil {
		return err
	}
	u, err := a.user(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := a.store.ChangeUser(ctx, apiauth.Actor(c), u.UserID, models.UserChange{
		DisplayName: in.DisplayName, GivenName: in.GivenName, Surname: in.Surname, JobTitle: in.JobTitle,
		Department: in.Department, UserPrincipalName: in.UserPrincipalName, AccountEnabled: in.AccountEnabled,
		UsageLocation: in.UsageLocation,
	}); err != nil {
		return modelError(ctx, err, c.Param("id"))
	}
	return c.NoContent(http.StatusNoContent)
}

// DeleteUser answers DELETE /v1.0/users/{id}: 204; the user goes to deleted items.
func (a *API) DeleteUser(c echo.Context) error {
	u, err := a.user(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := a.store.DeleteUser(ctx, apiauth.Actor(c), u.UserID); err != nil {
		return modelError(ctx, err, c.Param("id"))
	}
	return c.NoContent(http.StatusNoContent)
}
