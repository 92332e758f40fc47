package powershell

import (
	"sort"
	"strings"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

const (
	moduleCore    = "Microsoft.PowerShell.Core"
	moduleUtility = "Microsoft.PowerShell.Utility"
)

// whereOperators are Where-Object's operator switches (Where-Object Prop -eq value).
var whereOperators = []struct {
	name string
	op   syntax.Op
}{
	{"EQ", syntax.Eq}, {"CEQ", syntax.CEq}, {"NE", syntax.Ne}, {"CNE", syntax.CNe},
	{"GT", syntax.Gt}, {"CGT", syntax.CGt}, {"GE", syntax.Ge}, {"CGE", syntax.CGe},
	{"LT", syntax.Lt}, {"CLT", syntax.CLt}, {"LE", syntax.Le}, {"CLE", syntax.CLe},
	{"Like", syntax.Like}, {"CLike", syntax.CLike}, {"NotLike", syntax.NotLike}, {"CNotLike", syntax.CNotLike},
	{"Match", syntax.Match}, {"CMatch", syntax.CMatch}, {"NotMatch", syntax.NotMatch}, {"CNotMatch", syntax.CNotMatch},
	{"Contains", syntax.Contains}, {"CContains", syntax.CContains}, {"NotContains", syntax.NotContains}, {"CNotContains", syntax.CNotContains},
	{"In", syntax.In}, {"CIn", syntax.CIn}, {"NotIn", syntax.NotIn}, {"CNotIn", syntax.CNotIn},
	{"Not", syntax.Not},
}

// whereObject is Where-Object: a script block, or the simplified Prop -op value.
type whereObject struct{}

// Meta declares the cmdlet.
func (whereObject) Meta() Meta {
	params := []Param{
		{Name: "InputObject", Type: Any, FromPipeline: true, Help: "The objects to filter."},
		{Name: "FilterScript", Type: Script, Position: At(0), Mandatory: true, Sets: []string{"ScriptBlockSet"},
			Help: "The condition, e.g. { $_.RecipientTypeDetails -eq 'SharedMailbox' }."},
		{Name: "Property", Type: String, Position: At(0), Mandatory: true, Sets: []string{"PropertySet"}, Help: "The property to compare."},
		{Name: "Value", Type: Any, Position: At(1), Sets: []string{"PropertySet"}, Help: "The value to compare with."},
	}
	for _, o := range whereOperators {
		params = append(params, Param{Name: o.name, Type: Switch, Sets: []string{"PropertySet"}})
	}
	return Meta{
		Name: "Where-Object", Aliases: []string{"where", "?"}, Module: moduleCore, DefaultSet: "PropertySet",
		Synopsis: "Selects objects from a collection based on their property values.",
		Params:   params,
		Examples: []Example{
			{Code: `Get-Mailbox | Where-Object {$_.RecipientTypeDetails -eq "SharedMailbox"}`},
			{Code: `Get-Mailbox | Where-Object RecipientTypeDetails -eq SharedMailbox`},
		},
	}
}

// Run runs the cmdlet for one invocation.
func (whereObject) Run(c *Call) error {
	if !c.Has("InputObject") {
		return nil
	}
	in := c.Value("InputObject")
	if c.ParameterSet() == "ScriptBlockSet" {
		if isTrue(c.InvokeScript(c.ScriptBlock("FilterScript"), in)) {
			c.Write(in)
		}
		return nil
	}
	var op syntax.Op
	for _, o := range whereOperators {
		if c.Bool(o.name) {
			if op != syntax.OpInvalid {
				return ambiguousSet()
			}
			op = o.op
		}
	}
	v := member(in, c.String("Property"))
	keep := isTrue(v)
	switch op {
	case syntax.OpInvalid:
	case syntax.Not:
		keep = !keep
	default:
		r, err := compare(op, v, c.Value("Value"))
		if err != nil {
			return err
		}
		keep = isTrue(r)
	}
	if keep {
		c.Write(in)
	}
	return nil
}

// collected returns a collecting cmdlet's input: what was piped, or -InputObject.
func collected(c *Call) []Value {
	if c.Has("InputObject") {
		return []Value{c.Value("InputObject")}
	}
	return c.Inputs()
}

// selectObject is Select-Object.
type selectObject struct{}

// Meta declares the cmdlet.
func (selectObject) Meta() Meta {
	return Meta{
		Name: "Select-Object", Aliases: []string{"select"}, Module: moduleUtility, CollectInput: true,
		Synopsis: "Selects objects or object properties.",
		Params: []Param{
			{Name: "InputObject", Type: Any, FromPipeline: true, Help: "The objects to select from."},
			{Name: "Property", Type: Any, TypeName: "System.Object[]", Position: At(0), Help: "The properties to select; wildcards and calculated properties are permitted."},
			{Name: "ExcludeProperty", Type: StringList, Help: "Properties to leave out."},
			{Name: "ExpandProperty", Type: String, Help: "A property whose value is output instead of the object."},
			{Name: "First", Type: Int, Help: "How many objects to take from the start."},
			{Name: "Last", Type: Int, Help: "How many objects to take from the end."},
			{Name: "Skip", Type: Int, Help: "How many objects to skip from the start."},
			{Name: "Unique", Type: Switch, Help: "Leaves out objects identical to one already selected."},
		},
		Examples: []Example{{Code: "Get-Mailbox | Select-Object Name, PrimarySmtpAddress -First 5"}},
	}
}

// Run runs the cmdlet for one invocation.
func (selectObject) Run(c *Call) error {
	items := collected(c)
	items = items[min(int(max(c.Int("Skip"), 0)), len(items)):]
	if c.Has("First") || c.Has("Last") {
		first := items[:min(int(max(c.Int("First"), 0)), len(items))]
		var last []Value
		if c.Has("Last") {
			last = items[len(items)-min(int(max(c.Int("Last"), 0)), len(items)):]
		}
		items = append(append([]Value(nil), first...), last...)
	}
	var specs []propSpec
	if c.Has("Property") {
		var err error
		if specs, err = parseProps(c, c.Value("Property")); err != nil {
			return err
		}
	} else if c.Has("ExcludeProperty") && !c.Has("ExpandProperty") {
		specs = allProps
	}
	var typ *TypeInfo
	var out []Value
	for _, item := range items {
		v := item
		if specs != nil {
			if typ == nil {
				name := "System.Management.Automation.PSCustomObject"
				if o, ok := item.(*Object); ok {
					name = o.Type.Name
				}
				typ = &TypeInfo{Name: "Selected." + name}
			}
			o := NewObject(typ)
			for _, s := range expand(specs, item) {
				o.Set(s.name, s.get(item))
			}
			o.props = excluded(o.props, c.Strings("ExcludeProperty"))
			v = o
		}
		if c.Has("ExpandProperty") {
			name := c.String("ExpandProperty")
			src, isObj := item.(*Object)
			pv, ok := Value(nil), false
			if isObj {
				pv, ok = src.Get(name)
			} else if pv = member(item, name); pv != nil {
				ok = true
			}
			if !ok {
				c.WriteError(NewError(InvalidArgument, excPSArgument, "ExpandPropertyNotFound", "Property \""+name+"\" cannot be found."))
				continue
			}
			if o, isObj := pv.(*Object); isObj && specs != nil {
				merged := NewObject(o.Type)
				merged.props = append(append([]Property(nil), o.props...), v.(*Object).props...)
				pv = merged
			}
			out = append(out, enumerate(pv)...)
			continue
		}
		out = append(out, v)
	}
	if c.Bool("Unique") {
		out = unique(out, false)
	}
	for _, v := range out {
		c.Write(v)
	}
	return nil
}

func excluded(props []Property, patterns []string) []Property {
	if len(patterns) == 0 {
		return props
	}
	var kept []Property
	for _, p := range props {
		drop := false
		for _, pat := range patterns {
			if wildcardMatch(pat, p.Name, false) {
				drop = true
			}
		}
		if !drop {
			kept = append(kept, p)
		}
	}
	return kept
}

// identityKey is what makes two objects the same for -Unique.
func identityKey(v Value, cs bool) string {
	var b strings.Builder
	if o, ok := v.(*Object); ok {
		for _, p := range o.props {
			b.WriteString(p.Name + "\x00" + formatValue(p.Value) + "\x00")
		}
	} else {
		b.WriteString(toString(v))
	}
	if cs {
		return b.String()
	}
	return strings.ToLower(b.String())
}

func unique(vs []Value, cs bool) []Value {
	seen := map[string]bool{}
	var out []Value
	for _, v := range vs {
		if k := identityKey(v, cs); !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

// sortObject is Sort-Object.
type sortObject struct{}

// Meta declares the cmdlet.
func (sortObject) Meta() Meta {
	return Meta{
		Name: "Sort-Object", Aliases: []string{"sort"}, Module: moduleUtility, CollectInput: true,
		Synopsis: "Sorts objects by property values.",
		Params: []Param{
			{Name: "InputObject", Type: Any, FromPipeline: true, Help: "The objects to sort."},
			{Name: "Property", Type: Any, TypeName: "System.Object[]", Position: At(0), Help: "The properties to sort by."},
			{Name: "Descending", Type: Switch, Help: "Sorts from high to low."},
			{Name: "Unique", Type: Switch, Help: "Leaves out duplicates."},
			{Name: "CaseSensitive", Type: Switch, Help: "Sorts upper and lower case apart."},
		},
		Examples: []Example{{Code: "Get-Mailbox | Sort-Object DisplayName -Descending"}},
	}
}

// Run runs the cmdlet for one invocation.
func (sortObject) Run(c *Call) error {
	items := collected(c)
	var specs []propSpec
	if c.Has("Property") {
		var err error
		if specs, err = parseProps(c, c.Value("Property")); err != nil {
			return err
		}
	}
	keys := make([][]Value, len(items))
	descs := []bool{}
	for i, item := range items {
		if len(specs) == 0 {
			keys[i] = []Value{sortKey(item)}
			continue
		}
		ex := expand(specs, item)
		for _, s := range ex {
			keys[i] = append(keys[i], s.get(item))
			if i == 0 || len(descs) < len(keys[i]) {
				d := c.Bool("Descending")
				if s.descending != nil {
					d = *s.descending
				}
				descs = append(descs, d)
			}
		}
	}
	if len(descs) == 0 {
		descs = []bool{c.Bool("Descending")}
	}
	cs := c.Bool("CaseSensitive")
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := keys[idx[a]], keys[idx[b]]
		for k := 0; k < len(ka) && k < len(kb); k++ {
			if r := sortCompare(ka[k], kb[k], cs); r != 0 {
				if k < len(descs) && descs[k] {
					return r > 0
				}
				return r < 0
			}
		}
		return false
	})
	var prev []Value
	for n, i := range idx {
		if c.Bool("Unique") && n > 0 && sameKeys(prev, keys[i], cs) {
			continue
		}
		prev = keys[i]
		c.Write(items[i])
	}
	return nil
}

// sortKey is what an object sorts by without -Property: a scalar itself, an
// object by its identity.
func sortKey(v Value) Value {
	if o, ok := v.(*Object); ok {
		return o.String()
	}
	return v
}

func sortCompare(a, b Value, cs bool) int {
	if cs {
		if sa, ok := a.(string); ok {
			if sb, ok := b.(string); ok {
				return strings.Compare(sa, sb)
			}
		}
	}
	if r, err := order(a, b); err == nil {
		return r
	}
	return compareStrings(toString(a), toString(b))
}

func sameKeys(a, b []Value, cs bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if sortCompare(a[i], b[i], cs) != 0 {
			return false
		}
	}
	return true
}

// measureObject is Measure-Object.
type measureObject struct{}

var measureInfoType = &TypeInfo{
	Name: "Microsoft.PowerShell.Commands.GenericMeasureInfo",
	List: []string{"Count", "Average", "Sum", "Maximum", "Minimum", "Property"},
}

// Meta declares the cmdlet.
func (measureObject) Meta() Meta {
	return Meta{
		Name: "Measure-Object", Aliases: []string{"measure"}, Module: moduleUtility, CollectInput: true,
		Synopsis: "Calculates the numeric properties of objects, such as the count of objects.",
		Params: []Param{
			{Name: "InputObject", Type: Any, FromPipeline: true, Help: "The objects to measure."},
			{Name: "Property", Type: StringList, Position: At(0), Help: "The properties to measure."},
			{Name: "Sum", Type: Switch}, {Name: "Average", Type: Switch},
			{Name: "Maximum", Type: Switch}, {Name: "Minimum", Type: Switch},
		},
		Examples: []Example{{Code: "Get-Mailbox -RecipientTypeDetails SharedMailbox | Measure-Object"}},
	}
}

// Run runs the cmdlet for one invocation.
func (measureObject) Run(c *Call) error {
	items := collected(c)
	props := c.Strings("Property")
	if len(props) == 0 {
		props = []string{""}
	}
	for _, prop := range props {
		var values []Value
		for _, item := range items {
			if prop == "" {
				values = append(values, item)
				continue
			}
			if o, ok := item.(*Object); ok {
				if v, has := o.Get(prop); has && v != nil {
					values = append(values, v)
				}
			}
		}
		res := NewObject(measureInfoType).Set("Count", int64(len(values)))
		stats := map[string]Value{"Average": nil, "Sum": nil, "Maximum": nil, "Minimum": nil}
		if c.Bool("Sum") || c.Bool("Average") || c.Bool("Maximum") || c.Bool("Minimum") {
			var sum, lo, hi float64
			for i, v := range values {
				f, ok := toFloat(v)
				if _, isStr := v.(string); !ok || isStr && strings.TrimSpace(v.(string)) == "" {
					return NewError(InvalidArgument, excInvalidOperation, "NonNumericInputObject", "Input object \""+toString(v)+"\" is not numeric.")
				}
				sum += f
				if i == 0 || f < lo {
					lo = f
				}
				if i == 0 || f > hi {
					hi = f
				}
			}
			if c.Bool("Sum") {
				stats["Sum"] = sum
			}
			if c.Bool("Average") && len(values) > 0 {
				stats["Average"] = sum / float64(len(values))
			}
			if c.Bool("Maximum") && len(values) > 0 {
				stats["Maximum"] = hi
			}
			if c.Bool("Minimum") && len(values) > 0 {
				stats["Minimum"] = lo
			}
		}
		for _, k := range []string{"Average", "Sum", "Maximum", "Minimum"} {
			res.Set(k, stats[k])
		}
		if prop == "" {
			res.Set("Property", nil)
		} else {
			res.Set("Property", prop)
		}
		c.Write(res)
	}
	return nil
}
