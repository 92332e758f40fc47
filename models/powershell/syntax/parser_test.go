package syntax

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// lineCol computes the line and column of a byte offset the way the scanner counts.
func lineCol(src string, off int) (int, int) {
	line, col := 1, 1
	for i := 0; i < off; {
		r, n := utf8.DecodeRuneInString(src[i:])
		i += n
		switch {
		case r == '\n', r == '\r' && (i >= len(src) || src[i] != '\n'):
			line, col = line+1, 1
		default:
			col++
		}
	}
	return line, col
}

// checkPositions asserts that every node's positions agree with the source: valid,
// ordered, inside their parent, with line and column matching the offset, and
// pointing at the character the node starts with.
func checkPositions(t *testing.T, src string, root Node) {
	t.Helper()
	var stack []Node
	checkPos := func(n Node, what string, p Pos) {
		t.Helper()
		if !p.IsValid() || p.Offset < 0 || p.Offset > len(src) {
			t.Errorf("%q: %T %s %+v out of range", src, n, what, p)
			return
		}
		if l, c := lineCol(src, p.Offset); l != p.Line || c != p.Col {
			t.Errorf("%q: %T %s %+v, want line %d col %d", src, n, what, p, l, c)
		}
	}
	at := func(n Node, p Pos, prefixes ...string) {
		t.Helper()
		for _, pre := range prefixes {
			if strings.HasPrefix(src[p.Offset:], pre) {
				return
			}
		}
		t.Errorf("%q: %T at %d starts with %q, want one of %q", src, n, p.Offset, src[p.Offset:min(len(src), p.Offset+3)], prefixes)
	}
	Syntax := func(n Node) bool {
		if _, ok := n.(*Script); ok {
			return true
		}
		checkPos(n, "Pos", n.Pos())
		checkPos(n, "End", n.End())
		if n.Pos().Offset > n.End().Offset {
			t.Errorf("%q: %T ends before it starts", src, n)
		}
		for _, parent := range stack {
			if n.Pos().Offset < parent.Pos().Offset || n.End().Offset > parent.End().Offset {
				t.Errorf("%q: %T [%d,%d) outside its parent %T [%d,%d)", src, n, n.Pos().Offset, n.End().Offset, parent, parent.Pos().Offset, parent.End().Offset)
			}
		}
		switch n := n.(type) {
		case *Parameter:
			at(n, n.Dash, "-", "–", "—", "―")
		case *StringLit:
			switch n.Quote {
			case Single:
				at(n, n.ValuePos, "'", "‘", "’", "‚", "‛")
			case Double:
				at(n, n.ValuePos, `"`, "“", "”", "„")
			}
		case *Variable:
			at(n, n.Dollar, "$")
		case *MemberExpr:
			at(n, n.Dot, ".")
		case *HashLit:
			at(n, n.At, "@{")
			at(n, n.Rbrace, "}")
		case *ArraySubExpr:
			at(n, n.At, "@(")
			at(n, n.Rparen, ")")
		case *ParenExpr:
			at(n, n.Lparen, "(")
			at(n, n.Rparen, ")")
		case *ScriptBlock:
			at(n, n.Lbrace, "{")
			at(n, n.Rbrace, "}")
		case *BinaryExpr:
			at(n, n.OpPos, "-", "–", "—", "―")
		case *UnaryExpr:
			at(n, n.OpPos, "-", "–", "—", "―", "!")
		case *HashEntry:
			at(n, n.Equal, "=")
		}
		return true
	}
	var walk func(n Node)
	walk = func(n Node) {
		if !Syntax(n) {
			return
		}
		if _, ok := n.(*Script); !ok {
			stack = append(stack, n)
		}
		Walk(n, func(c Node) bool {
			if c == n {
				return true
			}
			walk(c)
			return false
		})
		if _, ok := n.(*Script); !ok {
			stack = stack[:len(stack)-1]
		}
	}
	walk(root)
}

func TestParsePositions(t *testing.T) {
	src := "Get-Mailbox x\nAdd-MailboxPermission -Identity 'Sales' –User MarketingSG"
	s, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	cmd := s.Stmts[1].Cmds[0]
	user := cmd.Args[2].(*Parameter)
	if got := fmt.Sprintf("%d:%d-%d:%d", user.Dash.Line, user.Dash.Col, user.End().Line, user.End().Col); got != "2:41-2:46" {
		t.Errorf("-User spans %s, want 2:41-2:46", got)
	}
	arg := cmd.Args[3].(*StringLit)
	if arg.ValuePos.Col != 47 || arg.End().Col != 58 {
		t.Errorf("MarketingSG at %d-%d, want 47-58", arg.ValuePos.Col, arg.End().Col)
	}
	if cmd.NamePos.Line != 2 || cmd.NamePos.Col != 1 || cmd.NameEnd.Col != 22 {
		t.Errorf("command name at %+v-%+v", cmd.NamePos, cmd.NameEnd)
	}
}

// parseErrors are inputs PowerShell refuses, with where and how it says so.
var parseErrors = []struct {
	in  string
	pos string
	id  string
	msg string
}{
	{"Get-Mailbox 'Sales", "1:13", "TerminatorExpectedAtEndOfString", "The string is missing the terminator: '."},
	{"Get-Mailbox \"Sales`\"", "1:13", "TerminatorExpectedAtEndOfString", `The string is missing the terminator: ".`},
	{"Where-Object { $_.A -eq 1", "1:14", "MissingEndCurlyBrace", "Missing closing '}' in statement block or type definition."},
	{"Where-Object { $_.Name -eq Sales }", "1:24", "ExpectedValueExpression", "You must provide a value expression following the '-eq' operator."},
	{"Where-Object { $_.Name –like }", "1:24", "ExpectedValueExpression", "You must provide a value expression following the '–like' operator."},
	{"Where-Object { $_.A -and }", "1:21", "ExpectedValueExpression", "You must provide a value expression following the '-and' operator."},
	{"Where-Object { $_.A -foo 1 }", "1:21", "UnexpectedToken", "Unexpected token '-foo' in expression or statement."},
	{"Where-Object { $_.A 'x' }", "1:21", "UnexpectedToken", "Unexpected token ''x'' in expression or statement."},
	{"Where-Object { -not }", "1:16", "MissingExpressionAfterOperator", "Missing expression after unary operator '-not'."},
	{"Where-Object { ($_.A -eq 1 }", "1:28", "MissingEndParenthesisInExpression", "Missing closing ')' in expression."},
	{"Get-Thing ()", "1:11", "ExpectedExpression", "An expression was expected after '('."},
	{"Get-Thing @('a'", "1:16", "MissingEndParenthesisInSubexpression", "Missing closing ')' in subexpression."},
	{"Get-Mailbox |", "1:13", "EmptyPipeElement", "An empty pipe element is not allowed."},
	{"| Get-Mailbox", "1:1", "EmptyPipeElement", "An empty pipe element is not allowed."},
	{"Get-Mailbox | | Get-User", "1:13", "EmptyPipeElement", "An empty pipe element is not allowed."},
	{"Get-Mailbox | 'x'", "1:15", "ExpressionsMustBeFirstInPipeline", "Expressions are only allowed as the first element of a pipeline."},
	{"Get-Mailbox a,", "1:14", "MissingArgument", "Missing argument in parameter list."},
	{"Get-Mailbox ,a", "1:13", "MissingArgument", "Missing argument in parameter list."},
	{"1,", "1:2", "MissingExpressionAfterToken", "Missing expression after ','."},
	{"Set-Thing @{Add}", "1:16", "MissingEqualsInHashLiteral", "Missing '=' operator after key in hash literal."},
	{"Set-Thing @{Add=}", "1:16", "MissingStatementInHashLiteral", "Missing statement after '=' in hash literal."},
	{"Set-Thing @{=1}", "1:13", "MissingKeyInHashLiteral", "Missing key before '=' in hash literal."},
	{"Set-Thing @{$ = 0}", "1:13", "UnexpectedToken", "Unexpected token '$' in expression or statement."},
	{"Set-Thing @{Add='a'", "1:11", "IncompleteHashLiteral", "The hash literal was incomplete."},
	{"Set-Thing @{Add='a' 'b'}", "1:21", "UnexpectedToken", "Unexpected token ''b'' in expression or statement."},
	{"Get-Mailbox x)", "1:14", "UnexpectedToken", "Unexpected token ')' in expression or statement."},
	{"Get-Mailbox }", "1:13", "UnexpectedToken", "Unexpected token '}' in expression or statement."},
	{"Get-Mailbox && Get-User", "1:13", "InvalidEndOfLine", "The token '&&' is not a valid statement separator in this version."},
	{"Get-Mailbox a&b", "1:14", "AmpersandNotAllowed", `The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks ("&") to pass it as part of a string.`},
	{"Get-Mailbox < x", "1:13", "RedirectionNotSupported", "The '<' operator is reserved for future use."},
	{"Get-Mailbox > out.txt", "1:13", "RedirectionNotSupported", "Redirecting output with '>' is not supported here; the output is shown in the console."},
	{"Get-Thing $(1)", "1:11", "SubExpressionNotSupported", "Subexpressions $( ... ) are not supported here; use parentheses ( ... )."},
	{"Get-Thing @args", "1:11", "SplattingNotSupported", "Splatting (@name) is not supported here: this session has no variables."},
	{"Get-Thing ${}", "1:11", "EmptyVariableReference", "Empty ${} variable reference, there should be a name between the braces."},
	{"Get-Thing $x.ToUpper()", "1:13", "MethodCallNotSupported", "Method calls such as .ToUpper() are not supported here."},
	{"Get-Thing $x[0]", "1:13", "IndexNotSupported", "Indexing with [ ] is not supported here."},
	{"Get-Thing \"`u{110000}\"", "1:12", "InvalidUnicodeEscapeSequence", "The Unicode escape sequence is not valid. A valid sequence is `u{ followed by one to six hex digits and a closing '}'."},
	{"Get-Thing <# open", "1:11", "MissingTerminatorMultiLineComment", "Missing the terminator '#>' of the block comment."},
	{"Get-Mailbox `\n  -Identity 'x", "2:13", "TerminatorExpectedAtEndOfString", "The string is missing the terminator: '."},
}

func TestParseErrors(t *testing.T) {
	for _, c := range parseErrors {
		_, err := Parse(c.in)
		pe, ok := err.(*ParseError)
		if !ok {
			t.Errorf("Parse(%q) = %v, want a ParseError", c.in, err)
			continue
		}
		if got := fmt.Sprintf("%d:%d", pe.Pos.Line, pe.Pos.Col); got != c.pos || pe.ID != c.id || pe.Message != c.msg {
			t.Errorf("Parse(%q) = %s %s %q\n                 want %s %s %q", c.in, got, pe.ID, pe.Message, c.pos, c.id, c.msg)
		}
		if !pe.End.IsValid() || pe.End.Offset < pe.Pos.Offset {
			t.Errorf("Parse(%q): error extent %+v-%+v", c.in, pe.Pos, pe.End)
		}
	}
}
