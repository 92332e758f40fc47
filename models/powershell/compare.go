package powershell

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

// compare applies a comparison operator as PowerShell does: the left operand's
// type decides how the right one is converted; a collection on the left returns
// the elements that match.
func compare(op syntax.Op, l, r Value) (Value, *ErrorRecord) {
	cs := op.CaseSensitive()
	base := op.Base()
	switch base {
	case syntax.Contains, syntax.NotContains:
		found := false
		for _, e := range enumerate(l) {
			if equal(e, r, cs) {
				found = true
				break
			}
		}
		return found == (base == syntax.Contains), nil
	case syntax.In, syntax.NotIn:
		found := false
		for _, e := range enumerate(r) {
			if equal(l, e, cs) {
				found = true
				break
			}
		}
		return found == (base == syntax.In), nil
	}
	if list, ok := asList(l); ok {
		out := []Value{}
		for _, e := range list {
			m, err := compareOne(base, e, r, cs)
			if err != nil {
				return nil, err
			}
			if m {
				out = append(out, e)
			}
		}
		return out, nil
	}
	m, err := compareOne(base, l, r, cs)
	return m, err
}

func compareOne(op syntax.Op, l, r Value, cs bool) (bool, *ErrorRecord) {
	switch op {
	case syntax.Eq:
		return equal(l, r, cs), nil
	case syntax.Ne:
		return !equal(l, r, cs), nil
	case syntax.Like, syntax.NotLike:
		return wildcardMatch(toString(r), toString(l), cs) == (op == syntax.Like), nil
	case syntax.Match, syntax.NotMatch:
		re, err := compileRegex(toString(r), cs)
		if err != nil {
			return false, err
		}
		return re.MatchString(toString(l)) == (op == syntax.Match), nil
	}
	c, err := order(l, r)
	if err != nil {
		return false, err
	}
	switch op {
	case syntax.Gt:
		return c > 0, nil
	case syntax.Ge:
		return c >= 0, nil
	case syntax.Lt:
		return c < 0, nil
	}
	return c <= 0, nil
}

// equal is -eq: the right operand converted to the left one's type.
func equal(l, r Value, cs bool) bool {
	if l == nil || r == nil {
		return l == nil && r == nil
	}
	switch x := l.(type) {
	case bool:
		return x == isTrue(r)
	case int64, float64:
		f, ok := toFloat(r)
		lf, _ := toFloat(l)
		return ok && f == lf
	case time.Time:
		t, ok := toTime(r)
		return ok && t.Equal(x)
	case Limit:
		if y, ok := r.(Limit); ok {
			return x == y
		}
	}
	if cs {
		return toString(l) == toString(r)
	}
	return strings.EqualFold(toString(l), toString(r))
}

// order compares for -gt and friends, and for Sort-Object.
func order(l, r Value) (int, *ErrorRecord) {
	switch {
	case l == nil && r == nil:
		return 0, nil
	case l == nil:
		return -1, nil
	case r == nil:
		return 1, nil
	}
	switch x := l.(type) {
	case int64, float64:
		lf, _ := toFloat(x)
		rf, ok := toFloat(r)
		if !ok {
			return 0, comparisonError(l, r, "Cannot convert value \""+toString(r)+"\" to type \""+netTypeName(l)+
				"\". Error: \"Input string was not in a correct format.\"")
		}
		return cmp(lf, rf), nil
	case time.Time:
		t, ok := toTime(r)
		if !ok {
			return 0, comparisonError(l, r, "Cannot convert value \""+toString(r)+"\" to type \"System.DateTime\". Error: \"String '"+
				toString(r)+"' was not recognized as a valid DateTime.\"")
		}
		return x.Compare(t), nil
	case bool:
		rb := isTrue(r)
		switch {
		case x == rb:
			return 0, nil
		case rb:
			return -1, nil
		}
		return 1, nil
	case Limit:
		if y, ok := r.(Limit); ok {
			switch {
			case x.Unlimited && y.Unlimited:
				return 0, nil
			case x.Unlimited:
				return 1, nil
			case y.Unlimited:
				return -1, nil
			}
			return cmp(x.N, y.N), nil
		}
	}
	return compareStrings(toString(l), toString(r)), nil
}

// compareStrings orders strings case-insensitively, then by case.
func compareStrings(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(b, a)
}

func cmp[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func comparisonError(l, r Value, why string) *ErrorRecord {
	return &ErrorRecord{
		Message:  "Could not compare \"" + toString(l) + "\" to \"" + toString(r) + "\". Error: \"" + why + "\"",
		Category: InvalidOperation, Exception: excRuntime, ErrorID: "ComparisonFailure",
	}
}

func toFloat(v Value) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, true
		}
		if !isNumberText(s) {
			return 0, false
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	return 0, false
}

func toTime(v Value) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		return parseDate(x)
	}
	return time.Time{}, false
}

// compileRegex compiles a -match pattern, case-insensitive unless cs.
func compileRegex(pattern string, cs bool) (*regexp.Regexp, *ErrorRecord) {
	if !cs {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, &ErrorRecord{
			Message:  "The regular expression pattern " + strings.TrimPrefix(pattern, "(?i)") + " is not valid.",
			Category: InvalidOperation, Exception: excRuntime, ErrorID: "InvalidRegularExpression",
		}
	}
	return re, nil
}

// wildcardMatch matches s against a PowerShell wildcard pattern: * any run, ? one
// character, [abc] and [a-z] one of a set, ` escapes the next character.
func wildcardMatch(pattern, s string, cs bool) bool {
	if !cs {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	starP, starT := -1, 0
	for ti < len(t) {
		if pi < len(p) {
			switch p[pi] {
			case '*':
				starP, starT = pi, ti
				pi++
				continue
			case '?':
				pi++
				ti++
				continue
			case '[':
				if ok, next := matchClass(p, pi, t[ti]); next > 0 {
					if ok {
						pi, ti = next, ti+1
						continue
					}
					break
				}
				if t[ti] == '[' {
					pi, ti = pi+1, ti+1
					continue
				}
			case '`':
				if pi+1 < len(p) && p[pi+1] == t[ti] {
					pi, ti = pi+2, ti+1
					continue
				}
			default:
				if p[pi] == t[ti] {
					pi, ti = pi+1, ti+1
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starT++
		pi, ti = starP+1, starT
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchClass matches r against the [set] starting at p[i]; next is the index after
// the ']' (0 when the class is not closed).
func matchClass(p []rune, i int, r rune) (ok bool, next int) {
	j := i + 1
	for j < len(p) && p[j] != ']' {
		if j+2 < len(p) && p[j+1] == '-' && p[j+2] != ']' {
			if r >= p[j] && r <= p[j+2] {
				ok = true
			}
			j += 3
			continue
		}
		if p[j] == r {
			ok = true
		}
		j++
	}
	if j >= len(p) {
		return false, 0
	}
	return ok, j + 1
}

// hasWildcard reports whether s has wildcard characters.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?[") }
