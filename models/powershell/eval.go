package powershell

import (
	"strconv"
	"strings"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

// evaluator computes the value of an expression. $_ is the object a script block
// runs for; there are no other variables than $true, $false and $null, and an
// unset variable is $null, as in PowerShell.
type evaluator struct {
	rs     *runState
	dollar Value
}

func (ev *evaluator) eval(x syntax.Expr) (Value, *ErrorRecord) {
	switch x := x.(type) {
	case *syntax.StringLit:
		return x.Value, nil
	case *syntax.NumberLit:
		return number(x.Raw), nil
	case *syntax.Variable:
		switch strings.ToLower(x.Name) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "_", "psitem":
			return ev.dollar, nil
		}
		return nil, nil
	case *syntax.MemberExpr:
		v, err := ev.eval(x.X)
		if err != nil {
			return nil, err
		}
		return member(v, x.Member), nil
	case *syntax.ArrayLit:
		out := make([]Value, len(x.Elems))
		for i, e := range x.Elems {
			v, err := ev.eval(e)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case *syntax.ArraySubExpr:
		out := []Value{}
		for _, st := range x.Stmts {
			vs, err := ev.collect(st)
			if err != nil {
				return nil, err
			}
			out = append(out, vs...)
		}
		return out, nil
	case *syntax.ParenExpr:
		return ev.statementValue(x.X)
	case *syntax.HashLit:
		h := &Hashtable{}
		for _, e := range x.Entries {
			k, err := ev.eval(e.Key)
			if err != nil {
				return nil, err
			}
			v, err := ev.statementValue(e.Value)
			if err != nil {
				return nil, err
			}
			h.Entries = append(h.Entries, HashEntry{Key: toString(k), Value: v})
		}
		return h, nil
	case *syntax.ScriptBlock:
		return &ScriptBlock{node: x}, nil
	case *syntax.UnaryExpr:
		v, err := ev.eval(x.X)
		if err != nil {
			return nil, err
		}
		return !isTrue(v), nil
	case *syntax.BinaryExpr:
		return ev.binary(x)
	}
	panic("powershell: unknown expression")
}

// number reads a number literal: an Int64 when it is whole and fits, else a Double.
func number(raw string) Value {
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return n
	}
	f, _ := strconv.ParseFloat(raw, 64)
	return f
}

// statementValue is the value of a statement in parentheses or a hashtable: an
// expression's value as it is, or what a pipeline wrote (nothing is $null, one
// object is that object, more are an array).
func (ev *evaluator) statementValue(pl *syntax.Pipeline) (Value, *ErrorRecord) {
	if len(pl.Cmds) == 0 {
		return ev.eval(pl.Source)
	}
	out, err := ev.collect(pl)
	if err != nil {
		return nil, err
	}
	switch len(out) {
	case 0:
		return nil, nil
	case 1:
		return out[0], nil
	}
	return out, nil
}

// collect runs a statement and returns what it wrote; its errors are reported as
// it goes, and one that stopped it stops the caller too.
func (ev *evaluator) collect(pl *syntax.Pipeline) ([]Value, *ErrorRecord) {
	var out []Value
	if !ev.rs.runPipeline(pl, ev, func(v Value) { out = append(out, v) }) {
		return nil, errReported
	}
	return out, nil
}

// invokeBlock runs a script block's statements with $_ set and returns their
// output. Each statement is its own: an error ends that statement, is reported,
// and the block goes on, as in PowerShell.
func (rs *runState) invokeBlock(b *ScriptBlock, dollar Value) []Value {
	ev := &evaluator{rs: rs, dollar: dollar}
	var out []Value
	for _, st := range b.node.Stmts {
		rs.runPipeline(st, ev, func(v Value) { out = append(out, v) })
	}
	return out
}

func (ev *evaluator) binary(x *syntax.BinaryExpr) (Value, *ErrorRecord) {
	l, err := ev.eval(x.X)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case syntax.And:
		if !isTrue(l) {
			return false, nil
		}
		r, err := ev.eval(x.Y)
		return err == nil && isTrue(r), err
	case syntax.Or:
		if isTrue(l) {
			return true, nil
		}
		r, err := ev.eval(x.Y)
		return err == nil && isTrue(r), err
	}
	r, err := ev.eval(x.Y)
	if err != nil {
		return nil, err
	}
	if x.Op == syntax.Xor {
		return isTrue(l) != isTrue(r), nil
	}
	v, cerr := compare(x.Op, l, r)
	if cerr != nil {
		return nil, cerr.at(ev.rs.src, x.Pos(), x.End())
	}
	return v, nil
}

// isTrue is PowerShell's truth: $null, $false, 0, "" and an empty collection are
// false; a one-element collection is as true as its element; the rest is true.
func isTrue(v Value) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	}
	if l, ok := asList(v); ok {
		switch len(l) {
		case 0:
			return false
		case 1:
			return isTrue(l[0])
		}
	}
	return true
}
