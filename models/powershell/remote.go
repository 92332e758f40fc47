package powershell

import (
	"time"
)

// A client of the Exchange REST endpoint runs the pipeline and utility cmdlets
// locally and sends each Exchange cmdlet to the service: a proxy cmdlet declared
// with the service's own Meta (so binding, help and errors are the same) whose Run
// sends Bound() as the CmdletInput.

// Metas returns the declarations of the registered cmdlets, by name.
func (r *Registry) Metas() []Meta {
	out := make([]Meta, 0, len(r.entries))
	for _, e := range r.sorted() {
		out = append(out, e.meta)
	}
	return out
}

// Bound returns the cmdlet's own parameters that were bound (by name or from the
// pipeline), in declaration order, as a program sends them in a CmdletInput: an
// identity as its text (a piped object by its ExternalDirectoryObjectId when it has
// one), @{Add=;Remove=} as a hashtable, Unlimited as text, a date in RFC 3339.
// The common parameters (-ErrorAction ..., -WhatIf, -Confirm) stay with the caller.
func (c *Call) Bound() Parameters {
	var out Parameters
	ent := c.stage.b.ent
	for _, p := range ent.params[:len(ent.meta.Params)] {
		v, ok := c.args[p]
		if !ok {
			continue
		}
		out = append(out, NamedValue{Name: p.Name, Value: wireValue(v)})
	}
	return out
}

func wireValue(v Value) any {
	switch x := v.(type) {
	case IdentityArg:
		if x.Object != nil {
			if id, ok := x.Object.Get("ExternalDirectoryObjectId"); ok {
				if s, ok := id.(string); ok && s != "" {
					return s
				}
			}
		}
		return x.Text
	case MultiValue:
		if !x.Edit {
			return stringsOrEmpty(x.Replace)
		}
		h := &Hashtable{}
		if len(x.Add) > 0 {
			h.Entries = append(h.Entries, HashEntry{Key: "Add", Value: stringsOrEmpty(x.Add)})
		}
		if len(x.Remove) > 0 {
			h.Entries = append(h.Entries, HashEntry{Key: "Remove", Value: stringsOrEmpty(x.Remove)})
		}
		return h
	case Limit:
		if x.Unlimited {
			return "Unlimited"
		}
		return x.N
	case time.Time:
		return x.Format(time.RFC3339)
	case *ScriptBlock:
		return x.String()
	}
	return v
}

func stringsOrEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
