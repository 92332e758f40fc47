package exoclient

import (
	"encoding/json"
	"testing"

	"github.com/contoso/admincenter/models/powershell"
)

func TestObjects(t *testing.T) {
	vals, err := Objects([]json.RawMessage{
		json.RawMessage(`{"Name":"Info","EmailAddresses@odata.type":"#Collection(String)","EmailAddresses":["SMTP:info@contoso.com"],"Quota":50,"Ratio":0.5,"Hidden":false,"Manager":null}`),
		json.RawMessage(`"plain"`),
	})
	if err != nil || len(vals) != 2 {
		t.Fatal(vals, err)
	}
	o, ok := vals[0].(*powershell.Object)
	if !ok {
		t.Fatalf("%T", vals[0])
	}
	var names []string
	for _, p := range o.Properties() {
		names = append(names, p.Name)
	}
	if len(names) != 6 || names[0] != "Name" || names[1] != "EmailAddresses" || names[2] != "Quota" {
		t.Errorf("properties %v", names)
	}
	if q, _ := o.Get("Quota"); q != int64(50) {
		t.Errorf("Quota %T %v", q, q)
	}
	if r, _ := o.Get("Ratio"); r != 0.5 {
		t.Errorf("Ratio %v", r)
	}
	if a, _ := o.Get("EmailAddresses"); len(a.([]powershell.Value)) != 1 {
		t.Errorf("EmailAddresses %v", a)
	}
	if vals[1] != "plain" {
		t.Errorf("%v", vals[1])
	}
	// Written back, an object is what the server sent, less the annotations the
	// writer adds again for collections.
	b, _ := o.MarshalJSON()
	if string(b) != `{"Name":"Info","EmailAddresses@odata.type":"#Collection(String)","EmailAddresses":["SMTP:info@contoso.com"],"Quota":50,"Ratio":0.5,"Hidden":false,"Manager":null}` {
		t.Errorf("round trip %s", b)
	}
	if _, err := Objects([]json.RawMessage{json.RawMessage(`{"a":`)}); err == nil {
		t.Error("truncated JSON accepted")
	}
}
