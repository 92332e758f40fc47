package powershell

import (
	"sort"
	"strings"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

// binding is one command's arguments bound to its parameters, before pipeline
// input: the same for every object the command receives.
type binding struct {
	ent  *entry
	node *syntax.Command
	args map[*Param]Value
	sets []string // the parameter sets the arguments still fit; nil when none are declared
	help bool     // -? asks for the command's help instead
}

// bind binds a command's named and positional arguments. Errors point at the
// argument or parameter they are about.
func (rs *runState) bind(ent *entry, node *syntax.Command, ev *evaluator) (*binding, *ErrorRecord) {
	b := &binding{ent: ent, node: node, args: map[*Param]Value{}, sets: append([]string(nil), ent.sets...)}
	var positional []syntax.Expr
	for i := 0; i < len(node.Args); i++ {
		a, ok := node.Args[i].(*syntax.Parameter)
		if !ok {
			positional = append(positional, node.Args[i].(syntax.Expr))
			continue
		}
		if a.Name == "?" && !a.Colon {
			b.help = true
			return b, nil
		}
		p, err := ent.resolveParam(a.Name)
		if err != nil {
			return nil, err.at(rs.src, a.Dash, a.NameEnd)
		}
		if _, dup := b.args[p]; dup {
			return nil, bindingError("ParameterAlreadyBound", "Cannot bind parameter because parameter '"+p.Name+
				"' is specified more than once. To provide multiple values to parameters that can accept multiple values, "+
				"use the array syntax. For example, \"-parameter value1,value2,value3\".").at(rs.src, a.Dash, a.NameEnd)
		}
		if contains(variableParams, p.Name) {
			return nil, NewError(NotImplemented, excNotSupported, "VariableParameterNotSupported",
				"The -"+p.Name+" parameter is not supported here: this session has no variables.").at(rs.src, a.Dash, a.NameEnd)
		}
		var arg syntax.Expr
		switch {
		case a.Colon:
			arg = a.Value
		case p.Type == Switch:
			b.args[p] = true
			b.narrow(p)
			continue
		case i+1 < len(node.Args):
			if x, isExpr := node.Args[i+1].(syntax.Expr); isExpr {
				arg = x
				i++
			}
		}
		if arg == nil {
			return nil, bindingError("MissingArgument", "Missing an argument for parameter '"+p.Name+
				"'. Specify a parameter of type '"+p.typeName()+"' and try again.").at(rs.src, a.Dash, a.End())
		}
		v, err := ev.eval(arg)
		if err != nil {
			return nil, err
		}
		cv, err := convert(p, v)
		if err != nil {
			return nil, err.at(rs.src, arg.Pos(), arg.End())
		}
		b.args[p] = cv
		b.narrow(p)
	}
	if len(ent.sets) > 0 && len(b.sets) == 0 {
		return nil, ambiguousSet().at(rs.src, node.Pos(), node.End())
	}
	for _, x := range positional {
		v, err := ev.eval(x)
		if err != nil {
			return nil, err
		}
		if err := b.bindPositional(v); err != nil {
			return nil, err.at(rs.src, x.Pos(), x.End())
		}
	}
	return b, nil
}

// narrow keeps the parameter sets that include p.
func (b *binding) narrow(p *Param) {
	if len(p.Sets) == 0 || b.sets == nil {
		return
	}
	kept := b.sets[:0:0]
	for _, s := range b.sets {
		if contains(p.Sets, s) {
			kept = append(kept, s)
		}
	}
	b.sets = kept
}

// fits reports whether p belongs to a parameter set the arguments still fit.
func (b *binding) fits(p *Param) bool {
	if len(p.Sets) == 0 || len(b.ent.sets) == 0 {
		return true
	}
	for _, s := range b.sets {
		if contains(p.Sets, s) {
			return true
		}
	}
	return false
}

// bindPositional binds a positional argument to the unbound parameter with the
// lowest position; when parameter sets put several there, to the first whose
// type takes the value (a script block goes to the ScriptBlock parameter).
func (b *binding) bindPositional(v Value) *ErrorRecord {
	var cands []*Param
	for _, p := range b.ent.params {
		if _, bound := b.args[p]; !bound && p.Position != nil && b.fits(p) {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		shown := toString(v)
		if _, isList := asList(v); isList {
			shown = "System.Object[]"
		}
		return bindingError("PositionalParameterNotFound", "A positional parameter cannot be found that accepts argument '"+shown+"'.")
	}
	sort.SliceStable(cands, func(i, j int) bool { return *cands[i].Position < *cands[j].Position })
	at := cands[:1]
	for _, p := range cands[1:] {
		if *p.Position == *at[0].Position {
			at = append(at, p)
		}
	}
	_, isBlock := v.(*ScriptBlock)
	sort.SliceStable(at, func(i, j int) bool { return (at[i].Type == Script) == isBlock && (at[j].Type == Script) != isBlock })
	var first *ErrorRecord
	for _, p := range at {
		cv, err := convert(p, v)
		if err == nil {
			b.args[p] = cv
			b.narrow(p)
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// withInput binds a piped object: to the parameter that takes pipeline input by
// value, then to the parameters that take it by property name. It returns the
// arguments for this object and the parameter sets they fit.
func (b *binding) withInput(in Value) (map[*Param]Value, []string, *ErrorRecord) {
	nb := &binding{ent: b.ent, node: b.node, args: make(map[*Param]Value, len(b.args)+2), sets: append([]string(nil), b.sets...)}
	for p, v := range b.args {
		nb.args[p] = v
	}
	bound := false
	for _, p := range b.ent.params {
		if _, done := nb.args[p]; done || !p.FromPipeline || !nb.fits(p) {
			continue
		}
		if cv, err := convert(p, in); err == nil {
			nb.args[p] = cv
			nb.narrow(p)
			bound = true
			break
		}
	}
	if obj, ok := in.(*Object); ok {
		for _, p := range b.ent.params {
			if _, done := nb.args[p]; done || !p.FromPropertyName || !nb.fits(p) {
				continue
			}
			for _, name := range append([]string{p.Name}, p.Aliases...) {
				if pv, has := obj.Get(name); has {
					if cv, err := convert(p, pv); err == nil {
						nb.args[p] = cv
						nb.narrow(p)
						bound = true
					}
					break
				}
			}
		}
	}
	if !bound {
		rec := bindingError("InputObjectNotBound", "The input object cannot be bound to any parameters for the command either "+
			"because the command does not take pipeline input or the input and its properties do not match any of the parameters "+
			"that take pipeline input.")
		rec.Target, rec.Terminating = toString(in), false
		return nil, nil, rec
	}
	return nb.args, nb.sets, nil
}

// finish picks the parameter set and checks that its mandatory parameters are
// bound.
func (b *binding) finish(args map[*Param]Value, sets []string) (string, *ErrorRecord) {
	set := ""
	if len(b.ent.sets) > 0 {
		complete := func(s string) bool {
			for _, p := range b.ent.params {
				if _, bound := args[p]; p.Mandatory && p.inSet(s) && !bound {
					return false
				}
			}
			return true
		}
		var full []string
		for _, s := range sets {
			if complete(s) {
				full = append(full, s)
			}
		}
		switch {
		case len(sets) == 1:
			set = sets[0]
		case len(full) == 1:
			set = full[0]
		case contains(sets, b.ent.meta.DefaultSet):
			set = b.ent.meta.DefaultSet
		case len(full) == 0 && len(sets) > 0:
			set = sets[0]
		default:
			return "", ambiguousSet()
		}
	}
	var missing []string
	for _, p := range b.ent.params {
		if _, bound := args[p]; p.Mandatory && p.inSet(set) && !bound {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		return "", bindingError("MissingMandatoryParameter", "Cannot process command because of one or more missing mandatory parameters: "+
			strings.Join(missing, " ")+".")
	}
	return set, nil
}

func ambiguousSet() *ErrorRecord {
	return bindingError("AmbiguousParameterSet", "Parameter set cannot be resolved using the specified named parameters. "+
		"One or more parameters issued cannot be used together or an insufficient number of parameters were provided.")
}
