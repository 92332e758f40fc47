package syntax

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Print writes a node back as PowerShell source, in a canonical form: a plain
// hyphen before parameters, one space between elements, ", " in lists, " | "
// between commands, statements on their own lines. Parsing the result gives the
// same tree.
func Print(n Node) string {
	var p printer
	p.node(n)
	return p.String()
}

type printer struct {
	strings.Builder
}

func (p *printer) node(n Node) {
	switch n := n.(type) {
	case *Script:
		for i, s := range n.Stmts {
			if i > 0 {
				p.WriteByte('\n')
			}
			p.pipeline(s)
		}
	case *Pipeline:
		p.pipeline(n)
	case *Command:
		p.command(n)
	case *Parameter:
		p.param(n)
	case *HashEntry:
		p.hashEntry(n)
	case Expr:
		p.expr(n, false)
	default:
		panic(fmt.Sprintf("syntax: cannot print %T", n))
	}
}

func (p *printer) statements(stmts []*Pipeline) {
	for i, s := range stmts {
		if i > 0 {
			p.WriteString("; ")
		}
		p.pipeline(s)
	}
}

func (p *printer) pipeline(pl *Pipeline) {
	if pl.Source != nil {
		p.expr(pl.Source, false)
	}
	for i, c := range pl.Cmds {
		if i > 0 || pl.Source != nil {
			p.WriteString(" | ")
		}
		p.command(c)
	}
}

func (p *printer) command(c *Command) {
	p.WriteString(bareWord(c.Name))
	for _, a := range c.Args {
		p.WriteByte(' ')
		if prm, ok := a.(*Parameter); ok {
			p.param(prm)
		} else {
			p.expr(a.(Expr), true)
		}
	}
}

func (p *printer) param(prm *Parameter) {
	p.WriteByte('-')
	p.WriteString(prm.Name)
	if prm.Colon {
		p.WriteByte(':')
		if prm.Value != nil {
			p.expr(prm.Value, true)
		}
	}
}

// expr prints an expression. arg says it is a command argument, where a bare word
// stands for a string; elsewhere a bare string is printed quoted.
func (p *printer) expr(x Expr, arg bool) {
	switch x := x.(type) {
	case *StringLit:
		switch {
		case x.Quote == Double:
			p.WriteString(doubleQuoted(x.Value))
		case x.Quote == Bare && arg && x.Value != "":
			p.WriteString(bareWord(x.Value))
		default:
			p.WriteString(singleQuoted(x.Value))
		}
	case *NumberLit:
		p.WriteString(x.Raw)
	case *Variable:
		p.WriteString(variable(x.Name))
	case *MemberExpr:
		p.expr(x.X, arg)
		p.WriteByte('.')
		p.WriteString(x.Member)
	case *ArrayLit:
		for i, e := range x.Elems {
			if i > 0 {
				p.WriteString(", ")
			}
			if _, nested := e.(*ArrayLit); nested {
				p.WriteByte('(')
				p.expr(e, false)
				p.WriteByte(')')
				continue
			}
			p.expr(e, arg)
		}
	case *ArraySubExpr:
		p.WriteString("@(")
		p.statements(x.Stmts)
		p.WriteByte(')')
	case *ParenExpr:
		p.WriteByte('(')
		p.pipeline(x.X)
		p.WriteByte(')')
	case *HashLit:
		p.WriteString("@{")
		for i, e := range x.Entries {
			if i > 0 {
				p.WriteString("; ")
			}
			p.hashEntry(e)
		}
		p.WriteByte('}')
	case *ScriptBlock:
		if len(x.Stmts) == 0 {
			p.WriteString("{}")
			return
		}
		p.WriteString("{ ")
		p.statements(x.Stmts)
		p.WriteString(" }")
	case *BinaryExpr:
		p.expr(x.X, false)
		p.WriteByte(' ')
		p.WriteString(x.Op.String())
		p.WriteByte(' ')
		p.expr(x.Y, false)
	case *UnaryExpr:
		p.WriteString("-not ")
		p.expr(x.X, false)
	default:
		panic(fmt.Sprintf("syntax: cannot print %T", x))
	}
}

func (p *printer) hashEntry(e *HashEntry) {
	if k, ok := e.Key.(*StringLit); ok && k.Quote == Bare && isHashKey(k.Value) {
		p.WriteString(k.Value)
	} else {
		p.expr(e.Key, false)
	}
	p.WriteString(" = ")
	p.pipeline(e.Value)
}

// isHashKey reports whether a bare hashtable key reads back as the same key.
func isHashKey(k string) bool {
	if k == "" || isNumber(k) {
		return false
	}
	for _, r := range k {
		if !isIdentChar(r) && r != '-' && r != '.' {
			return false
		}
	}
	r, _ := utf8.DecodeRuneInString(k)
	return isIdentChar(r)
}

// singleQuoted quotes s in single quotes, doubling any quote character inside.
func singleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		if isSingleQuote(r) {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// doubleQuoted quotes s in double quotes with backtick escapes.
func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '`' || r == '$' || isDoubleQuote(r):
			b.WriteByte('`')
			b.WriteRune(r)
		case unicode.IsControl(r):
			b.WriteString(controlEscape(r))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// bareWord writes s as a bare word that reads back as s, escaping with backticks
// what would otherwise end the word or change its meaning.
func bareWord(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case unicode.IsControl(r):
			b.WriteString(controlEscape(r))
		case i == 0 && strings.ContainsRune("0abefnrtuv", r) && needsFirstEscape(s):
			fmt.Fprintf(&b, "`u{%x}", r)
		case r == '`' || isSpace(r) || isQuote(r) || strings.ContainsRune(";|,(){}<>&", r),
			i == 0 && needsFirstEscape(s):
			b.WriteByte('`')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsFirstEscape reports whether a word would read as something else unless its
// first character is escaped: a parameter, a number, a variable, a comment, @{,
// or (for a command name) the ! operator.
func needsFirstEscape(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	r2, _ := utf8.DecodeRuneInString(s[n:])
	if n == len(s) {
		r2 = eof
	}
	switch {
	case isNumber(s):
		return true
	case isDash(r):
		return isIdentStart(r2) || r2 == '?'
	case r == '$' || r == '@':
		return r2 != eof
	case r == '#', r == '!':
		return true
	}
	return false
}

// controlEscape writes a control character as its backtick escape.
func controlEscape(r rune) string {
	switch r {
	case 0:
		return "`0"
	case '\a':
		return "`a"
	case '\b':
		return "`b"
	case 0x1b:
		return "`e"
	case '\f':
		return "`f"
	case '\n':
		return "`n"
	case '\r':
		return "`r"
	case '\t':
		return "`t"
	case '\v':
		return "`v"
	}
	return fmt.Sprintf("`u{%x}", r)
}

// variable writes $name, or ${name} when the name has characters a plain variable
// name cannot.
func variable(name string) string {
	if name == "?" || name == "^" || name == "$" {
		return "$" + name
	}
	plain := name != ""
	scope := false
	for i, r := range name {
		if r == ':' && !scope && i > 0 && i < len(name)-1 {
			scope = true
			continue
		}
		if !isIdentChar(r) {
			plain = false
		}
	}
	if plain {
		return "$" + name
	}
	return "${" + name + "}"
}
