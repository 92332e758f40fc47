// Package syntax reads a PowerShell command line the way PowerShell reads it, far
// enough for Exchange Online administration: statements, pipelines, cmdlets with
// named and positional arguments, strings, numbers, variables, comma lists,
// hashtables and the script blocks Where-Object takes. It keeps the lexer, the
// parser, the nodes and the printer apart, after mvdan/sh's syntax package.
package syntax

// Pos is a place in the source: a byte offset and the 1-based line and column
// (columns count characters, not bytes). The zero Pos is "no position".
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether p names a place in the source.
func (p Pos) IsValid() bool { return p.Line > 0 }

// after returns the position n ASCII characters further on the same line.
func (p Pos) after(n int) Pos { return Pos{Offset: p.Offset + n, Line: p.Line, Col: p.Col + n} }

// Node is any part of the tree. Pos is where it starts; End is just past its last
// character.
type Node interface {
	Pos() Pos
	End() Pos
}

// Expr is a value: a literal, a variable, a list, a hashtable, a script block or an
// operator applied to those.
type Expr interface {
	Node
	exprNode()
}

// Script is a whole input: statements separated by ';' or newlines.
type Script struct {
	Stmts  []*Pipeline
	EndPos Pos
}

// Pipeline is one statement: an optional expression whose values feed the first
// command ("a","b" | Get-Mailbox), then commands joined by '|'. A statement that is
// only an expression has Source and no Cmds.
type Pipeline struct {
	Source Expr
	Cmds   []*Command
}

// Command is one cmdlet invocation: its name and its elements in the order written,
// each a *Parameter or an Expr (an argument). Which argument belongs to which
// parameter is decided by the binder, which knows the cmdlet's parameters.
type Command struct {
	NamePos Pos
	NameEnd Pos
	Name    string
	Args    []Node
}

// Parameter is -Name, or -Name:value when Colon is set (Value may then be nil when
// nothing follows the colon). Any of the four dashes PowerShell accepts may start it.
type Parameter struct {
	Dash    Pos
	NameEnd Pos
	Name    string
	Colon   bool
	Value   Expr
}

// Quote says how a string was written.
type Quote int

// The ways a string is written.
const (
	Bare   Quote = iota // a bare word: Sales, user@contoso.com
	Single              // 'it''s', no escapes but doubled quotes
	Double              // "a`tb", backtick escapes and doubled quotes
)

// StringLit is a string: a quoted string or a bare word, with its decoded value.
type StringLit struct {
	ValuePos Pos
	ValueEnd Pos
	Value    string
	Quote    Quote
}

// NumberLit is a number as written (42, -1, 2.5).
type NumberLit struct {
	ValuePos Pos
	ValueEnd Pos
	Raw      string
}

// Variable is $name: $true, $false, $null, $_ and any other name.
type Variable struct {
	Dollar  Pos
	NameEnd Pos
	Name    string
}

// MemberExpr is X.Member, as in $_.PrimarySmtpAddress.
type MemberExpr struct {
	X         Expr
	Dot       Pos
	Member    string
	MemberEnd Pos
}

// ArrayLit is a comma list: a, b, c.
type ArrayLit struct {
	Elems []Expr
}

// ArraySubExpr is @( statements ), always an array.
type ArraySubExpr struct {
	At     Pos
	Rparen Pos
	Stmts  []*Pipeline
}

// ParenExpr is ( pipeline ): an expression in parentheses, or a command whose output
// becomes the value.
type ParenExpr struct {
	Lparen Pos
	Rparen Pos
	X      *Pipeline
}

// HashLit is @{ Key = value; ... }.
type HashLit struct {
	At      Pos
	Rbrace  Pos
	Entries []*HashEntry
}

// HashEntry is one Key = value of a hashtable.
type HashEntry struct {
	Key   Expr
	Equal Pos
	Value *Pipeline
}

// ScriptBlock is { statements }, as Where-Object takes.
type ScriptBlock struct {
	Lbrace Pos
	Rbrace Pos
	Stmts  []*Pipeline
}

// BinaryExpr is X -op Y, for the comparison and logical operators.
type BinaryExpr struct {
	X     Expr
	OpPos Pos
	Op    Op
	Y     Expr
}

// UnaryExpr is -not X (also written !X).
type UnaryExpr struct {
	OpPos Pos
	Op    Op
	X     Expr
}

func (*StringLit) exprNode()    {}
func (*NumberLit) exprNode()    {}
func (*Variable) exprNode()     {}
func (*MemberExpr) exprNode()   {}
func (*ArrayLit) exprNode()     {}
func (*ArraySubExpr) exprNode() {}
func (*ParenExpr) exprNode()    {}
func (*HashLit) exprNode()      {}
func (*ScriptBlock) exprNode()  {}
func (*BinaryExpr) exprNode()   {}
func (*UnaryExpr) exprNode()    {}

// Pos returns the start of the first statement, or of the input.
func (s *Script) Pos() Pos {
	if len(s.Stmts) > 0 {
		return s.Stmts[0].Pos()
	}
	return Pos{Offset: 0, Line: 1, Col: 1}
}

// End returns the end of the input.
func (s *Script) End() Pos { return s.EndPos }

// Pos returns the start of the source expression or the first command.
func (p *Pipeline) Pos() Pos {
	if p.Source != nil {
		return p.Source.Pos()
	}
	if len(p.Cmds) > 0 {
		return p.Cmds[0].Pos()
	}
	return Pos{}
}

// End returns the end of the last command or the source expression.
func (p *Pipeline) End() Pos {
	if len(p.Cmds) > 0 {
		return p.Cmds[len(p.Cmds)-1].End()
	}
	if p.Source != nil {
		return p.Source.End()
	}
	return Pos{}
}

// Pos returns the start of the command name.
func (c *Command) Pos() Pos { return c.NamePos }

// End returns the end of the last element.
func (c *Command) End() Pos {
	if len(c.Args) > 0 {
		return c.Args[len(c.Args)-1].End()
	}
	return c.NameEnd
}

// Pos returns the position of the dash.
func (p *Parameter) Pos() Pos { return p.Dash }

// End returns the end of the value after the colon, the colon or the name.
func (p *Parameter) End() Pos {
	if p.Value != nil {
		return p.Value.End()
	}
	if p.Colon {
		return p.NameEnd.after(1)
	}
	return p.NameEnd
}

// Pos returns the start of the string.
func (s *StringLit) Pos() Pos { return s.ValuePos }

// End returns the end of the string.
func (s *StringLit) End() Pos { return s.ValueEnd }

// Pos returns the start of the number.
func (n *NumberLit) Pos() Pos { return n.ValuePos }

// End returns the end of the number.
func (n *NumberLit) End() Pos { return n.ValueEnd }

// Pos returns the position of the dollar sign.
func (v *Variable) Pos() Pos { return v.Dollar }

// End returns the end of the name.
func (v *Variable) End() Pos { return v.NameEnd }

// Pos returns the start of X.
func (m *MemberExpr) Pos() Pos { return m.X.Pos() }

// End returns the end of the member name.
func (m *MemberExpr) End() Pos { return m.MemberEnd }

// Pos returns the start of the first element.
func (a *ArrayLit) Pos() Pos { return a.Elems[0].Pos() }

// End returns the end of the last element.
func (a *ArrayLit) End() Pos { return a.Elems[len(a.Elems)-1].End() }

// Pos returns the position of the '@'.
func (a *ArraySubExpr) Pos() Pos { return a.At }

// End returns the position after the ')'.
func (a *ArraySubExpr) End() Pos { return a.Rparen.after(1) }

// Pos returns the position of the '('.
func (p *ParenExpr) Pos() Pos { return p.Lparen }

// End returns the position after the ')'.
func (p *ParenExpr) End() Pos { return p.Rparen.after(1) }

// Pos returns the position of the '@'.
func (h *HashLit) Pos() Pos { return h.At }

// End returns the position after the '}'.
func (h *HashLit) End() Pos { return h.Rbrace.after(1) }

// Pos returns the start of the key.
func (e *HashEntry) Pos() Pos { return e.Key.Pos() }

// End returns the end of the value.
func (e *HashEntry) End() Pos { return e.Value.End() }

// Pos returns the position of the '{'.
func (b *ScriptBlock) Pos() Pos { return b.Lbrace }

// End returns the position after the '}'.
func (b *ScriptBlock) End() Pos { return b.Rbrace.after(1) }

// Pos returns the start of X.
func (b *BinaryExpr) Pos() Pos { return b.X.Pos() }

// End returns the end of Y.
func (b *BinaryExpr) End() Pos { return b.Y.End() }

// Pos returns the position of the operator.
func (u *UnaryExpr) Pos() Pos { return u.OpPos }

// End returns the end of X.
func (u *UnaryExpr) End() Pos { return u.X.End() }

// Walk calls fn for n and, while fn returns true, for each of its children in
// source order.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	switch n := n.(type) {
	case *Script:
		for _, s := range n.Stmts {
			Walk(s, fn)
		}
	case *Pipeline:
		if n.Source != nil {
			Walk(n.Source, fn)
		}
		for _, c := range n.Cmds {
			Walk(c, fn)
		}
	case *Command:
		for _, a := range n.Args {
			Walk(a, fn)
		}
	case *Parameter:
		if n.Value != nil {
			Walk(n.Value, fn)
		}
	case *MemberExpr:
		Walk(n.X, fn)
	case *ArrayLit:
		for _, e := range n.Elems {
			Walk(e, fn)
		}
	case *ArraySubExpr:
		for _, s := range n.Stmts {
			Walk(s, fn)
		}
	case *ParenExpr:
		Walk(n.X, fn)
	case *HashLit:
		for _, e := range n.Entries {
			Walk(e, fn)
		}
	case *HashEntry:
		Walk(n.Key, fn)
		Walk(n.Value, fn)
	case *ScriptBlock:
		for _, s := range n.Stmts {
			Walk(s, fn)
		}
	case *BinaryExpr:
		Walk(n.X, fn)
		Walk(n.Y, fn)
	case *UnaryExpr:
		Walk(n.X, fn)
	}
}
