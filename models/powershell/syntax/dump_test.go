package syntax

import (
	"fmt"
	"strings"
)

// dump writes a tree as an s-expression without positions, so trees can be written
// down in the case table and compared after a round trip.
func dump(n Node) string {
	var b strings.Builder
	dumpTo(&b, n)
	return b.String()
}

func dumpTo(b *strings.Builder, n Node) {
	list := func(head string, items ...Node) {
		b.WriteString("(" + head)
		for _, it := range items {
			b.WriteByte(' ')
			dumpTo(b, it)
		}
		b.WriteByte(')')
	}
	pipes := func(stmts []*Pipeline) []Node {
		out := make([]Node, len(stmts))
		for i, s := range stmts {
			out[i] = s
		}
		return out
	}
	switch n := n.(type) {
	case *Script:
		list("script", pipes(n.Stmts)...)
	case *Pipeline:
		var items []Node
		if n.Source != nil {
			items = append(items, n.Source)
		}
		for _, c := range n.Cmds {
			items = append(items, c)
		}
		list("pipe", items...)
	case *Command:
		list("cmd "+fmt.Sprintf("%q", n.Name), n.Args...)
	case *Parameter:
		if !n.Colon {
			fmt.Fprintf(b, "(param %s)", n.Name)
			return
		}
		if n.Value == nil {
			fmt.Fprintf(b, "(param %s:)", n.Name)
			return
		}
		list("param "+n.Name+":", n.Value)
	case *StringLit:
		fmt.Fprintf(b, "(%s %q)", [...]string{"bare", "sq", "dq"}[n.Quote], n.Value)
	case *NumberLit:
		fmt.Fprintf(b, "(num %s)", n.Raw)
	case *Variable:
		fmt.Fprintf(b, "(var %s)", n.Name)
	case *MemberExpr:
		list("member "+n.Member, n.X)
	case *ArrayLit:
		items := make([]Node, len(n.Elems))
		for i, e := range n.Elems {
			items[i] = e
		}
		list("array", items...)
	case *ArraySubExpr:
		list("sub", pipes(n.Stmts)...)
	case *ParenExpr:
		list("paren", n.X)
	case *HashLit:
		items := make([]Node, len(n.Entries))
		for i, e := range n.Entries {
			items[i] = e
		}
		list("hash", items...)
	case *HashEntry:
		list("entry", n.Key, n.Value)
	case *ScriptBlock:
		list("block", pipes(n.Stmts)...)
	case *BinaryExpr:
		list(n.Op.String(), n.X, n.Y)
	case *UnaryExpr:
		list(n.Op.String(), n.X)
	default:
		fmt.Fprintf(b, "(?%T)", n)
	}
}
