package powershell

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func invoke(t *testing.T, e *Engine, body string) *Result {
	t.Helper()
	var req InvokeRequest
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return e.Invoke(context.Background(), "app", req.CmdletInput)
}

// TestInvokeBindsLikeTheConsole: the REST body binds through the same code, its
// hashtables as @{...}, with a command line for the audit.
func TestInvokeBindsLikeTheConsole(t *testing.T) {
	e, s := seeded(t)
	res := invoke(t, e, `{"CmdletInput":{"CmdletName":"set-thing","Parameters":{
		"Identity":"info",
		"GrantSendOnBehalfTo":{"@odata.type":"#Exchange.GenericHashTable","add":"bob","Remove":["a"]},
		"HiddenFromAddressListsEnabled":true,
		"Confirm":false}}}`)
	if res.Failed() {
		t.Fatal(res.Text())
	}
	if th := s.things["info"]; !th.hidden || !reflect.DeepEqual(th.sendOnBehalf, []string{"bob"}) {
		t.Errorf("thing = %+v", th)
	}
	want := `Set-Thing|app|Set-Thing -Identity info -GrantSendOnBehalfTo @{add = "bob"; Remove = @("a")} -HiddenFromAddressListsEnabled $true -Confirm:$false`
	if len(s.calls) != 1 || s.calls[0] != want {
		t.Errorf("audit = %q\nwant %q", s.calls, want)
	}

	res = invoke(t, e, `{"CmdletInput":{"CmdletName":"New-Thing","Parameters":{"Name":"Board","Shared":true,"Quota":7,"DisplayName":"O'Brien \"$x\""}}}`)
	if res.Failed() || s.things["board"] == nil || !s.things["board"].shared || s.things["board"].quota != 7 || s.things["board"].display != `O'Brien "$x"` {
		t.Fatalf("New-Thing: %s %+v", res.Text(), s.things["board"])
	}
	resp, err := json.Marshal(NewInvokeCommandResponse("https://outlook.office365.com/adminapi/beta/contoso.test/", res))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"@odata.context":"https://outlook.office365.com/adminapi/beta/contoso.test/$metadata#Collection(Exchange.GenericHashTable)",` +
		`"value":[{"Identity":"Board","Name":"Board","DisplayName":"O'Brien \"$x\"","Alias":"","RecipientTypeDetails":"SharedMailbox",` +
		`"HiddenFromAddressListsEnabled":false,"GrantSendOnBehalfTo@odata.type":"#Collection(String)","GrantSendOnBehalfTo":[],` +
		`"WhenCreated":"2024-05-01T08:30:00Z","Quota":7}]}`
	if string(resp) != wantJSON {
		t.Errorf("response\n got %s\nwant %s", resp, wantJSON)
	}
}

func TestInvokeErrors(t *testing.T) {
	e, s := seeded(t)
	res := invoke(t, e, `{"CmdletInput":{"CmdletName":"Get-Thing","Parameters":{"Identity":"nobody"}}}`)
	if len(res.Errors) != 1 {
		t.Fatal(res.Text())
	}
	body, _ := json.Marshal(NewErrorResponse(res.Errors[0]))
	want := `{"error":{"code":"InternalServerError","message":"Error executing cmdlet","details":[{"code":"Client","target":"",` +
		`"message":"Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'nobody' couldn't be found on 'contoso.test'."}],` +
		`"innererror":{"type":"Microsoft.Exchange.Admin.OData.Core.ODataServiceException"}}}`
	if string(body) != want {
		t.Errorf("error body\n got %s\nwant %s", body, want)
	}
	cases := map[string]string{
		`{"CmdletInput":{"CmdletName":"Get-Thing","Parameters":{"Bogus":1}}}`:                                                "|System.Management.Automation.ParameterBindingException|A parameter cannot be found that matches parameter name 'Bogus'.",
		`{"CmdletInput":{"CmdletName":"Get-Thing","Parameters":{"ResultSize":"lots"}}}`:                                      "|System.Management.Automation.ParameterBindingException|Cannot bind parameter 'ResultSize'. Cannot convert value \"lots\" to type \"Microsoft.Exchange.Data.Unlimited`1[System.UInt32]\". Error: \"Input string was not in a correct format.\"",
		`{"CmdletInput":{"CmdletName":"Get-Nothing","Parameters":{}}}`:                                                       "|System.Management.Automation.CommandNotFoundException|The term 'Get-Nothing' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
		`{"CmdletInput":{"CmdletName":"Remove-Thing","Parameters":{"Identity x; Remove-Thing info":1}}}`:                     "|System.Management.Automation.ParameterBindingException|A parameter cannot be found that matches parameter name 'Identity x; Remove-Thing info'.",
		`{"CmdletInput":{"CmdletName":"Get-Thing; Remove-Thing info","Parameters":{}}}`:                                      "|System.Management.Automation.CommandNotFoundException|The term 'Get-Thing; Remove-Thing info' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
		`{"CmdletInput":{"CmdletName":"Set-Thing","Parameters":{"Identity":"x'; Remove-Thing info; '"}}}`:                    "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'x'; Remove-Thing info; '' couldn't be found on 'contoso.test'.",
		`{"CmdletInput":{"CmdletName":"Set-Thing","Parameters":{"Identity":"info","HiddenFromAddressListsEnabled":"true"}}}`: "|System.Management.Automation.ParameterBindingArgumentTransformationException|Cannot process argument transformation on parameter 'HiddenFromAddressListsEnabled'. Cannot convert value \"System.String\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.",
	}
	for body, want := range cases {
		res := invoke(t, e, body)
		if len(res.Errors) != 1 || res.Errors[0].RESTMessage() != want {
			t.Errorf("%s:\n got %s\nwant %s", body, res.Text(), want)
		}
	}
	if s.things["info"] == nil || s.things["info"].hidden {
		t.Error("a refused request changed the store")
	}
}

func TestCommandLine(t *testing.T) {
	e, _ := testEngine()
	cases := []struct {
		in   CmdletInput
		want string
	}{
		{CmdletInput{"new-thing", Parameters{{"Shared", true}, {"Name", "Sales Department"}, {"Alias", "Sales"}, {"Quota", 50}}},
			`New-Thing -Shared -Name "Sales Department" -Alias Sales -Quota 50`},
		{CmdletInput{"Set-Thing", Parameters{{"Identity", "sales@contoso.test"}, {"GrantSendOnBehalfTo", &Hashtable{Entries: []HashEntry{{"Add", "MarketingSG"}}}}, {"Confirm", false}}},
			`Set-Thing -Identity sales@contoso.test -GrantSendOnBehalfTo @{Add = "MarketingSG"} -Confirm:$false`},
		{CmdletInput{"Set-Thing", Parameters{{"Identity", "-WhatIf"}, {"DisplayName", "$(Remove-Thing x) `n \"q\""}, {"ForwardingAddress", nil}}},
			"Set-Thing -Identity \"-WhatIf\" -DisplayName \"`$(Remove-Thing x) ``n `\"q`\"\" -ForwardingAddress $null"},
		{CmdletInput{"Add-ThingPermission", Parameters{{"Identity", "42"}, {"User", []string{"a", "b c"}}, {"Sha", "x"}}},
			`Add-ThingPermission -Identity "42" -User a, "b c" -Sha:x`},
	}
	for _, c := range cases {
		got, rec := e.CommandLine(c.in)
		if rec != nil || got != c.want {
			t.Errorf("CommandLine(%v) = %q %v\nwant %q", c.in, got, rec, c.want)
		}
	}
}

func TestParametersFromGo(t *testing.T) {
	e, s := seeded(t)
	res := e.Invoke(context.Background(), "svc", CmdletInput{CmdletName: "Set-Thing", Parameters: Parameters{
		{Name: "Identity", Value: "info"}, {Name: "GrantSendOnBehalfTo", Value: []string{"x", "y"}},
		{Name: "StartTime", Value: "2024-05-01"}, {Name: "Type", Value: "regular"},
	}})
	if res.Failed() || !reflect.DeepEqual(s.things["info"].sendOnBehalf, []string{"x", "y"}) || s.things["info"].shared {
		t.Fatalf("%s %+v", res.Text(), s.things["info"])
	}
	b, err := json.Marshal(Parameters{{Name: "A", Value: 1}, {Name: "B", Value: []string{"x"}}, {Name: "C", Value: &Hashtable{Entries: []HashEntry{{Key: "Add", Value: "z"}}}}})
	if err != nil || string(b) != `{"A":1,"B":["x"],"C":{"Add":"z"}}` {
		t.Errorf("marshal = %s %v", b, err)
	}
	var back Parameters
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 3 || back[0].Name != "A" || back[0].Value != json.Number("1") {
		t.Errorf("unmarshal = %#v %v", back, err)
	}
}

func TestObjectJSON(t *testing.T) {
	typ := &TypeInfo{Name: "Exchange.Mailbox"}
	nested := NewObject(typ).Set("Name", "inner")
	o := NewObject(typ).
		Set("DisplayName", "Sales").
		Set("EmailAddresses", []string{"SMTP:sales@contoso.test", "smtp:sales@contoso.onmicrosoft.test"}).
		Set("ForwardingSmtpAddress", "smtp:x@y.test").
		Set("ForwardingAddress", nil).
		Set("DeliverToMailboxAndForward", false).
		Set("ItemCount", 42).
		Set("Sizes", []Value{int64(1), int64(2)}).
		Set("Mixed", []Value{"a", int64(1)}).
		Set("WhenCreated", time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC)).
		Set("ResultSize", Limit{Unlimited: true}).
		Set("Owner", nested)
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"DisplayName":"Sales","EmailAddresses@odata.type":"#Collection(String)","EmailAddresses":["SMTP:sales@contoso.test","smtp:sales@contoso.onmicrosoft.test"],` +
		`"ForwardingSmtpAddress":"smtp:x@y.test","ForwardingAddress":null,"DeliverToMailboxAndForward":false,"ItemCount":42,` +
		`"Sizes@odata.type":"#Collection(Int64)","Sizes":[1,2],"Mixed":["a",1],"WhenCreated":"2024-05-01T08:30:00Z","ResultSize":"Unlimited",` +
		`"Owner":{"Name":"inner"}}`
	if string(b) != want {
		t.Errorf("\n got %s\nwant %s", b, want)
	}
	if sel, _ := json.Marshal(o.Select("emailaddresses", "DisplayName", "Nope")); string(sel) !=
		`{"EmailAddresses@odata.type":"#Collection(String)","EmailAddresses":["SMTP:sales@contoso.test","smtp:sales@contoso.onmicrosoft.test"],"DisplayName":"Sales"}` {
		t.Errorf("select = %s", sel)
	}
}
