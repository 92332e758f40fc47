package syntax

import "strings"

// Op is an operator of the expression language inside script blocks and
// parentheses.
type Op int

// The operators. Each comparison has a case-sensitive form (-ceq); the explicitly
// case-insensitive forms (-ieq) read as the plain ones.
const (
	OpInvalid Op = iota
	Eq
	Ne
	Gt
	Ge
	Lt
	Le
	Like
	NotLike
	Match
	NotMatch
	Contains
	NotContains
	In
	NotIn
	CEq
	CNe
	CGt
	CGe
	CLt
	CLe
	CLike
	CNotLike
	CMatch
	CNotMatch
	CContains
	CNotContains
	CIn
	CNotIn
	And
	Or
	Xor
	Not
)

var opNames = [...]string{
	OpInvalid: "", Eq: "-eq", Ne: "-ne", Gt: "-gt", Ge: "-ge", Lt: "-lt", Le: "-le",
	Like: "-like", NotLike: "-notlike", Match: "-match", NotMatch: "-notmatch",
	Contains: "-contains", NotContains: "-notcontains", In: "-in", NotIn: "-notin",
	CEq: "-ceq", CNe: "-cne", CGt: "-cgt", CGe: "-cge", CLt: "-clt", CLe: "-cle",
	CLike: "-clike", CNotLike: "-cnotlike", CMatch: "-cmatch", CNotMatch: "-cnotmatch",
	CContains: "-ccontains", CNotContains: "-cnotcontains", CIn: "-cin", CNotIn: "-cnotin",
	And: "-and", Or: "-or", Xor: "-xor", Not: "-not",
}

// String returns the operator as PowerShell writes it, in lower case: "-eq".
func (o Op) String() string {
	if o < 0 || int(o) >= len(opNames) {
		return ""
	}
	return opNames[o]
}

// IsComparison reports whether o compares two values (-eq ... -notin).
func (o Op) IsComparison() bool { return o >= Eq && o <= CNotIn }

// IsLogical reports whether o joins two conditions (-and, -or, -xor).
func (o Op) IsLogical() bool { return o == And || o == Or || o == Xor }

// CaseSensitive reports whether o is a -c comparison.
func (o Op) CaseSensitive() bool { return o >= CEq && o <= CNotIn }

// Base returns the case-insensitive form of a comparison: Eq for CEq.
func (o Op) Base() Op {
	if o.CaseSensitive() {
		return o - (CEq - Eq)
	}
	return o
}

// lookupOp finds the operator named name (without its dash), case-insensitively.
func lookupOp(name string) Op {
	n := "-" + strings.ToLower(name)
	for i, s := range opNames {
		if s != "" && s == n {
			return Op(i)
		}
	}
	// -ieq, -ilike ...: explicitly case-insensitive, the same as the plain form.
	if len(n) > 2 && n[1] == 'i' {
		base := "-" + n[2:]
		for i := Eq; i <= NotIn; i++ {
			if opNames[i] == base {
				return i
			}
		}
	}
	return OpInvalid
}
