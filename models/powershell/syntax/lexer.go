package syntax

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token.
type tokKind int

const (
	tEOF tokKind = iota
	tNewline
	tSemi
	tPipe
	tComma
	tLParen
	tRParen
	tLBrace
	tRBrace
	tAtBrace // @{
	tAtParen // @(
	tEquals  // = (expression mode only)
	tParam   // -Name or -Name: (command mode only)
	tWord    // a bare word
	tString  // a quoted string
	tNumber
	tVariable
	tOp // an operator (expression mode only)
)

// token is one lexed token. val holds the decoded text: a word's or string's value,
// a parameter's or variable's name, a number as written.
type token struct {
	kind  tokKind
	pos   Pos
	end   Pos
	val   string
	quote Quote
	op    Op
	colon bool // a parameter written -Name:
	plain bool // a word written without escapes or quotes
}

// mode says how the next token is read: a command line reads -Name as a parameter
// and most characters as part of a bare word; an expression reads -eq as an
// operator and has no bare words.
type mode int

const (
	cmdMode mode = iota
	exprMode
)

// scanner walks the source by character, keeping line and column.
type scanner struct {
	src  string
	off  int
	line int
	col  int
}

const eof = -1

func (s *scanner) pos() Pos { return Pos{Offset: s.off, Line: s.line, Col: s.col} }

// peek returns the current character without moving.
func (s *scanner) peek() rune {
	if s.off >= len(s.src) {
		return eof
	}
	r, _ := utf8.DecodeRuneInString(s.src[s.off:])
	return r
}

// peek2 returns the character after the current one.
func (s *scanner) peek2() rune {
	if s.off >= len(s.src) {
		return eof
	}
	_, n := utf8.DecodeRuneInString(s.src[s.off:])
	if s.off+n >= len(s.src) {
		return eof
	}
	r, _ := utf8.DecodeRuneInString(s.src[s.off+n:])
	return r
}

// next moves past the current character and returns it. "\r\n" counts as one line
// break.
func (s *scanner) next() rune {
	if s.off >= len(s.src) {
		return eof
	}
	r, n := utf8.DecodeRuneInString(s.src[s.off:])
	s.off += n
	switch {
	case r == '\n', r == '\r' && s.peek() != '\n':
		s.line++
		s.col = 1
	default:
		s.col++
	}
	return r
}

// isDash reports whether r is one of the dashes PowerShell reads as a hyphen: the
// hyphen-minus, en dash, em dash and horizontal bar.
func isDash(r rune) bool { return r == '-' || r == '\u2013' || r == '\u2014' || r == '\u2015' }

// isSingleQuote and isDoubleQuote include the typographic quotes that text copied
// from a document carries; PowerShell reads them as quotes too.
func isSingleQuote(r rune) bool {
	return r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201A' || r == '\u201B'
}

func isDoubleQuote(r rune) bool { return r == '"' || r == '\u201C' || r == '\u201D' || r == '\u201E' }

func isQuote(r rune) bool { return isSingleQuote(r) || isDoubleQuote(r) }

func isNewline(r rune) bool { return r == '\n' || r == '\r' }

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\v', '\f', '\u00a0', '\u0085':
		return true
	}
	return r > 0x7f && unicode.Is(unicode.Zs, r)
}

// endsWord reports whether r ends a bare word.
func endsWord(r rune) bool {
	return r == eof || isSpace(r) || isNewline(r) || strings.ContainsRune(";|,(){}<>&", r)
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentChar(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// skipSpace skips blanks, line continuations (a backtick before a line break) and
// comments, but not line breaks themselves.
func (s *scanner) skipSpace() {
	for {
		r := s.peek()
		switch {
		case isSpace(r):
			s.next()
		case r == '`' && (isNewline(s.peek2()) || s.peek2() == eof):
			s.next()
			if s.peek() == '\r' {
				s.next()
			}
			if s.peek() == '\n' {
				s.next()
			}
		case r == '#':
			for r := s.peek(); r != eof && !isNewline(r); r = s.peek() {
				s.next()
			}
		case r == '<' && s.peek2() == '#':
			start := s.pos()
			s.next()
			s.next()
			for !strings.HasPrefix(s.src[s.off:], "#>") {
				if s.next() == eof {
					fail(start, start.after(2), "MissingTerminatorMultiLineComment",
						"Missing the terminator '#>' of the block comment.")
				}
			}
			s.next()
			s.next()
		default:
			return
		}
	}
}

// lex reads the next token in the given mode.
func (s *scanner) lex(m mode) token {
	s.skipSpace()
	start := s.pos()
	tok := func(k tokKind) token {
		return token{kind: k, pos: start, end: s.pos()}
	}
	r := s.peek()
	switch {
	case r == eof:
		return tok(tEOF)
	case isNewline(r):
		if s.next() == '\r' && s.peek() == '\n' {
			s.next()
		}
		return tok(tNewline)
	case (r == '|' || r == '&') && s.peek2() == r:
		s.next()
		s.next()
		fail(start, s.pos(), "InvalidEndOfLine", "The token '"+string([]rune{r, r})+"' is not a valid statement separator in this version.")
	case r == '&':
		s.next()
		fail(start, s.pos(), "AmpersandNotAllowed", `The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks ("&") to pass it as part of a string.`)
	case r == '<':
		s.next()
		fail(start, s.pos(), "RedirectionNotSupported", "The '<' operator is reserved for future use.")
	case r == '>':
		s.next()
		fail(start, s.pos(), "RedirectionNotSupported", "Redirecting output with '>' is not supported here; the output is shown in the console.")
	}
	if k, ok := punct[r]; ok {
		s.next()
		return tok(k)
	}
	switch {
	case r == '@':
		switch r2 := s.peek2(); {
		case r2 == '{' || r2 == '(':
			s.next()
			s.next()
			if r2 == '{' {
				return tok(tAtBrace)
			}
			return tok(tAtParen)
		case isQuote(r2):
			s.next()
			s.next()
			fail(start, s.pos(), "HereStringNotSupported", "Here-strings (@\" ... \"@) are not supported here; use a quoted string.")
		case isIdentChar(r2):
			s.next()
			s.next()
			fail(start, s.pos(), "SplattingNotSupported", "Splatting (@name) is not supported here: this session has no variables.")
		}
	case r == '$':
		switch r2 := s.peek2(); {
		case r2 == '(':
			s.next()
			s.next()
			fail(start, s.pos(), "SubExpressionNotSupported", "Subexpressions $( ... ) are not supported here; use parentheses ( ... ).")
		case isIdentChar(r2) || r2 == '{' || r2 == '?' || r2 == '^' || r2 == '$':
			return s.lexVariable()
		}
	case isQuote(r):
		return s.lexString()
	case m == exprMode && r == '=':
		s.next()
		return tok(tEquals)
	case m == exprMode && r == '!':
		s.next()
		t := tok(tOp)
		t.op = Not
		return t
	case m == exprMode && isDash(r) && isIdentStart(s.peek2()):
		s.next()
		for isIdentChar(s.peek()) {
			s.next()
		}
		t := tok(tOp)
		name := s.src[start.Offset:s.off]
		_, dashLen := utf8.DecodeRuneInString(name)
		if t.op = lookupOp(name[dashLen:]); t.op == OpInvalid {
			fail(start, s.pos(), "UnexpectedToken", "Unexpected token '"+name+"' in expression or statement.")
		}
		return t
	case m == exprMode && (isDigit(r) || r == '.' && isDigit(s.peek2()) || r == '-' && isDigit(s.peek2())):
		return s.lexNumber()
	case m == cmdMode && isDash(r) && (isIdentStart(s.peek2()) || s.peek2() == '?'):
		if t, ok := s.lexParam(); ok {
			return t
		}
	}
	t := s.lexWord()
	if t.plain && isNumber(t.val) {
		t.kind = tNumber
	}
	return t
}

var punct = map[rune]tokKind{
	';': tSemi, '|': tPipe, ',': tComma, '(': tLParen, ')': tRParen, '{': tLBrace, '}': tRBrace,
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// lexParam reads -Name or -Name: . It reports false, leaving the scanner where it
// was, when the text is not a parameter after all (-foo=bar is an argument).
func (s *scanner) lexParam() (token, bool) {
	save := *s
	start := s.pos()
	s.next()
	nameStart := s.off
	for r := s.peek(); isIdentChar(r) || r == '?'; r = s.peek() {
		s.next()
	}
	t := token{kind: tParam, pos: start, val: s.src[nameStart:s.off]}
	switch r := s.peek(); {
	case r == ':':
		s.next()
		t.colon = true
	case endsWord(r), r == '`' && (isNewline(s.peek2()) || s.peek2() == eof):
	default:
		*s = save
		return token{}, false
	}
	t.end = s.pos()
	return t, true
}

// lexWord reads a bare word. Backtick escapes apply, and quoted parts join the word
// (a'b c'd is one argument, "ab cd").
func (s *scanner) lexWord() token {
	start := s.pos()
	var b strings.Builder
	plain := true
	for {
		r := s.peek()
		if endsWord(r) || r == '`' && (isNewline(s.peek2()) || s.peek2() == eof) {
			break
		}
		switch {
		case r == '`':
			s.next()
			b.WriteRune(s.escape())
			plain = false
		case isQuote(r):
			b.WriteString(s.lexString().val)
			plain = false
		default:
			s.next()
			b.WriteRune(r)
		}
	}
	return token{kind: tWord, pos: start, end: s.pos(), val: b.String(), quote: Bare, plain: plain}
}

// lexString reads a single- or double-quoted string.
func (s *scanner) lexString() token {
	start := s.pos()
	open := s.next()
	var b strings.Builder
	t := token{kind: tString, pos: start, quote: Single}
	if isDoubleQuote(open) {
		t.quote = Double
	}
	unterminated := func() {
		q := "'"
		if t.quote == Double {
			q = `"`
		}
		fail(start, s.pos(), "TerminatorExpectedAtEndOfString", "The string is missing the terminator: "+q+".")
	}
	for {
		r := s.peek()
		switch {
		case r == eof:
			unterminated()
		case t.quote == Single && isSingleQuote(r), t.quote == Double && isDoubleQuote(r):
			s.next()
			if r2 := s.peek(); t.quote == Single && isSingleQuote(r2) || t.quote == Double && isDoubleQuote(r2) {
				b.WriteRune(s.next())
				continue
			}
			t.val, t.end = b.String(), s.pos()
			return t
		case t.quote == Double && r == '`':
			s.next()
			if s.peek() == eof {
				unterminated()
			}
			b.WriteRune(s.escape())
		default:
			b.WriteRune(s.next())
		}
	}
}

// escape decodes the character after a backtick, which the caller has consumed.
func (s *scanner) escape() rune {
	start := Pos{Offset: s.off - 1, Line: s.line, Col: s.col - 1} // the backtick
	r := s.next()
	switch r {
	case '0':
		return 0
	case 'a':
		return '\a'
	case 'b':
		return '\b'
	case 'e':
		return 0x1b
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'v':
		return '\v'
	case 'u':
		if s.peek() != '{' {
			return 'u'
		}
		s.next()
		var v rune
		n := 0
		for ; n < 7 && isHex(s.peek()); n++ {
			v = v*16 + hexVal(s.next())
		}
		if n == 0 || n > 6 || s.peek() != '}' || v > unicode.MaxRune || v >= 0xD800 && v <= 0xDFFF {
			fail(start, s.pos(), "InvalidUnicodeEscapeSequence",
				"The Unicode escape sequence is not valid. A valid sequence is `u{ followed by one to six hex digits and a closing '}'.")
		}
		s.next()
		return v
	case eof:
		return '`'
	}
	return r
}

func isHex(r rune) bool { return isDigit(r) || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' }

func hexVal(r rune) rune {
	switch {
	case isDigit(r):
		return r - '0'
	case r >= 'a':
		return r - 'a' + 10
	}
	return r - 'A' + 10
}

// lexVariable reads $name, ${any name}, $_, $?, $^ and $$.
func (s *scanner) lexVariable() token {
	start := s.pos()
	s.next()
	t := token{kind: tVariable, pos: start}
	switch r := s.peek(); {
	case r == '{':
		s.next()
		nameStart := s.off
		for r := s.peek(); r != '}'; r = s.peek() {
			if r == eof {
				fail(start, s.pos(), "MissingEndCurlyBrace", "Missing closing '}' of the variable name.")
			}
			s.next()
		}
		t.val = s.src[nameStart:s.off]
		s.next()
		if t.val == "" {
			fail(start, s.pos(), "EmptyVariableReference", "Empty ${} variable reference, there should be a name between the braces.")
		}
	case r == '?' || r == '^' || r == '$':
		s.next()
		t.val = string(r)
	default:
		nameStart := s.off
		for isIdentChar(s.peek()) {
			s.next()
		}
		// A scope prefix: $env:USERNAME.
		if s.peek() == ':' && isIdentChar(s.peek2()) {
			s.next()
			for isIdentChar(s.peek()) {
				s.next()
			}
		}
		t.val = s.src[nameStart:s.off]
	}
	t.end = s.pos()
	return t
}

// lexNumber reads a number in an expression: 42, -1, 2.5, 1e3.
func (s *scanner) lexNumber() token {
	start := s.pos()
	if s.peek() == '-' {
		s.next()
	}
	digits := func() {
		for isDigit(s.peek()) {
			s.next()
		}
	}
	digits()
	if s.peek() == '.' && isDigit(s.peek2()) {
		s.next()
		digits()
	}
	if r := s.peek(); (r == 'e' || r == 'E') && (isDigit(s.peek2()) || s.peek2() == '-' || s.peek2() == '+') {
		save := *s
		s.next()
		if r := s.peek(); r == '-' || r == '+' {
			s.next()
		}
		if !isDigit(s.peek()) {
			*s = save
		}
		digits()
	}
	return token{kind: tNumber, pos: start, end: s.pos(), val: s.src[start.Offset:s.off]}
}

// isNumber reports whether a bare word is a number: an optional sign, digits with an
// optional fraction, and an optional exponent.
func isNumber(w string) bool {
	i := 0
	if i < len(w) && (w[i] == '-' || w[i] == '+') {
		i++
	}
	d := 0
	for ; i < len(w) && isDigit(rune(w[i])); i++ {
		d++
	}
	if i < len(w) && w[i] == '.' {
		i++
		for ; i < len(w) && isDigit(rune(w[i])); i++ {
			d++
		}
	}
	if d == 0 {
		return false
	}
	if i < len(w) && (w[i] == 'e' || w[i] == 'E') {
		i++
		if i < len(w) && (w[i] == '-' || w[i] == '+') {
			i++
		}
		e := 0
		for ; i < len(w) && isDigit(rune(w[i])); i++ {
			e++
		}
		if e == 0 {
			return false
		}
	}
	return i == len(w)
}

// lexHashKey reads the key of a hashtable entry: a bare name (Add), a string or a
// number. Anything else is lexed as an expression token for the parser to refuse.
func (s *scanner) lexHashKey() token {
	s.skipSpace()
	r := s.peek()
	if !isIdentChar(r) {
		return s.lex(exprMode)
	}
	start := s.pos()
	for r := s.peek(); isIdentChar(r) || r == '-' || r == '.'; r = s.peek() {
		s.next()
	}
	t := token{kind: tWord, pos: start, end: s.pos(), val: s.src[start.Offset:s.off], quote: Bare, plain: true}
	if isNumber(t.val) {
		t.kind = tNumber
	}
	return t
}
