// Package powershell is the cmdlet engine behind Exchange Online PowerShell: it
// parses a command line (package syntax), binds arguments to the parameters a
// cmdlet declares, runs pipelines, and formats the objects, warnings and errors the
// way PowerShell shows them. It knows nothing of HTTP, HTML or the database: the
// packages that register cmdlets bring those.
package powershell

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

// Value is anything that flows through a pipeline or binds to a parameter. It is
// one of: nil, string, bool, int64, float64, time.Time, []string, []Value, Limit,
// *Object, *Hashtable, *ScriptBlock or *FormatOutput.
type Value = any

// TypeInfo describes a kind of output object: its .NET type name and how
// PowerShell shows it by default, as Exchange's format files do.
type TypeInfo struct {
	// Name is the .NET type name, e.g. Microsoft.Exchange.Data.Directory.Management.Mailbox.
	Name string
	// Table lists the columns of the default table view. When it is empty and List
	// is too, an object shows as a table if it has at most four properties and as a
	// list otherwise.
	Table []Column
	// List lists the properties of the default list view (used when Table is empty).
	List []string
	// IdentityProperty names the property whose value binds to an Identity
	// parameter when the object is piped into a cmdlet; "" means "Identity".
	IdentityProperty string
}

// Align is a table column's alignment.
type Align int

// Column alignments; AlignAuto right-aligns numbers and left-aligns the rest.
const (
	AlignAuto Align = iota
	AlignLeft
	AlignRight
)

// Column is one column of a table view.
type Column struct {
	Property string
	Label    string // the header; "" means the property name
	Width    int    // 0 sizes the column to its content
	Align    Align
}

// Property is one named value of an Object.
type Property struct {
	Name  string
	Value Value
}

// Object is an output object: an ordered bag of typed properties, like the
// PSObjects Exchange's cmdlets return. Property names are matched
// case-insensitively, as PowerShell does.
type Object struct {
	Type  *TypeInfo
	props []Property
}

// NewObject returns an empty object of the given type.
func NewObject(t *TypeInfo) *Object {
	if t == nil {
		t = customObject
	}
	return &Object{Type: t}
}

var customObject = &TypeInfo{Name: "System.Management.Automation.PSCustomObject"}

// Set sets a property, keeping the position of an existing one, and returns o.
// The value is normalized to a Value: ints become int64, []*Object and []any
// become []Value. Any other Go type is a programming error and panics.
func (o *Object) Set(name string, v any) *Object {
	v = normalize(v)
	for i := range o.props {
		if strings.EqualFold(o.props[i].Name, name) {
			o.props[i].Value = v
			return o
		}
	}
	o.props = append(o.props, Property{Name: name, Value: v})
	return o
}

// Get returns a property's value and whether the object has it.
func (o *Object) Get(name string) (Value, bool) {
	for _, p := range o.props {
		if strings.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return nil, false
}

// Properties returns the properties in order. The slice must not be modified.
func (o *Object) Properties() []Property { return o.props }

// TypeName returns the .NET type name.
func (o *Object) TypeName() string { return o.Type.Name }

// String returns how PowerShell shows the object inside a table cell or a string:
// its Identity (or the TypeInfo's identity property), else its Name, else its type
// name.
func (o *Object) String() string {
	for _, name := range []string{o.Type.IdentityProperty, "Identity", "Name"} {
		if name == "" {
			continue
		}
		if v, ok := o.Get(name); ok && v != nil {
			return toString(v)
		}
	}
	if len(o.props) > 0 && o.Type == customObject {
		parts := make([]string, len(o.props))
		for i, p := range o.props {
			parts[i] = p.Name + "=" + toString(p.Value)
		}
		return "@{" + strings.Join(parts, "; ") + "}"
	}
	return o.Type.Name
}

// identity returns the text an Identity parameter binds to when o is piped.
func (o *Object) identity() string {
	name := o.Type.IdentityProperty
	if name == "" {
		name = "Identity"
	}
	if v, ok := o.Get(name); ok && v != nil {
		return toString(v)
	}
	return o.String()
}

// Select returns a new object with only the named properties, in the order given,
// as the REST endpoint's $select does. Unknown names are left out.
func (o *Object) Select(names ...string) *Object {
	n := NewObject(o.Type)
	for _, name := range names {
		for _, p := range o.props {
			if strings.EqualFold(p.Name, name) {
				n.props = append(n.props, p)
			}
		}
	}
	return n
}

func normalize(v any) Value {
	switch x := v.(type) {
	case nil, string, bool, int64, float64, time.Time, []string, []Value, Limit, *Object, *Hashtable, *ScriptBlock, *FormatOutput:
		return v
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case uint32:
		return int64(x)
	case float32:
		return float64(x)
	case []*Object:
		out := make([]Value, len(x))
		for i, o := range x {
			out[i] = o
		}
		return out
	}
	panic(fmt.Sprintf("powershell: a property value of type %T is not a Value", v))
}

// Limit is an Exchange Unlimited<T> value: a number, or Unlimited.
type Limit struct {
	N         int64
	Unlimited bool
}

// String returns "Unlimited" or the number.
func (l Limit) String() string {
	if l.Unlimited {
		return "Unlimited"
	}
	return strconv.FormatInt(l.N, 10)
}

// Hashtable is @{Key = value; ...}, keys compared case-insensitively, in the
// order written.
type Hashtable struct {
	Entries []HashEntry
}

// HashEntry is one key and value of a Hashtable.
type HashEntry struct {
	Key   string
	Value Value
}

// Get returns the value for a key.
func (h *Hashtable) Get(key string) (Value, bool) {
	for _, e := range h.Entries {
		if strings.EqualFold(e.Key, key) {
			return e.Value, true
		}
	}
	return nil, false
}

// ScriptBlock is a { ... } block as a value, for Where-Object and friends.
type ScriptBlock struct {
	node *syntax.ScriptBlock
}

// String returns the block as source text.
func (b *ScriptBlock) String() string { return syntax.Print(b.node) }

// FormatOutput is the text Format-Table and Format-List produce; the console shows
// it as it is.
type FormatOutput struct {
	Text string
}

// IdentityArg is the value of an Identity-type parameter: the text to resolve,
// and the object it came from when the value was piped (so a resolver can use an
// exact key such as ExternalDirectoryObjectId rather than a name).
type IdentityArg struct {
	Text   string
	Object *Object
}

// String returns the text.
func (i IdentityArg) String() string { return i.Text }

// MultiValue is the value of a multi-valued parameter: a list that replaces the
// current values, or, given as @{Add=...; Remove=...}, an edit of them. An empty
// Replace with Edit unset clears the property ($null or @()).
type MultiValue struct {
	Edit    bool
	Replace []string
	Add     []string
	Remove  []string
}

// asList returns the elements of a collection value.
func asList(v Value) ([]Value, bool) {
	switch x := v.(type) {
	case []Value:
		return x, true
	case []string:
		out := make([]Value, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// enumerate returns the values a pipeline gets from v: the elements of a
// collection, or v itself.
func enumerate(v Value) []Value {
	if l, ok := asList(v); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []Value{v}
}

func itoa(n int) string { return strconv.Itoa(n) }

// toString converts a value to a string as PowerShell does when a string is
// needed; lists are joined with spaces.
func toString(v Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatFloat(x)
	case time.Time:
		return x.Format(dateLayout)
	case []string:
		return strings.Join(x, " ")
	case []Value:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = toString(e)
		}
		return strings.Join(parts, " ")
	case Limit:
		return x.String()
	case *Object:
		return x.String()
	case *Hashtable:
		return "System.Collections.Hashtable"
	case *ScriptBlock:
		s := x.String()
		return strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"))
	case *FormatOutput:
		return x.Text
	case IdentityArg:
		return x.Text
	}
	return fmt.Sprint(v)
}

// dateLayout is how PowerShell (en-US) shows a date.
const dateLayout = "1/2/2006 3:04:05 PM"

// formatFloat writes a double as .NET does.
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	case f != 0 && (math.Abs(f) >= 1e15 || math.Abs(f) < 1e-5):
		s := strconv.FormatFloat(f, 'E', -1, 64)
		mant, exp, _ := strings.Cut(s, "E")
		sign := exp[0]
		exp = strings.TrimLeft(exp[1:], "0")
		for len(exp) < 2 {
			exp = "0" + exp
		}
		return mant + "E" + string(sign) + exp
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// netTypeName is the .NET type name of a value, for error messages.
func netTypeName(v Value) string {
	switch x := v.(type) {
	case string:
		return "System.String"
	case bool:
		return "System.Boolean"
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return "System.Int32"
		}
		return "System.Int64"
	case float64:
		return "System.Double"
	case time.Time:
		return "System.DateTime"
	case []string, []Value:
		return "System.Object[]"
	case *Hashtable:
		return "System.Collections.Hashtable"
	case *ScriptBlock:
		return "System.Management.Automation.ScriptBlock"
	case *Object:
		return x.Type.Name
	}
	return "System.Object"
}

// member returns X.Name as PowerShell evaluates it: an object's property (null
// when missing), a hashtable's key, Count and Length of a collection, and member
// enumeration (the property of every element) otherwise.
func member(v Value, name string) Value {
	switch x := v.(type) {
	case *Object:
		if p, ok := x.Get(name); ok {
			return p
		}
		return nil
	case *Hashtable:
		if e, ok := x.Get(name); ok {
			return e
		}
		if strings.EqualFold(name, "Count") {
			return int64(len(x.Entries))
		}
		return nil
	case string:
		if strings.EqualFold(name, "Length") {
			return int64(len([]rune(x)))
		}
		return nil
	}
	if l, ok := asList(v); ok {
		if strings.EqualFold(name, "Count") || strings.EqualFold(name, "Length") {
			return int64(len(l))
		}
		var out []Value
		for _, e := range l {
			if m := member(e, name); m != nil {
				out = append(out, enumerate(m)...)
			}
		}
		if len(out) == 1 {
			return out[0]
		}
		return out
	}
	if v != nil && (strings.EqualFold(name, "Count") || strings.EqualFold(name, "Length")) {
		return int64(1)
	}
	return nil
}
