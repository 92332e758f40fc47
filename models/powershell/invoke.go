package powershell

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/contoso/admincenter/models/powershell/syntax"
)

// InvokeRequest is the body the Exchange REST endpoint receives:
// {"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{...}}}.
type InvokeRequest struct {
	CmdletInput CmdletInput `json:"CmdletInput"`
}

// CmdletInput names a cmdlet and its parameters, as programs send them.
type CmdletInput struct {
	CmdletName string     `json:"CmdletName"`
	Parameters Parameters `json:"Parameters"`
}

// Parameters are named arguments in the order given. Decoded from JSON, a value
// is nil, bool, string, json.Number, []any or *Hashtable (a JSON object such as
// {"@odata.type":"#Exchange.GenericHashTable","Add":[...]}, its @odata annotations
// dropped). Built in Go, a value may also be an int, int64, float64 or []string.
type Parameters []NamedValue

// NamedValue is one parameter and its value.
type NamedValue struct {
	Name  string
	Value any
}

// UnmarshalJSON reads a JSON object keeping its order and number text.
func (ps *Parameters) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return err
	}
	switch h := v.(type) {
	case nil:
		*ps = nil
	case *Hashtable:
		out := make(Parameters, 0, len(h.Entries))
		for _, e := range h.Entries {
			out = append(out, NamedValue{Name: e.Key, Value: e.Value})
		}
		*ps = out
	default:
		return errors.New("powershell: Parameters must be a JSON object")
	}
	return nil
}

// MarshalJSON writes the parameters as a JSON object in order.
func (ps Parameters) MarshalJSON() ([]byte, error) {
	h := &Hashtable{}
	for _, p := range ps {
		h.Entries = append(h.Entries, HashEntry{Key: p.Name, Value: normalizeParam(p.Value)})
	}
	var b bytes.Buffer
	if err := writeJSON(&b, h); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			h := &Hashtable{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				key := k.(string)
				if strings.Contains(key, "@odata.") {
					continue
				}
				h.Entries = append(h.Entries, HashEntry{Key: key, Value: v})
			}
			_, err := dec.Token()
			return h, err
		case '[':
			list := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		}
	}
	return tok, nil
}

// Invoke runs one cmdlet with named parameters, as the REST endpoint does. The
// parameters become a command line (CommandLine) that is run like any other, so
// binding, errors and the audit's command text are the same as in the console.
func (e *Engine) Invoke(ctx context.Context, actor any, in CmdletInput) *Result {
	text, rec := e.CommandLine(in)
	if rec != nil {
		res := &Result{Errors: []*ErrorRecord{rec}}
		res.Records = []Record{{Stream: StreamError, Text: rec.Format(), Error: rec}}
		return res
	}
	return e.Run(ctx, actor, text)
}

// CommandLine writes a cmdlet and its named parameters as the command a person
// would type, e.g. Set-Mailbox -Identity "Sales Department" -GrantSendOnBehalfTo
// @{Add = "MarketingSG"} -Confirm:$false: plain words bare, other strings
// double-quoted, a switch as -Name or -Name:$false. The admin center's "the
// PowerShell for this change" links and Invoke's audit text come from here. It
// refuses (with PowerShell's error) a cmdlet that is not registered and a
// parameter name that is not a plain name; values are always quoted data, never
// code.
func (e *Engine) CommandLine(in CmdletInput) (string, *ErrorRecord) {
	ent := e.reg.lookup(in.CmdletName)
	if ent == nil {
		return "", commandNotFound(in.CmdletName)
	}
	cmd := &syntax.Command{Name: ent.meta.Name}
	for _, p := range in.Parameters {
		if !isParamName(p.Name) {
			rec := bindingError("NamedParameterNotFound", "A parameter cannot be found that matches parameter name '"+p.Name+"'.")
			rec.Command = ent.meta.Name
			return "", rec
		}
		x, err := paramExpr(p.Value, true)
		if err != nil {
			rec := bindingError("CannotConvertArgument", "Cannot bind parameter '"+p.Name+"'. "+err.Error())
			rec.Command = ent.meta.Name
			return "", rec
		}
		decl, _ := ent.resolveParam(p.Name)
		switch {
		case decl != nil && decl.Type == Switch && p.Value == true:
			cmd.Args = append(cmd.Args, &syntax.Parameter{Name: p.Name})
		case decl == nil || decl.Type == Switch:
			cmd.Args = append(cmd.Args, &syntax.Parameter{Name: p.Name, Colon: true, Value: x})
		default:
			cmd.Args = append(cmd.Args, &syntax.Parameter{Name: p.Name}, x)
		}
	}
	text := syntax.Print(&syntax.Pipeline{Cmds: []*syntax.Command{cmd}})
	script, err := syntax.Parse(text)
	if err != nil || len(script.Stmts) != 1 || len(script.Stmts[0].Cmds) != 1 || script.Stmts[0].Source != nil {
		// The printer quotes every value, so this cannot happen; refuse rather than
		// run something other than the one cmdlet asked for.
		return "", internalError()
	}
	return text, nil
}

// isParamName reports whether a name from a parameter map is a plain parameter name.
func isParamName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// normalizeParam turns Go values a program passes into the JSON-decoded forms.
func normalizeParam(v any) any {
	switch x := v.(type) {
	case int:
		return json.Number(fmt.Sprint(x))
	case int64:
		return json.Number(fmt.Sprint(x))
	case float64:
		return json.Number(formatFloatJSON(x))
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return v
}

// paramExpr writes a parameter value as an expression: plain words bare (only
// as a command argument), other strings double-quoted, numbers as written,
// $true/$false/$null, lists and hashtables.
func paramExpr(v any, arg bool) (syntax.Expr, error) {
	switch x := normalizeParam(v).(type) {
	case nil:
		return &syntax.Variable{Name: "null"}, nil
	case bool:
		if x {
			return &syntax.Variable{Name: "true"}, nil
		}
		return &syntax.Variable{Name: "false"}, nil
	case string:
		if arg && isPlainWord(x) {
			return &syntax.StringLit{Value: x, Quote: syntax.Bare}, nil
		}
		return &syntax.StringLit{Value: x, Quote: syntax.Double}, nil
	case json.Number:
		if !isNumberText(string(x)) {
			return nil, fmt.Errorf("%q is not a number", string(x))
		}
		return &syntax.NumberLit{Raw: string(x)}, nil
	case []any:
		if len(x) == 0 {
			return &syntax.ArraySubExpr{}, nil
		}
		list := &syntax.ArrayLit{}
		for _, e := range x {
			ex, err := paramExpr(e, arg)
			if err != nil {
				return nil, err
			}
			if _, nested := ex.(*syntax.ArrayLit); nested {
				ex = &syntax.ParenExpr{X: &syntax.Pipeline{Source: ex}}
			}
			list.Elems = append(list.Elems, ex)
		}
		if len(list.Elems) == 1 {
			return &syntax.ArraySubExpr{Stmts: []*syntax.Pipeline{{Source: list.Elems[0]}}}, nil
		}
		return list, nil
	case *Hashtable:
		h := &syntax.HashLit{}
		for _, e := range x.Entries {
			val, err := paramExpr(e.Value, false)
			if err != nil {
				return nil, err
			}
			h.Entries = append(h.Entries, &syntax.HashEntry{
				Key:   &syntax.StringLit{Value: e.Key, Quote: syntax.Bare},
				Value: &syntax.Pipeline{Source: val},
			})
		}
		return h, nil
	}
	return nil, fmt.Errorf("a value of type %T cannot be passed", v)
}

// isPlainWord reports whether a string reads the same written bare: letters,
// digits and . _ @ : + - (not first), and not a number.
func isPlainWord(s string) bool {
	if s == "" || isNumberText(s) {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
		case i > 0 && strings.ContainsRune(".@:+-", r):
		default:
			return false
		}
	}
	return true
}
