package powershell

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// convert turns an argument into the value a parameter of p's type holds, with
// PowerShell's errors for what does not fit.
func convert(p *Param, v Value) (Value, *ErrorRecord) {
	if l, ok := asList(v); ok && len(l) == 1 && p.Type != StringList && p.Type != EnumList && p.Type != MultiValued && p.Type != Any {
		v = l[0]
	}
	if v == nil {
		return convertNull(p)
	}
	switch p.Type {
	case Any:
		return v, nil
	case String:
		return convertString(p, v)
	case StringList:
		var out []string
		for _, e := range enumerate(v) {
			s, err := convertString(p, e)
			if err != nil {
				return nil, err
			}
			out = append(out, s.(string))
		}
		return out, nil
	case Bool, Switch:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case float64:
			return x != 0, nil
		}
		return nil, transformError(p, netTypeName(v))
	case Int:
		return convertInt(p, v, math.MinInt32, math.MaxInt32, "Int32")
	case IntOrUnlimited:
		if s, ok := v.(string); ok && strings.EqualFold(strings.TrimSpace(s), "Unlimited") {
			return Limit{Unlimited: true}, nil
		}
		if l, ok := v.(Limit); ok {
			return l, nil
		}
		n, err := convertInt(p, v, 0, math.MaxUint32, "UInt32")
		if err != nil {
			return nil, err
		}
		return Limit{N: n.(int64)}, nil
	case Enum:
		return convertEnum(p, v)
	case EnumList:
		var out []string
		for _, e := range enumerate(v) {
			s, err := convertEnum(p, e)
			if err != nil {
				return nil, err
			}
			out = append(out, s.(string))
		}
		return out, nil
	case MultiValued:
		return convertMulti(p, v)
	case DateTime:
		switch x := v.(type) {
		case time.Time:
			return x, nil
		case string:
			if t, ok := parseDate(x); ok {
				return t, nil
			}
			return nil, convertError(p, x, "String '"+x+"' was not recognized as a valid DateTime.")
		}
		return nil, typeError(p, v)
	case Script:
		if b, ok := v.(*ScriptBlock); ok {
			return b, nil
		}
		return nil, typeError(p, v)
	case Identity:
		switch x := v.(type) {
		case *Object:
			return IdentityArg{Text: x.identity(), Object: x}, nil
		case IdentityArg:
			return x, nil
		}
		s, err := convertString(p, v)
		if err != nil {
			return nil, err
		}
		return IdentityArg{Text: s.(string)}, nil
	}
	panic(fmt.Sprintf("powershell: parameter -%s has an unknown type", p.Name))
}

// convertNull binds $null: refused for mandatory parameters and for types that
// cannot be null, kept as nil (meaning "clear") otherwise.
func convertNull(p *Param) (Value, *ErrorRecord) {
	switch {
	case p.Type == Bool || p.Type == Switch:
		return nil, transformError(p, "")
	case p.Mandatory || p.Type == Identity:
		return nil, &ErrorRecord{
			Message: "Cannot bind argument to parameter '" + p.Name + "' because it is null.", Category: InvalidData,
			Exception: excValidation, ErrorID: "ParameterArgumentValidationErrorNullNotAllowed", Terminating: true,
		}
	case p.Type == MultiValued:
		return MultiValue{}, nil
	}
	return nil, nil
}

func convertString(p *Param, v Value) (Value, *ErrorRecord) {
	switch x := v.(type) {
	case string:
		if x == "" && p.Mandatory {
			return nil, &ErrorRecord{
				Message: "Cannot bind argument to parameter '" + p.Name + "' because it is an empty string.", Category: InvalidData,
				Exception: excValidation, ErrorID: "ParameterArgumentValidationErrorEmptyStringNotAllowed", Terminating: true,
			}
		}
		return x, nil
	case []Value, []string:
		return nil, &ErrorRecord{
			Message: "Cannot convert 'System.Object[]' to the type '" + p.typeName() + "' required by parameter '" + p.Name +
				"'. Specified method is not supported.",
			Category: InvalidArgument, Exception: excParameterBinding, ErrorID: "CannotConvertArgument", Terminating: true,
		}
	case *Hashtable, *ScriptBlock:
		return nil, typeError(p, v)
	}
	return toString(v), nil
}

func convertInt(p *Param, v Value, lo, hi int64, short string) (Value, *ErrorRecord) {
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case float64:
		if math.IsNaN(x) || x < float64(lo) || x > float64(hi) {
			return nil, convertError(p, toString(v), "Value was either too large or too small for "+withArticle(short)+".")
		}
		n = int64(math.RoundToEven(x))
	case bool:
		if x {
			n = 1
		}
	case string:
		s := strings.TrimSpace(x)
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil || !isNumberText(s) {
				return nil, convertError(p, x, "Input string was not in a correct format.")
			}
			return convertInt(p, f, lo, hi, short)
		}
		n = i
	default:
		return nil, typeError(p, v)
	}
	if n < lo || n > hi {
		return nil, convertError(p, toString(v), "Value was either too large or too small for "+withArticle(short)+".")
	}
	return n, nil
}

// withArticle is "an Int32", "a UInt32", as .NET's messages say.
func withArticle(typ string) string {
	if typ == "Int32" {
		return "an " + typ
	}
	return "a " + typ
}

// isNumberText reports whether s is a plain decimal number (no "Inf", "NaN", hex).
func isNumberText(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || (r == '-' || r == '+') && i == 0 || r == 'e' || r == 'E') {
			return false
		}
	}
	return true
}

func convertEnum(p *Param, v Value) (Value, *ErrorRecord) {
	if _, ok := v.(*Hashtable); ok {
		return nil, typeError(p, v)
	}
	s := strings.TrimSpace(toString(v))
	for _, allowed := range p.Values {
		if strings.EqualFold(s, allowed) {
			return allowed, nil
		}
	}
	return nil, &ErrorRecord{
		Message: "Cannot validate argument on parameter '" + p.Name + "'. The argument \"" + toString(v) +
			"\" does not belong to the set \"" + strings.Join(p.Values, ",") +
			"\" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.",
		Category: InvalidData, Exception: excValidation, ErrorID: "ParameterArgumentValidationError", Terminating: true,
	}
}

// convertMulti reads a multi-valued parameter: @{Add=...; Remove=...} edits, any
// other value replaces.
func convertMulti(p *Param, v Value) (Value, *ErrorRecord) {
	strs := func(v Value) ([]string, *ErrorRecord) {
		var out []string
		for _, e := range enumerate(v) {
			s, err := convertString(p, e)
			if err != nil {
				return nil, err
			}
			out = append(out, s.(string))
		}
		return out, nil
	}
	h, ok := v.(*Hashtable)
	if !ok {
		list, err := strs(v)
		return MultiValue{Replace: list}, err
	}
	mv := MultiValue{Edit: true}
	for _, e := range h.Entries {
		list, err := strs(e.Value)
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(e.Key) {
		case "add":
			mv.Add = append(mv.Add, list...)
		case "remove":
			mv.Remove = append(mv.Remove, list...)
		default:
			return nil, convertError(p, "System.Collections.Hashtable",
				"The hashtable key '"+e.Key+"' isn't valid. Use Add or Remove, for example @{Add=\"value1\",\"value2\"; Remove=\"value3\"}.")
		}
	}
	return mv, nil
}

// transformError is PowerShell's refusal of a non-Boolean for a Boolean or switch.
func transformError(p *Param, what string) *ErrorRecord {
	return &ErrorRecord{
		Message: "Cannot process argument transformation on parameter '" + p.Name + "'. Cannot convert value \"" + what +
			"\" to type \"" + p.typeName() + "\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.",
		Category: InvalidData, Exception: excTransformation, ErrorID: "ParameterArgumentTransformationError", Terminating: true,
	}
}

// convertError is "Cannot bind parameter 'X'. Cannot convert value "v" to type "T". Error: "why"".
func convertError(p *Param, value, why string) *ErrorRecord {
	return &ErrorRecord{
		Message: "Cannot bind parameter '" + p.Name + "'. Cannot convert value \"" + value + "\" to type \"" + p.typeName() +
			"\". Error: \"" + why + "\"",
		Category: InvalidArgument, Exception: excParameterBinding, ErrorID: "CannotConvertArgumentNoMessage", Terminating: true,
	}
}

// typeError is the refusal of a value of the wrong kind altogether.
func typeError(p *Param, v Value) *ErrorRecord {
	return &ErrorRecord{
		Message: "Cannot bind parameter '" + p.Name + "'. Cannot convert the \"" + toString(v) + "\" value of type \"" +
			netTypeName(v) + "\" to type \"" + p.typeName() + "\".",
		Category: InvalidArgument, Exception: excParameterBinding, ErrorID: "CannotConvertArgumentNoMessage", Terminating: true,
	}
}

// dateLayouts are the date forms a DateTime parameter reads: ISO 8601 and the
// en-US forms an Exchange Online session reads.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	"1/2/2006 3:04:05 PM", "1/2/2006 3:04 PM", "1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006",
	"January 2, 2006 3:04 PM", "January 2, 2006", "2 January 2006", "Jan 2, 2006", "2 Jan 2006",
}

// parseDate reads a date; one without a zone is taken as UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
		if t, err := time.Parse(strings.Replace(l, "PM", "pm", 1), s); err == nil && strings.Contains(l, "PM") {
			return t, true
		}
	}
	return time.Time{}, false
}
