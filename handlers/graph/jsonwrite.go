package graph

import (
	"encoding/json"
	"strconv"
)

// The lists (a page of up to 999 people) are written by appending to one buffer,
// without encoding/json's reflection and its second pass over what a MarshalJSON
// returns. The bytes are encoding/json's own: strings it would escape (quotes,
// control characters, <, > and &, anything outside ASCII) go through it, and a
// value of a type not named here too.

// jsonAppender is a body that writes itself.
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// plainJSON marks the bytes encoding/json writes as they are inside a string.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// appendString appends s as a JSON string, as encoding/json writes it.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plainJSON[s[i]] {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendNullable appends s as nullable(s) writes: null when empty.
func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

// appendValue appends a property's value.
func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case []string:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), nil
	case []assignedLicense:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, l := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"disabledPlans":`...)
			b, _ = appendValue(b, l.DisabledPlans)
			b = append(b, `,"skuId":`...)
			b = appendString(b, l.SkuID)
			b = append(b, '}')
		}
		return append(b, ']'), nil
	case object:
		return v.appendJSON(b)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, j...), nil
}

// appendJSON writes the properties in order.
func (o object) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	for i, p := range o {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, p.name)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, p.value); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// MarshalJSON writes the properties in order.
func (o object) MarshalJSON() ([]byte, error) {
	return o.appendJSON(nil)
}

// jsonItems are the values of a list written one by one, without an object each.
type jsonItems interface {
	len() int
	appendItem(b []byte, i int) ([]byte, error)
	// size is about the bytes the items take, for the buffer written to.
	size() int
}

// size is about the bytes the page takes.
func (p listPage) size() int {
	n := 4096
	if p.items != nil {
		n += p.items.size()
	}
	return n
}

// appendJSON writes the page as encoding/json writes its fields.
func (p listPage) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"@odata.context":`...)
	b = appendString(b, p.Context)
	if p.Count != nil {
		b = append(b, `,"@odata.count":`...)
		b = strconv.AppendInt(b, *p.Count, 10)
	}
	if p.NextLink != "" {
		b = append(b, `,"@odata.nextLink":`...)
		b = appendString(b, p.NextLink)
	}
	b = append(b, `,"value":`...)
	if p.items != nil {
		b = append(b, '[')
		for i := range p.items.len() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = p.items.appendItem(b, i); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	} else if p.Value == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, o := range p.Value {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = o.appendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}
