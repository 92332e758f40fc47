package powershell

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// probe is a cmdlet with a parameter of every type; Run records what was bound.
type probe struct{ got *map[string]Value }

func (probe) Meta() Meta {
	return Meta{
		Name: "Test-Bind", SupportsShouldProcess: true,
		Params: []Param{
			{Name: "Identity", Type: Identity, Position: At(0), FromPipeline: true},
			{Name: "User", Type: String, Mandatory: true},
			{Name: "AccessRights", Type: EnumList, Mandatory: true, Values: []string{"FullAccess", "ReadPermission", "ChangeOwner"}},
			{Name: "AutoMapping", Type: Bool, Default: true},
			{Name: "Shared", Type: Switch},
			{Name: "Count", Type: Int},
			{Name: "ResultSize", Type: IntOrUnlimited, Default: Limit{N: 1000}},
			{Name: "Type", Type: Enum, Values: []string{"Regular", "Shared"}},
			{Name: "Members", Type: StringList},
			{Name: "GrantSendOnBehalfTo", Type: MultiValued},
			{Name: "StartTime", Type: DateTime},
			{Name: "Filter", Type: Script},
			{Name: "Note", Type: String, Aliases: []string{"Comment"}},
			{Name: "Anything", Type: Any},
		},
	}
}

func (p probe) Run(c *Call) error {
	m := map[string]Value{}
	for _, name := range []string{"Identity", "User", "AccessRights", "AutoMapping", "Shared", "Count", "ResultSize", "Type",
		"Members", "GrantSendOnBehalfTo", "StartTime", "Filter", "Note", "Anything", "WhatIf", "Confirm", "ErrorAction", "Verbose"} {
		if c.Has(name) {
			m[name] = c.Value(name)
		}
	}
	m["default AutoMapping"] = c.Bool("AutoMapping")
	m["default ResultSize"] = c.Limit("ResultSize")
	*p.got = m
	return nil
}

func probeEngine() (*Engine, *map[string]Value) {
	got := map[string]Value{}
	reg := NewRegistry()
	reg.Register(probe{&got})
	return New(reg), &got
}

const must = "Test-Bind -User u -AccessRights FullAccess "

func TestBindingValues(t *testing.T) {
	date := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		line string
		name string
		want Value
	}{
		{"test-bind -user u -accessrights fullaccess", "AccessRights", []string{"FullAccess"}},
		{"Test-Bind -USER u -Access ReadPermission,changeowner", "AccessRights", []string{"ReadPermission", "ChangeOwner"}},
		{"Test-Bind –User u —AccessRights FullAccess ―Note x", "Note", "x"},
		{must + "-Comment hello", "Note", "hello"},
		{must + "-Com:'hi there'", "Note", "hi there"},
		{must + "Sales", "Identity", IdentityArg{Text: "Sales"}},
		{must + "-Identity:Sales", "Identity", IdentityArg{Text: "Sales"}},
		{must + "-AutoMapping $false", "AutoMapping", false},
		{must + "-AutoMapping:0", "AutoMapping", false},
		{must, "default AutoMapping", true},
		{must + "-Shared", "Shared", true},
		{must + "-Shared:$false", "Shared", false},
		{must + "-Count 42", "Count", int64(42)},
		{must + "-Count '7'", "Count", int64(7)},
		{must + "-Count 2.5", "Count", int64(2)},
		{must + "-ResultSize Unlimited", "ResultSize", Limit{Unlimited: true}},
		{must + "-ResultSize unlimited", "ResultSize", Limit{Unlimited: true}},
		{must + "-ResultSize 10", "ResultSize", Limit{N: 10}},
		{must, "default ResultSize", Limit{N: 1000}},
		{must + "-Type shared", "Type", "Shared"},
		{must + "-Members a", "Members", []string{"a"}},
		{must + "-Members a, 'b c',3", "Members", []string{"a", "b c", "3"}},
		{must + "-Members $null", "Members", nil},
		{must + "-GrantSendOnBehalfTo MarketingSG", "GrantSendOnBehalfTo", MultiValue{Replace: []string{"MarketingSG"}}},
		{must + "-GrantSendOnBehalfTo a,b", "GrantSendOnBehalfTo", MultiValue{Replace: []string{"a", "b"}}},
		{must + `-GrantSendOnBehalfTo @{Add="a","b"; Remove="c"}`, "GrantSendOnBehalfTo", MultiValue{Edit: true, Add: []string{"a", "b"}, Remove: []string{"c"}}},
		{must + `-GrantSendOnBehalfTo @{add='a'}`, "GrantSendOnBehalfTo", MultiValue{Edit: true, Add: []string{"a"}}},
		{must + "-GrantSendOnBehalfTo $null", "GrantSendOnBehalfTo", MultiValue{}},
		{must + "-StartTime '2024-05-01 08:00'", "StartTime", date},
		{must + "-StartTime '5/1/2024 8:00 AM'", "StartTime", date},
		{must + "-StartTime 2024-05-01T08:00:00Z", "StartTime", date},
		{must + "-Anything @(1, 'a')", "Anything", []Value{int64(1), "a"}},
		{must + "-WhatIf", "WhatIf", true},
		{must + "-Confirm:$false", "Confirm", false},
		{must + "-ea SilentlyContinue", "ErrorAction", "SilentlyContinue"},
		{must + "-Verbose", "Verbose", true},
	}
	for _, c := range cases {
		e, got := probeEngine()
		res := e.Run(context.Background(), nil, c.line)
		if res.Failed() {
			t.Errorf("%s: %s", c.line, res.Text())
			continue
		}
		if v := (*got)[c.name]; !reflect.DeepEqual(v, c.want) {
			t.Errorf("%s: %s = %#v, want %#v", c.line, c.name, v, c.want)
		}
	}
}

func TestBindingScriptBlock(t *testing.T) {
	e, got := probeEngine()
	if res := e.Run(context.Background(), nil, must+"-Filter { $_.Name -eq 'x' }"); res.Failed() {
		t.Fatal(res.Text())
	}
	if b, ok := (*got)["Filter"].(*ScriptBlock); !ok || b.String() != "{ $_.Name -eq 'x' }" {
		t.Errorf("Filter = %#v", (*got)["Filter"])
	}
}

// TestBindingErrors checks PowerShell's wording, error id and where each points.
func TestBindingErrors(t *testing.T) {
	cases := []struct {
		line, id, msg, squiggle string
	}{
		{must + "-Foo", "NamedParameterNotFound", "A parameter cannot be found that matches parameter name 'Foo'.", "-Foo"},
		{must + "-A x", "AmbiguousParameter", "Parameter cannot be processed because the parameter name 'A' is ambiguous. Possible matches include: -AccessRights -Anything -AutoMapping.", "-A"},
		{must + "-Co 1", "AmbiguousParameter", "Parameter cannot be processed because the parameter name 'Co' is ambiguous. Possible matches include: -Confirm -Count -Note.", "-Co"},
		{"Test-Bind -AccessRights FullAccess -User", "MissingArgument", "Missing an argument for parameter 'User'. Specify a parameter of type 'System.String' and try again.", "-User"},
		{"Test-Bind -User -AccessRights FullAccess", "MissingArgument", "Missing an argument for parameter 'User'. Specify a parameter of type 'System.String' and try again.", "-User"},
		{must + "-Note:", "MissingArgument", "Missing an argument for parameter 'Note'. Specify a parameter of type 'System.String' and try again.", "-Note:"},
		{must + "-Shared:", "MissingArgument", "Missing an argument for parameter 'Shared'. Specify a parameter of type 'System.Management.Automation.SwitchParameter' and try again.", "-Shared:"},
		{"Test-Bind x", "MissingMandatoryParameter", "Cannot process command because of one or more missing mandatory parameters: User AccessRights.", "Test-Bind x"},
		{must + "-User v", "ParameterAlreadyBound", `Cannot bind parameter because parameter 'User' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`, "-User"},
		{must + "a b", "PositionalParameterNotFound", "A positional parameter cannot be found that accepts argument 'b'.", "b"},
		{must + "x -Shared $false", "PositionalParameterNotFound", "A positional parameter cannot be found that accepts argument 'False'.", "$false"},
		{must + "-Count abc", "CannotConvertArgumentNoMessage", `Cannot bind parameter 'Count'. Cannot convert value "abc" to type "System.Int32". Error: "Input string was not in a correct format."`, "abc"},
		{must + "-Count 99999999999", "CannotConvertArgumentNoMessage", `Cannot bind parameter 'Count'. Cannot convert value "99999999999" to type "System.Int32". Error: "Value was either too large or too small for an Int32."`, "99999999999"},
		{must + "-ResultSize -1", "CannotConvertArgumentNoMessage", "Cannot bind parameter 'ResultSize'. Cannot convert value \"-1\" to type \"Microsoft.Exchange.Data.Unlimited`1[System.UInt32]\". Error: \"Value was either too large or too small for a UInt32.\"", "-1"},
		{must + "-AutoMapping 'true'", "ParameterArgumentTransformationError", `Cannot process argument transformation on parameter 'AutoMapping'. Cannot convert value "System.String" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`, "'true'"},
		{must + "-Shared:yes", "ParameterArgumentTransformationError", `Cannot process argument transformation on parameter 'Shared'. Cannot convert value "System.String" to type "System.Management.Automation.SwitchParameter". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`, "yes"},
		{"Test-Bind -User u -AccessRights Bogus", "ParameterArgumentValidationError", `Cannot validate argument on parameter 'AccessRights'. The argument "Bogus" does not belong to the set "FullAccess,ReadPermission,ChangeOwner" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`, "Bogus"},
		{must + "-Type Room", "ParameterArgumentValidationError", `Cannot validate argument on parameter 'Type'. The argument "Room" does not belong to the set "Regular,Shared" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`, "Room"},
		{"Test-Bind -User $null -AccessRights FullAccess", "ParameterArgumentValidationErrorNullNotAllowed", "Cannot bind argument to parameter 'User' because it is null.", "$null"},
		{"Test-Bind -User '' -AccessRights FullAccess", "ParameterArgumentValidationErrorEmptyStringNotAllowed", "Cannot bind argument to parameter 'User' because it is an empty string.", "''"},
		{must + "-Identity $null", "ParameterArgumentValidationErrorNullNotAllowed", "Cannot bind argument to parameter 'Identity' because it is null.", "$null"},
		{"Test-Bind -User a,b -AccessRights FullAccess", "CannotConvertArgument", "Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'User'. Specified method is not supported.", "a,b"},
		{must + "-Note @{a=1}", "CannotConvertArgumentNoMessage", `Cannot bind parameter 'Note'. Cannot convert the "System.Collections.Hashtable" value of type "System.Collections.Hashtable" to type "System.String".`, "@{a=1}"},
		{must + "-Filter 'x'", "CannotConvertArgumentNoMessage", `Cannot bind parameter 'Filter'. Cannot convert the "x" value of type "System.String" to type "System.Management.Automation.ScriptBlock".`, "'x'"},
		{must + "-StartTime tomorrow", "CannotConvertArgumentNoMessage", `Cannot bind parameter 'StartTime'. Cannot convert value "tomorrow" to type "System.DateTime". Error: "String 'tomorrow' was not recognized as a valid DateTime."`, "tomorrow"},
		{must + "-GrantSendOnBehalfTo @{Replace='x'}", "CannotConvertArgumentNoMessage", "Cannot bind parameter 'GrantSendOnBehalfTo'. Cannot convert value \"System.Collections.Hashtable\" to type \"Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]\". Error: \"The hashtable key 'Replace' isn't valid. Use Add or Remove, for example @{Add=\"value1\",\"value2\"; Remove=\"value3\"}.\"", "@{Replace='x'}"},
		{must + "-ErrorAction Sometimes", "ParameterArgumentValidationError", `Cannot validate argument on parameter 'ErrorAction'. The argument "Sometimes" does not belong to the set "Break,Continue,Ignore,Inquire,SilentlyContinue,Stop,Suspend" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`, "Sometimes"},
		{must + "-OutVariable x", "VariableParameterNotSupported", "The -OutVariable parameter is not supported here: this session has no variables.", "-OutVariable"},
	}
	for _, c := range cases {
		e, got := probeEngine()
		res := e.Run(context.Background(), nil, c.line)
		if len(res.Errors) != 1 {
			t.Errorf("%s: %d errors, want 1:\n%s", c.line, len(res.Errors), res.Text())
			continue
		}
		rec := res.Errors[0]
		if rec.ErrorID != c.id || rec.Message != c.msg {
			t.Errorf("%s:\n got %s %q\nwant %s %q", c.line, rec.ErrorID, rec.Message, c.id, c.msg)
		}
		if rec.Command != "Test-Bind" || rec.FullyQualifiedErrorID() != c.id+",Test-Bind" {
			t.Errorf("%s: command %q, FQID %q", c.line, rec.Command, rec.FullyQualifiedErrorID())
		}
		if sq := c.line[rec.Pos.Offset:rec.End.Offset]; sq != c.squiggle {
			t.Errorf("%s: points at %q, want %q", c.line, sq, c.squiggle)
		}
		if len(*got) != 0 {
			t.Errorf("%s: the cmdlet ran", c.line)
		}
	}
}

// TestBindingWhatIfNeedsShouldProcess: a cmdlet that changes nothing has no -WhatIf.
func TestBindingWhatIfNeedsShouldProcess(t *testing.T) {
	e, _ := testEngine()
	res := e.Run(context.Background(), nil, "Get-ThingPermission x -WhatIf")
	if len(res.Errors) != 1 || res.Errors[0].ErrorID != "NamedParameterNotFound" {
		t.Fatalf("got %s", res.Text())
	}
}

func TestRegisterRefusesMistakes(t *testing.T) {
	for name, c := range map[string]Cmdlet{
		"duplicate cmdlet":   whereObject{},
		"duplicate alias":    fakeMeta{Meta{Name: "Get-X", Aliases: []string{"ft"}}},
		"duplicate param":    fakeMeta{Meta{Name: "Get-Y", Params: []Param{{Name: "A"}, {Name: "a"}}}},
		"common clash":       fakeMeta{Meta{Name: "Get-Z", Params: []Param{{Name: "Verbose", Type: Switch}}}},
		"enum without set":   fakeMeta{Meta{Name: "Get-W", Params: []Param{{Name: "Kind", Type: Enum}}}},
		"position twice":     fakeMeta{Meta{Name: "Get-V", Params: []Param{{Name: "A", Position: At(0)}, {Name: "B", Position: At(0)}}}},
		"no name":            fakeMeta{Meta{}},
		"alias of parameter": fakeMeta{Meta{Name: "Get-U", Params: []Param{{Name: "A"}, {Name: "B", Aliases: []string{"A"}}}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Register did not panic", name)
				}
			}()
			NewRegistry().Register(c)
		}()
	}
}

type fakeMeta struct{ m Meta }

func (f fakeMeta) Meta() Meta      { return f.m }
func (fakeMeta) Run(c *Call) error { return nil }

// TestCallPanicsOnUndeclaredName: a typo in a cmdlet's getter is found at once.
func TestCallPanicsOnUndeclaredName(t *testing.T) {
	reg := NewRegistry()
	reg.Register(typo{})
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), `"Usr"`) {
			t.Errorf("recovered %v", r)
		}
	}()
	New(reg).Run(context.Background(), nil, "Get-Typo -User x")
}

type typo struct{}

func (typo) Meta() Meta {
	return Meta{Name: "Get-Typo", Params: []Param{{Name: "User", Type: String}}}
}
func (typo) Run(c *Call) error { _ = c.String("Usr"); return nil }
