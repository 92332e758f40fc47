package graph

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
)

// legacyObject is an object written the way the lists were before they wrote
// themselves: every name and value through encoding/json.
type legacyObject object

func (o legacyObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.name)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(p.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type legacyPage struct {
	Context  string         `json:"@odata.context"`
	Count    *int64         `json:"@odata.count,omitempty"`
	NextLink string         `json:"@odata.nextLink,omitempty"`
	Value    []legacyObject `json:"value"`
}

// jsonStrings are strings encoding/json escapes, and plain ones.
var jsonStrings = []string{"", "plain Name 123", `quote " and \ backslash`, "<b>&amp;</b>", "tab\there\nline\r\b\f",
	"\x00\x01\x1f\x7f", "Zoë Ångström 日本", "bad \xff\xfe utf-8", "line\u2028sep\u2029", "emoji 😀", "/slash"}

func TestWrittenJSONIsEncodingJSONs(t *testing.T) {
	var value []object
	for _, s := range jsonStrings {
		value = append(value, object{
			{s, s}, {"null", nil}, {"enabled", true}, {"off", false}, {"n", 42}, {"big", int64(-1 << 40)},
			{"phones", []string{}}, {"names", []string{s, "x"}}, {"nilPhones", []string(nil)},
			{"licenses", []assignedLicense{{DisabledPlans: []string{}, SkuID: s}}}, {"noLicenses", []assignedLicense(nil)},
			{"inner", object{{"a", s}}}, {"emptyInner", object(nil)}, {"other", map[string]int{"k": 1}}, {"float", 1.5},
		})
	}
	n := int64(7)
	for _, p := range []listPage{
		{Context: "https://host/v1.0/$metadata#users", Value: value},
		{Context: "c<&>", Count: &n, NextLink: "https://host/v1.0/users?$skiptoken=a&b", Value: []object{}},
		{Context: "c", Value: nil},
	} {
		legacy := legacyPage{Context: p.Context, Count: p.Count, NextLink: p.NextLink}
		if p.Value != nil {
			legacy.Value = []legacyObject{}
		}
		for _, o := range p.Value {
			legacy.Value = append(legacy.Value, legacyObject(o))
		}
		want, err := json.Marshal(legacy)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.appendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("page written as\n%s\nencoding/json writes\n%s", got, want)
		}
		if viaMarshal, _ := json.Marshal(p); !bytes.Equal(viaMarshal, want) {
			t.Errorf("json.Marshal of the page\n%s\nwant\n%s", viaMarshal, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q written as %s, encoding/json writes %s", s, got, want)
		}
	})
}

// A page of people is written straight from the models' values, as each person's
// object would be: for every property, selected or by default.
func TestUserItemsAreUserObjects(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	var users []models.GraphUser
	for i, s := range jsonStrings {
		users = append(users, models.GraphUser{UserID: uint(i + 1), RecipientID: uint(i + 10), DisplayName: s, GivenName: s,
			Surname: "", JobTitle: s, Department: s, UserPrincipalName: s, Mail: s, Alias: s, AccountEnabled: i%2 == 0,
			UsageLocation: s, CreatedAt: at, SKUs: [][]string{nil, {"O365_BUSINESS_PREMIUM"}, {"ENTERPRISEPACK", "SPB", "Custom<&>"}}[i%3]})
	}
	upper := make([]string, len(userProps))
	for i, p := range userProps {
		upper[i] = strings.ToUpper(p)
	}
	for _, sel := range [][]string{nil, userProps, upper, {"displayName"}, {"assignedLicenses", "id"}} {
		items := newUserItems(users, userNames(sel))
		page := listPage{Context: "c", Value: make([]object, len(users))}
		for i := range users {
			page.Value[i] = userObject(&users[i], sel)
		}
		want, err := page.appendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		page.Value, page.items = nil, items
		got, err := page.appendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("$select=%v: written as\n%s\nas objects\n%s", sel, got, want)
		}
	}
	empty, _ := listPage{Context: "c", items: newUserItems(nil, defaultUserProps)}.appendJSON(nil)
	if string(empty) != `{"@odata.context":"c","value":[]}` {
		t.Errorf("no people: %s", empty)
	}
}

// Every detail the list may leave out is a property's, and is read whenever that
// property is written: all of them with every property, none with no property
// that shows it.
func TestDetailsNotWrittenFollowTheProperties(t *testing.T) {
	if leave := detailsNotWritten(userProps); leave != 0 {
		t.Errorf("every property: leaves out %b", leave)
	}
	var every models.GraphUserDetails
	for p, d := range userDetails {
		if !strings.Contains(","+strings.Join(userProps, ",")+",", ","+p+",") {
			t.Errorf("%s is not a user property", p)
		}
		if leave := detailsNotWritten([]string{"id", p}); leave&d != 0 {
			t.Errorf("$select=id,%s leaves out its detail", p)
		}
		every |= d
	}
	if leave := detailsNotWritten([]string{"id", "userPrincipalName", "businessPhones"}); leave != every {
		t.Errorf("no detail's property: leaves out %b, not %b", leave, every)
	}
	if leave := detailsNotWritten(defaultUserProps); leave != models.DetailDepartment|models.DetailAlias|
		models.DetailUsageLocation|models.DetailAccountEnabled|models.DetailCreatedAt {
		t.Errorf("the default properties leave out %b", leave)
	}
}
