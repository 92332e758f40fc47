package exoclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/contoso/admincenter/models/powershell"
)

// Objects turns the JSON objects of an answer back into engine values, properties
// in the order the server wrote them and without their "@odata.type" annotations,
// so a client can pipe them into the engine's local cmdlets (Where-Object,
// Format-Table ...) as the ExchangeOnlineManagement module does with what the
// service returns. Numbers become int64 when whole, float64 otherwise; dates stay
// strings, as they arrive.
func Objects(values []json.RawMessage) ([]powershell.Value, error) {
	out := make([]powershell.Value, 0, len(values))
	for _, raw := range values {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		v, err := decodeValue(dec)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func decodeValue(dec *json.Decoder) (powershell.Value, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := powershell.NewObject(nil)
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := k.(string)
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				if !strings.Contains(key, "@odata.") {
					o.Set(key, v)
				}
			}
			_, err := dec.Token()
			return o, err
		case '[':
			list := []powershell.Value{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		}
		return nil, errors.New("exoclient: unexpected JSON")
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n, nil
		}
		f, err := t.Float64()
		return f, err
	}
	return tok, nil // string, bool or nil
}
