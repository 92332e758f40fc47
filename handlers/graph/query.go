package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/odata"
)

// OData query options: $filter (parsed here into an expression the resources
// check and translate), $select, $top, $orderby, $search, $count and the
// $skiptoken cursor of @odata.nextLink.

// expr is a parsed $filter: a comparison (field op values) or and/or/not of
// expressions. A lambda on a collection, assignedLicenses/any(x:x/skuId eq v), is
// the field "assignedLicenses/skuId"; groupTypes/any(c:c eq 'Unified') "groupTypes".
type expr struct {
	op     string // and, or, not, eq, ne, in, startswith
	field  string
	values []any // string or bool
	args   []*expr
}

type token struct {
	kind string // ident, string, bool, null, guid, number, punct
	text string
}

func errFilter(detail string) error {
	return fail(http.StatusBadRequest, "BadRequest", "Invalid filter clause: "+detail)
}

// lex splits a $filter into tokens.
func lex(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		ch := s[i]
		switch {
		case ch == ' ' || ch == '\t':
			i++
		case ch == '(' || ch == ')' || ch == ',' || ch == ':':
			out = append(out, token{"punct", string(ch)})
			i++
		case ch == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, errFilter("a string literal isn't closed.")
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, token{"string", b.String()})
			i = j + 1
		default:
			j := i
			for j < len(s) && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])) || strings.ContainsRune("_/.-$@", rune(s[j]))) {
				j++
			}
			if j == i {
				return nil, errFilter("unexpected character '" + string(ch) + "'.")
			}
			w := s[i:j]
			kind := "ident"
			switch {
			case w == "true" || w == "false":
				kind = "bool"
			case w == "null":
				kind = "null"
			case isGUID(w):
				kind = "guid"
			case w[0] >= '0' && w[0] <= '9':
				kind = "number"
			}
			out = append(out, token{kind, w})
			i = j
		}
	}
	return out, nil
}

func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if r != '-' {
				return false
			}
		} else if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return token{}
}

func (p *parser) next() token {
	t := p.peek()
	p.pos++
	return t
}

func (p *parser) expect(text string) error {
	if t := p.next(); t.text != text {
		return errFilter("expected '" + text + "'.")
	}
	return nil
}

// parseFilter parses a $filter; at most 256 tokens.
func parseFilter(s string) (*expr, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errFilter("the filter is empty.")
	}
	if len(toks) > 256 {
		return nil, errFilter("the filter is too long.")
	}
	p := &parser{toks: toks}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.pos != len(toks) {
		return nil, errFilter("unexpected '" + p.peek().text + "'.")
	}
	return e, nil
}

func (p *parser) or(depth int) (*expr, error) {
	if depth > 32 {
		return nil, errFilter("the filter is nested too deeply.")
	}
	e, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek().text, "or") && p.peek().kind == "ident" {
		p.next()
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		e = &expr{op: "or", args: []*expr{e, r}}
	}
	return e, nil
}

func (p *parser) and(depth int) (*expr, error) {
	e, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek().text, "and") && p.peek().kind == "ident" {
		p.next()
		r, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		e = &expr{op: "and", args: []*expr{e, r}}
	}
	return e, nil
}

func (p *parser) unary(depth int) (*expr, error) {
	t := p.peek()
	switch {
	case t.kind == "ident" && strings.EqualFold(t.text, "not"):
		p.next()
		e, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &expr{op: "not", args: []*expr{e}}, nil
	case t.text == "(":
		p.next()
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		return e, p.expect(")")
	case t.kind == "ident" && strings.EqualFold(t.text, "startswith"):
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		f := p.next()
		if f.kind != "ident" {
			return nil, errFilter("startswith needs a property.")
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
		v := p.next()
		if v.kind != "string" {
			return nil, errFilter("startswith needs a string.")
		}
		return &expr{op: "startswith", field: f.text, values: []any{v.text}}, p.expect(")")
	case t.kind == "ident":
		p.next()
		if base, ok := strings.CutSuffix(t.text, "/any"); ok {
			return p.lambda(base)
		}
		return p.comparison(t.text)
	}
	return nil, errFilter("unexpected '" + t.text + "'.")
}

// lambda reads (x:x/prop eq v) or (x:x eq v) after collection/any.
func (p *parser) lambda(collection string) (*expr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	v := p.next()
	if v.kind != "ident" {
		return nil, errFilter("a lambda needs a variable.")
	}
	if err := p.expect(":"); err != nil {
		return nil, err
	}
	f := p.next()
	field := collection
	if rest, ok := strings.CutPrefix(f.text, v.text+"/"); ok {
		field += "/" + rest
	} else if f.text != v.text {
		return nil, errFilter("a lambda's expression must use its variable.")
	}
	e, err := p.comparison(field)
	if err != nil {
		return nil, err
	}
	return e, p.expect(")")
}

func (p *parser) comparison(field string) (*expr, error) {
	op := strings.ToLower(p.next().text)
	switch op {
	case "eq", "ne":
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		return &expr{op: op, field: field, values: []any{v}}, nil
	case "in":
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var vs []any
		for {
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			vs = append(vs, v)
			if p.peek().text == "," {
				p.next()
				continue
			}
			break
		}
		return &expr{op: "in", field: field, values: vs}, p.expect(")")
	}
	return nil, errFilter("the operator '" + op + "' isn't supported.")
}

func (p *parser) literal() (any, error) {
	t := p.next()
	switch t.kind {
	case "string":
		return t.text, nil
	case "guid":
		return strings.ToLower(t.text), nil
	case "bool":
		return t.text == "true", nil
	}
	return nil, errFilter("expected a literal, found '" + t.text + "'.")
}

// options are the query options of a list.
type options struct {
	filter   *expr
	sel      []string
	top      int
	orderBy  string
	desc     bool
	search   string
	count    bool
	eventual bool
	token    string
}

// maxTop is the largest page a list gives.
const maxTop = 999

// readOptions reads a list's query options; defaultTop is its page size without
// $top.
func readOptions(c echo.Context, defaultTop int) (*options, error) {
	q := c.QueryParams()
	o := &options{top: defaultTop, token: q.Get("$skiptoken"),
		eventual: strings.EqualFold(strings.TrimSpace(c.Request().Header.Get("ConsistencyLevel")), "eventual")}
	for k := range q {
		if strings.HasPrefix(k, "$") && !slices.Contains([]string{"$filter", "$select", "$top", "$orderby", "$search", "$count", "$skiptoken", "$expand", "$format"}, strings.ToLower(k)) {
			return nil, badRequest("Query option '" + k + "' is not supported.")
		}
	}
	if s := q.Get("$top"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxTop {
			return nil, badRequest("Invalid page size specified: '" + s + "'. Must be between 1 and 999 inclusive.")
		}
		o.top = n
	}
	if s := q.Get("$filter"); s != "" {
		e, err := parseFilter(s)
		if err != nil {
			return nil, err
		}
		o.filter = e
	}
	o.sel = odata.Select(q.Get("$select"))
	if s := strings.TrimSpace(q.Get("$orderby")); s != "" {
		field, dir, _ := strings.Cut(s, " ")
		o.orderBy = field
		switch strings.ToLower(strings.TrimSpace(dir)) {
		case "", "asc":
		case "desc":
			o.desc = true
		default:
			return nil, badRequest("Invalid $orderby direction '" + dir + "'.")
		}
	}
	if s := q.Get("$search"); s != "" {
		if !o.eventual {
			return nil, fail(http.StatusBadRequest, "Request_UnsupportedQuery",
				"Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'")
		}
		term, err := readSearch(s)
		if err != nil {
			return nil, err
		}
		o.search = term
	}
	switch strings.ToLower(q.Get("$count")) {
	case "":
	case "true":
		if !o.eventual {
			return nil, fail(http.StatusBadRequest, "Request_BadRequest",
				"$count is not currently supported without the header 'ConsistencyLevel: eventual'.")
		}
		o.count = true
	case "false":
	default:
		return nil, badRequest("Invalid value for $count: '" + q.Get("$count") + "'.")
	}
	return o, nil
}

// readSearch reads $search="displayName:word" (the quotes are required).
func readSearch(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", fail(http.StatusBadRequest, "Request_BadRequest", "Syntax error: the $search value must be in double quotes, as \"displayName:word\".")
	}
	prop, term, ok := strings.Cut(s[1:len(s)-1], ":")
	if !ok || !slices.Contains([]string{"displayname", "mail", "userprincipalname", "givenname", "surname", "mailnickname"}, strings.ToLower(strings.TrimSpace(prop))) {
		return "", fail(http.StatusBadRequest, "Request_BadRequest", "The $search value must name a property, as \"displayName:word\".")
	}
	return strings.TrimSpace(term), nil
}

// cursor is where a page ended, carried by @odata.nextLink as $skiptoken: the sort
// key and id of its last row, and the query it belongs to.
type cursor struct {
	Query string `json:"q"`
	Key   string `json:"k"`
	ID    uint   `json:"i"`
}

// queryKey identifies a list request for its cursors: the path and every option
// but the $skiptoken.
func queryKey(c echo.Context) string {
	q := c.QueryParams()
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "$skiptoken" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	h := sha256.New()
	h.Write([]byte(c.Request().URL.Path))
	for _, k := range keys {
		h.Write([]byte("\x00" + k + "=" + strings.Join(q[k], "\x01")))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// readCursor reads the $skiptoken of a request; nil for the first page.
func readCursor(c echo.Context, token string) (*cursor, error) {
	if token == "" {
		return nil, nil
	}
	var cur cursor
	if !odata.DecodeToken(token, 2048, &cur) || cur.Query != queryKey(c) || cur.ID == 0 {
		return nil, badRequest("The $skiptoken is not valid for this request. Follow the @odata.nextLink you were given.")
	}
	return &cur, nil
}

// nextLink is the address of the next page: the same request with the cursor.
func (a *API) nextLink(c echo.Context, key string, id uint) string {
	path := strings.TrimPrefix(c.Request().URL.Path, "/v1.0/")
	return odata.NextLink(a.root(c)+path, c.QueryParams(), odata.EncodeToken(cursor{Query: queryKey(c), Key: key, ID: id}))
}
