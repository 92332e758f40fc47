package syntax

import "fmt"

// ParseError is a syntax error: where it is, PowerShell's error id for it and its
// message in PowerShell's wording.
type ParseError struct {
	Pos     Pos
	End     Pos
	ID      string
	Message string
}

// Error returns "line:col: message".
func (e *ParseError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Message)
}

// fail stops the parse with a ParseError; Parse recovers it.
func fail(pos, end Pos, id, msg string) {
	panic(&ParseError{Pos: pos, End: end, ID: id, Message: msg})
}

// Parse reads a whole input. The error, if any, is a *ParseError.
func Parse(src string) (script *Script, err error) {
	p := &parser{sc: scanner{src: src, line: 1, col: 1}}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(*ParseError)
			if !ok {
				panic(r)
			}
			script, err = nil, pe
		}
	}()
	stmts := p.statements(tEOF)
	p.sc.skipSpace()
	return &Script{Stmts: stmts, EndPos: p.sc.pos()}, nil
}

type parser struct {
	sc scanner
	// The last token peeked, kept until the scanner moves or the mode changes:
	// the parser peeks most tokens before it takes them.
	peeked     bool
	peekMode   mode
	peekOff    int
	peekTok    token
	peekedScan scanner
}

// peek lexes the next token without consuming it.
func (p *parser) peek(m mode) token {
	if p.peeked && p.peekMode == m && p.peekOff == p.sc.off {
		return p.peekTok
	}
	save := p.sc
	t := p.sc.lex(m)
	p.peeked, p.peekMode, p.peekOff, p.peekTok, p.peekedScan = true, m, save.off, t, p.sc
	p.sc = save
	return t
}

// next lexes and consumes the next token.
func (p *parser) next(m mode) token {
	t := p.peek(m)
	p.sc = p.peekedScan
	p.peeked = false
	return t
}

func (p *parser) text(t token) string { return p.sc.src[t.pos.Offset:t.end.Offset] }

func (p *parser) skipNewlines() {
	for p.peek(cmdMode).kind == tNewline {
		p.next(cmdMode)
	}
}

func (p *parser) unexpected(t token) {
	if t.kind == tEOF {
		fail(t.pos, t.end, "UnexpectedToken", "Unexpected end of input.")
	}
	fail(t.pos, t.end, "UnexpectedToken", "Unexpected token '"+p.text(t)+"' in expression or statement.")
}

// statements reads statements separated by ';' and line breaks, up to (not past)
// the token kind that ends the list or the end of input.
func (p *parser) statements(end tokKind) []*Pipeline {
	var stmts []*Pipeline
	for {
		t := p.peek(cmdMode)
		switch t.kind {
		case tNewline, tSemi:
			p.next(cmdMode)
			continue
		case end, tEOF:
			return stmts
		}
		stmts = append(stmts, p.statement())
		switch t := p.peek(cmdMode); t.kind {
		case tNewline, tSemi, end, tEOF:
		default:
			p.unexpected(t)
		}
	}
}

// statement reads one pipeline: commands joined by '|', or an expression that is
// the whole statement or feeds the commands after it.
func (p *parser) statement() *Pipeline {
	pl := &Pipeline{}
	t := p.peek(cmdMode)
	switch {
	case t.kind == tWord && !p.startsWithNot():
		pl.Cmds = append(pl.Cmds, p.command())
	case t.kind == tPipe:
		fail(t.pos, t.end, "EmptyPipeElement", "An empty pipe element is not allowed.")
	default:
		if pl.Source = p.logical(); pl.Source == nil {
			p.unexpected(p.peek(exprMode))
		}
	}
	for {
		bar := p.peek(cmdMode)
		if bar.kind != tPipe {
			return pl
		}
		p.next(cmdMode)
		p.skipNewlines()
		switch t := p.peek(cmdMode); t.kind {
		case tWord:
			pl.Cmds = append(pl.Cmds, p.command())
		case tPipe, tSemi, tNewline, tEOF, tRParen, tRBrace:
			fail(bar.pos, bar.end, "EmptyPipeElement", "An empty pipe element is not allowed.")
		default:
			fail(t.pos, t.end, "ExpressionsMustBeFirstInPipeline", "Expressions are only allowed as the first element of a pipeline.")
		}
	}
}

// startsWithNot reports whether the statement begins with ! (which a command line
// would otherwise read as a bare word).
func (p *parser) startsWithNot() bool {
	t := p.peek(exprMode)
	return t.kind == tOp && t.op == Not
}

// command reads a cmdlet name and its parameters and arguments.
func (p *parser) command() *Command {
	name := p.next(cmdMode)
	c := &Command{NamePos: name.pos, NameEnd: name.end, Name: name.val}
	for {
		t := p.peek(cmdMode)
		switch t.kind {
		case tParam:
			p.next(cmdMode)
			prm := &Parameter{Dash: t.pos, NameEnd: t.end, Name: t.val, Colon: t.colon}
			if t.colon {
				prm.NameEnd = Pos{Offset: t.end.Offset - 1, Line: t.end.Line, Col: t.end.Col - 1}
				if startsArg(p.peek(cmdMode).kind) {
					prm.Value = p.commandArg()
				}
			}
			c.Args = append(c.Args, prm)
		case tComma:
			fail(t.pos, t.end, "MissingArgument", "Missing argument in parameter list.")
		default:
			if !startsArg(t.kind) {
				return c
			}
			c.Args = append(c.Args, p.commandArg())
		}
	}
}

func startsArg(k tokKind) bool {
	switch k {
	case tWord, tString, tNumber, tVariable, tLParen, tAtBrace, tAtParen, tLBrace:
		return true
	}
	return false
}

// commandArg reads one argument of a command: a value or a comma list of values.
func (p *parser) commandArg() Expr {
	x := p.commandValue()
	if p.peek(cmdMode).kind != tComma {
		return x
	}
	list := &ArrayLit{Elems: []Expr{x}}
	for p.peek(cmdMode).kind == tComma {
		comma := p.next(cmdMode)
		p.skipNewlines()
		if !startsArg(p.peek(cmdMode).kind) {
			fail(comma.pos, comma.end, "MissingArgument", "Missing argument in parameter list.")
		}
		list.Elems = append(list.Elems, p.commandValue())
	}
	return list
}

// commandValue reads a single argument value in command mode.
func (p *parser) commandValue() Expr {
	t := p.next(cmdMode)
	switch t.kind {
	case tWord:
		return &StringLit{ValuePos: t.pos, ValueEnd: t.end, Value: t.val, Quote: Bare}
	case tNumber:
		return &NumberLit{ValuePos: t.pos, ValueEnd: t.end, Raw: t.val}
	}
	return p.value(t)
}

// value builds the expression a token starts, for the tokens both modes share.
func (p *parser) value(t token) Expr {
	switch t.kind {
	case tString:
		return &StringLit{ValuePos: t.pos, ValueEnd: t.end, Value: t.val, Quote: t.quote}
	case tNumber:
		return &NumberLit{ValuePos: t.pos, ValueEnd: t.end, Raw: t.val}
	case tVariable:
		return p.members(&Variable{Dollar: t.pos, NameEnd: t.end, Name: t.val})
	case tLParen:
		return p.members(p.paren(t))
	case tAtParen:
		stmts := p.statements(tRParen)
		end := p.next(cmdMode)
		if end.kind != tRParen {
			fail(end.pos, end.end, "MissingEndParenthesisInSubexpression", "Missing closing ')' in subexpression.")
		}
		return p.members(&ArraySubExpr{At: t.pos, Rparen: end.pos, Stmts: stmts})
	case tAtBrace:
		return p.hash(t)
	case tLBrace:
		stmts := p.statements(tRBrace)
		end := p.next(cmdMode)
		if end.kind != tRBrace {
			fail(t.pos, t.end, "MissingEndCurlyBrace", "Missing closing '}' in statement block or type definition.")
		}
		return &ScriptBlock{Lbrace: t.pos, Rbrace: end.pos, Stmts: stmts}
	}
	panic("syntax: value called with a token that starts no value")
}

func (p *parser) paren(open token) *ParenExpr {
	p.skipNewlines()
	if t := p.peek(cmdMode); t.kind == tRParen {
		fail(open.pos, open.end, "ExpectedExpression", "An expression was expected after '('.")
	}
	x := p.statement()
	p.skipNewlines()
	end := p.next(cmdMode)
	if end.kind != tRParen {
		fail(end.pos, end.end, "MissingEndParenthesisInExpression", "Missing closing ')' in expression.")
	}
	return &ParenExpr{Lparen: open.pos, Rparen: end.pos, X: x}
}

// members reads .Name accesses written directly after a value: $_.Alias.Length.
func (p *parser) members(x Expr) Expr {
	for {
		s := &p.sc
		if s.peek() != '.' || !isIdentStart(s.peek2()) {
			if s.peek() == '[' {
				start := s.pos()
				fail(start, start.after(1), "IndexNotSupported", "Indexing with [ ] is not supported here.")
			}
			return x
		}
		dot := s.pos()
		s.next()
		nameStart := s.off
		for isIdentChar(s.peek()) {
			s.next()
		}
		m := &MemberExpr{X: x, Dot: dot, Member: s.src[nameStart:s.off], MemberEnd: s.pos()}
		if s.peek() == '(' {
			fail(m.Dot, m.MemberEnd, "MethodCallNotSupported", "Method calls such as ."+m.Member+"() are not supported here.")
		}
		x = m
	}
}

// hash reads the entries of @{ Key = value; ... } after the opening @{.
func (p *parser) hash(open token) *HashLit {
	h := &HashLit{At: open.pos}
	incomplete := func() {
		fail(open.pos, open.end, "IncompleteHashLiteral", "The hash literal was incomplete.")
	}
	for {
		t := p.peek(cmdMode)
		switch t.kind {
		case tNewline, tSemi:
			p.next(cmdMode)
			continue
		case tRBrace:
			p.next(cmdMode)
			h.Rbrace = t.pos
			return h
		case tEOF:
			incomplete()
		}
		k := p.sc.lexHashKey()
		var key Expr
		switch k.kind {
		case tWord:
			if !isHashKey(k.val) {
				p.unexpected(k) // a bare key is a name: @{$ = 1} is not one
			}
			key = &StringLit{ValuePos: k.pos, ValueEnd: k.end, Value: k.val, Quote: Bare}
		case tString, tNumber, tVariable:
			key = p.value(k)
		case tEquals:
			fail(k.pos, k.end, "MissingKeyInHashLiteral", "Missing key before '=' in hash literal.")
		default:
			p.unexpected(k)
		}
		eq := p.next(exprMode)
		if eq.kind != tEquals {
			fail(eq.pos, eq.end, "MissingEqualsInHashLiteral", "Missing '=' operator after key in hash literal.")
		}
		switch t := p.peek(cmdMode); t.kind {
		case tNewline, tSemi, tRBrace, tEOF:
			fail(eq.pos, eq.end, "MissingStatementInHashLiteral", "Missing statement after '=' in hash literal.")
		}
		h.Entries = append(h.Entries, &HashEntry{Key: key, Equal: eq.pos, Value: p.statement()})
		switch t := p.peek(cmdMode); t.kind {
		case tNewline, tSemi, tRBrace:
		case tEOF:
			incomplete()
		default:
			p.unexpected(t)
		}
	}
}

// logical reads conditions joined by -and, -or and -xor, which PowerShell gives
// equal precedence, left to right. It returns nil when no expression starts here.
func (p *parser) logical() Expr {
	x := p.comparison()
	if x == nil {
		return nil
	}
	for {
		t := p.peek(exprMode)
		if t.kind != tOp || !t.op.IsLogical() {
			return x
		}
		p.next(exprMode)
		x = &BinaryExpr{X: x, OpPos: t.pos, Op: t.op, Y: p.operand(t, p.comparison)}
	}
}

// comparison reads values joined by comparison operators, left to right.
func (p *parser) comparison() Expr {
	x := p.unary()
	if x == nil {
		return nil
	}
	for {
		t := p.peek(exprMode)
		if t.kind != tOp || !t.op.IsComparison() {
			return x
		}
		p.next(exprMode)
		x = &BinaryExpr{X: x, OpPos: t.pos, Op: t.op, Y: p.operand(t, p.unary)}
	}
}

// operand reads the right side of a binary operator; a line break may come first.
func (p *parser) operand(op token, read func() Expr) Expr {
	p.skipNewlines()
	y := read()
	if y == nil {
		fail(op.pos, op.end, "ExpectedValueExpression", "You must provide a value expression following the '"+p.text(op)+"' operator.")
	}
	return y
}

// unary reads -not x and !x, which bind tighter than comparisons.
func (p *parser) unary() Expr {
	t := p.peek(exprMode)
	if t.kind == tOp && t.op == Not {
		p.next(exprMode)
		p.skipNewlines()
		x := p.unary()
		if x == nil {
			fail(t.pos, t.end, "MissingExpressionAfterOperator", "Missing expression after unary operator '"+p.text(t)+"'.")
		}
		return &UnaryExpr{OpPos: t.pos, Op: Not, X: x}
	}
	return p.array()
}

// array reads a value or a comma list of values in an expression.
func (p *parser) array() Expr {
	x := p.primary()
	if x == nil || p.peek(exprMode).kind != tComma {
		return x
	}
	list := &ArrayLit{Elems: []Expr{x}}
	for p.peek(exprMode).kind == tComma {
		comma := p.next(exprMode)
		p.skipNewlines()
		y := p.primary()
		if y == nil {
			fail(comma.pos, comma.end, "MissingExpressionAfterToken", "Missing expression after ','.")
		}
		list.Elems = append(list.Elems, y)
	}
	return list
}

// primary reads one value in an expression, or returns nil when the next token
// starts none (a bare word is a command, not a value, in an expression).
func (p *parser) primary() Expr {
	t := p.peek(exprMode)
	switch t.kind {
	case tString, tNumber, tVariable, tLParen, tAtParen, tAtBrace, tLBrace:
		p.next(exprMode)
		return p.value(t)
	}
	return nil
}
