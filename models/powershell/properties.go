package powershell

import "strings"

// propSpec is one entry of a -Property list: a property name, a wildcard pattern
// over the object's properties, a script block, or a calculated property
// @{Name=...; Expression=...} (with Width and Alignment for Format-Table,
// Ascending or Descending for Sort-Object).
type propSpec struct {
	name       string
	pattern    bool
	get        func(v Value) Value
	width      int
	align      Align
	descending *bool
}

// parseProps reads a -Property argument. Hashtable keys may be shortened as in
// PowerShell (N, L, E).
func parseProps(c *Call, raw Value) ([]propSpec, error) {
	var specs []propSpec
	for _, item := range enumerate(raw) {
		switch x := item.(type) {
		case *ScriptBlock:
			specs = append(specs, propSpec{name: toString(x), get: blockGetter(c, x)})
		case *Hashtable:
			s, err := calculatedProp(c, x)
			if err != nil {
				return nil, err
			}
			specs = append(specs, s)
		default:
			name := toString(item)
			if hasWildcard(name) {
				specs = append(specs, propSpec{name: name, pattern: true})
				continue
			}
			specs = append(specs, propSpec{name: name, get: nameGetter(name)})
		}
	}
	return specs, nil
}

func nameGetter(name string) func(Value) Value {
	return func(v Value) Value { return member(v, name) }
}

// blockGetter evaluates a script block for an object: nothing is $null, one
// value is that value, more are an array.
func blockGetter(c *Call, b *ScriptBlock) func(Value) Value {
	return func(v Value) Value {
		out := c.InvokeScript(b, v)
		switch len(out) {
		case 0:
			return nil
		case 1:
			return out[0]
		}
		return out
	}
}

// calculatedProp reads @{Name="Count"; Expression={$_.EmailAddresses.Count}}.
func calculatedProp(c *Call, h *Hashtable) (propSpec, error) {
	var s propSpec
	haveExpr := false
	for _, e := range h.Entries {
		k := strings.ToLower(e.Key)
		switch {
		case k != "" && (strings.HasPrefix("name", k) || strings.HasPrefix("label", k)):
			s.name = toString(e.Value)
		case k != "" && strings.HasPrefix("expression", k):
			haveExpr = true
			if b, ok := e.Value.(*ScriptBlock); ok {
				s.get = blockGetter(c, b)
				if s.name == "" {
					s.name = toString(b)
				}
				continue
			}
			name := toString(e.Value)
			s.get = nameGetter(name)
			if s.name == "" {
				s.name = name
			}
		case k != "" && strings.HasPrefix("width", k):
			f, _ := toFloat(e.Value)
			s.width = int(f)
		case k != "" && strings.HasPrefix("alignment", k):
			switch strings.ToLower(toString(e.Value)) {
			case "right":
				s.align = AlignRight
			case "left":
				s.align = AlignLeft
			}
		case k != "" && strings.HasPrefix("descending", k):
			d := isTrue(e.Value)
			s.descending = &d
		case k != "" && strings.HasPrefix("ascending", k):
			d := !isTrue(e.Value)
			s.descending = &d
		default:
			return s, NewError(InvalidArgument, excNotSupported, "IllegalKey", "The \""+e.Key+"\" key is not valid.")
		}
	}
	if !haveExpr {
		return s, NewError(InvalidArgument, excNotSupported, "MissingExpressionKey",
			"The hash table needs an Expression key, for example @{Name=\"Count\"; Expression={$_.EmailAddresses.Count}}.")
	}
	return s, nil
}

// expand resolves the specs against an object: a pattern becomes the object's
// matching properties, in the object's order.
func expand(specs []propSpec, v Value) []propSpec {
	var out []propSpec
	seen := map[string]bool{}
	for _, s := range specs {
		if !s.pattern {
			out = append(out, s)
			seen[strings.ToLower(s.name)] = true
			continue
		}
		o, ok := v.(*Object)
		if !ok {
			continue
		}
		for _, p := range o.props {
			if wildcardMatch(s.name, p.Name, false) && !seen[strings.ToLower(p.Name)] {
				seen[strings.ToLower(p.Name)] = true
				out = append(out, propSpec{name: p.Name, get: nameGetter(p.Name), width: s.width, align: s.align})
			}
		}
	}
	return out
}

// allProps is "*": every property.
var allProps = []propSpec{{name: "*", pattern: true}}
