package powershell

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// MarshalJSON writes the object as the Exchange REST endpoint returns it: the
// properties in order under their Exchange names, each collection preceded by its
// "Name@odata.type" annotation ("#Collection(String)").
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, o); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeJSON writes a Value as JSON.
func writeJSON(b *bytes.Buffer, v Value) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return writeString(b, formatFloat(x))
		}
		b.WriteString(formatFloatJSON(x))
	case json.Number:
		b.WriteString(string(x))
	case string:
		return writeString(b, x)
	case time.Time:
		return writeString(b, x.Format(time.RFC3339Nano))
	case Limit:
		return writeString(b, x.String())
	case IdentityArg:
		return writeString(b, x.Text)
	case *ScriptBlock:
		return writeString(b, toString(x))
	case *FormatOutput:
		return writeString(b, x.Text)
	case *Object:
		b.WriteByte('{')
		for i, p := range x.props {
			if i > 0 {
				b.WriteByte(',')
			}
			if t := collectionType(p.Value); t != "" {
				if err := writeString(b, p.Name+"@odata.type"); err != nil {
					return err
				}
				b.WriteByte(':')
				if err := writeString(b, t); err != nil {
					return err
				}
				b.WriteByte(',')
			}
			if err := writeString(b, p.Name); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeJSON(b, p.Value); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case *Hashtable:
		b.WriteByte('{')
		for i, e := range x.Entries {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeString(b, e.Key); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeJSON(b, e.Value); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []string:
		return writeList(b, len(x), func(i int) Value { return x[i] })
	case []Value:
		return writeList(b, len(x), func(i int) Value { return x[i] })
	default:
		return fmt.Errorf("powershell: cannot write %T as JSON", v)
	}
	return nil
}

func writeList(b *bytes.Buffer, n int, at func(int) Value) error {
	b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeJSON(b, at(i)); err != nil {
			return err
		}
	}
	b.WriteByte(']')
	return nil
}

func writeString(b *bytes.Buffer, s string) error {
	enc, err := json.Marshal(s)
	if err != nil {
		return err
	}
	b.Write(enc)
	return nil
}

// formatFloatJSON writes a finite double as a JSON number.
func formatFloatJSON(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// collectionType is the OData annotation of a collection property:
// #Collection(String) for strings, and so on; "" for anything else.
func collectionType(v Value) string {
	switch x := v.(type) {
	case []string:
		return "#Collection(String)"
	case []Value:
		elem := ""
		for _, e := range x {
			var t string
			switch e.(type) {
			case string:
				t = "String"
			case int64:
				t = "Int64"
			case bool:
				t = "Boolean"
			case float64:
				t = "Double"
			case time.Time:
				t = "DateTimeOffset"
			default:
				return ""
			}
			if elem != "" && elem != t {
				return ""
			}
			elem = t
		}
		if elem == "" {
			elem = "String"
		}
		return "#Collection(" + elem + ")"
	}
	return ""
}

// InvokeCommandResponse is the REST endpoint's answer:
// {"@odata.context":"...","@adminapi.warnings":[...],"value":[{...}],"@odata.nextLink":"..."}.
type InvokeCommandResponse struct {
	Context  string   `json:"@odata.context"`
	Warnings []string `json:"@adminapi.warnings,omitempty"`
	Value    []Value  `json:"value"`
	NextLink string   `json:"@odata.nextLink,omitempty"`
}

// MarshalJSON writes the response with its values through the Value writer.
func (r InvokeCommandResponse) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"@odata.context":`)
	if err := writeString(&b, r.Context); err != nil {
		return nil, err
	}
	if len(r.Warnings) > 0 {
		b.WriteString(`,"@adminapi.warnings":`)
		if err := writeJSON(&b, r.Warnings); err != nil {
			return nil, err
		}
	}
	b.WriteString(`,"value":`)
	values := r.Value
	if values == nil {
		values = []Value{}
	}
	if err := writeJSON(&b, values); err != nil {
		return nil, err
	}
	if r.NextLink != "" {
		b.WriteString(`,"@odata.nextLink":`)
		if err := writeString(&b, r.NextLink); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// NewInvokeCommandResponse builds the answer to a successful run; serviceRoot is
// the endpoint's root (https://host/adminapi/beta/{tenant}/). Paging is the
// endpoint's to add.
func NewInvokeCommandResponse(serviceRoot string, res *Result) InvokeCommandResponse {
	return InvokeCommandResponse{
		Context:  serviceRoot + "$metadata#Collection(Exchange.GenericHashTable)",
		Warnings: res.Warnings,
		Value:    res.Output,
	}
}

// ErrorResponse is the REST endpoint's error body:
// {"error":{"code":"InternalServerError","message":"Error executing cmdlet","details":[{"code":"Client","target":"","message":"Ex...|Type|text"}],"innererror":{...}}}.
type ErrorResponse struct {
	Error ODataError `json:"error"`
}

// ODataError is the "error" member of an ErrorResponse.
type ODataError struct {
	Code       string        `json:"code"`
	Message    string        `json:"message"`
	Details    []ErrorDetail `json:"details"`
	InnerError *InnerError   `json:"innererror,omitempty"`
}

// ErrorDetail is one entry of "details"; clients split Message on '|'.
type ErrorDetail struct {
	Code    string `json:"code"`
	Target  string `json:"target"`
	Message string `json:"message"`
}

// InnerError names the service's exception type.
type InnerError struct {
	Type string `json:"type"`
}

// NewErrorResponse builds the error body for a failed cmdlet.
func NewErrorResponse(rec *ErrorRecord) ErrorResponse {
	return ErrorResponse{Error: ODataError{
		Code:       "InternalServerError",
		Message:    "Error executing cmdlet",
		Details:    []ErrorDetail{{Code: "Client", Target: "", Message: rec.RESTMessage()}},
		InnerError: &InnerError{Type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException"},
	}}
}
