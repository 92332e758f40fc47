package powershell

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

const seedLine = `New-Thing -Shared -Name "Sales Department" -DisplayName "Sales Department" -Alias Sales | Set-Thing -GrantSendOnBehalfTo MarketingSG | Add-ThingPermission -User MarketingSG -AccessRights FullAccess –InheritanceType All`

func run(t *testing.T, e *Engine, actor any, line string) *Result {
	t.Helper()
	return e.Run(context.Background(), actor, line)
}

// TestSeedPipeline runs the shared-mailbox seed's line (en dash and all) on the
// fake cmdlets: each command's output object binds to the next one's -Identity.
func TestSeedPipeline(t *testing.T) {
	e, s := testEngine()
	res := run(t, e, "admin", seedLine)
	if res.Failed() {
		t.Fatal(res.Text())
	}
	th := s.things["sales department"]
	if th == nil || !th.shared || th.alias != "Sales" || th.display != "Sales Department" {
		t.Fatalf("thing = %+v", th)
	}
	if !reflect.DeepEqual(th.sendOnBehalf, []string{"MarketingSG"}) {
		t.Errorf("send on behalf = %v", th.sendOnBehalf)
	}
	if len(th.perms) != 1 || th.perms[0].user != "MarketingSG" || !reflect.DeepEqual(th.perms[0].rights, []string{"FullAccess"}) {
		t.Errorf("perms = %+v", th.perms)
	}
	want := []string{
		"New-Thing|admin|" + seedLine,
		"Set-Thing|admin|" + seedLine,
		"Add-ThingPermission|admin|All|" + seedLine + "|true",
	}
	if !reflect.DeepEqual(s.calls, want) {
		t.Errorf("calls =\n%s\nwant\n%s", strings.Join(s.calls, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Output) != 1 || toString(member(res.Output[0], "User")) != "MarketingSG" {
		t.Errorf("output = %v", res.Output)
	}
	// The same again: the grant exists, which is a warning, not an error.
	again := run(t, e, "admin", `Get-Thing Sales | Add-ThingPermission -User marketingsg -AccessRights FullAccess`)
	if again.Failed() || len(again.Warnings) != 1 || !strings.Contains(again.Text(), "WARNING: The appropriate access control entry is already present") {
		t.Errorf("second grant: %s", again.Text())
	}
}

func seeded(t *testing.T) (*Engine, *thingStore) {
	t.Helper()
	e, s := testEngine()
	for _, line := range []string{
		`New-Thing -Name "Sales Department" -Alias Sales -Shared -Quota 50`,
		`New-Thing -Name "Alex Wilber" -Alias AlexW -Quota 100`,
		`New-Thing -Name "Info" -Alias info -Shared -Quota 5`,
		`Set-Thing AlexW -GrantSendOnBehalfTo a,b,c,d,e`,
	} {
		if res := run(t, e, "admin", line); res.Failed() {
			t.Fatal(res.Text())
		}
	}
	s.calls = nil
	return e, s
}

// names returns the Name of each output object.
func names(res *Result) string {
	var out []string
	for _, v := range res.Output {
		out = append(out, toString(member(v, "Name")))
	}
	return strings.Join(out, ",")
}

func TestWhereObject(t *testing.T) {
	e, _ := seeded(t)
	cases := map[string]string{
		`Get-Thing | Where-Object {$_.RecipientTypeDetails -eq "SharedMailbox"}`:                    "Info,Sales Department",
		`Get-Thing | Where-Object RecipientTypeDetails -eq SharedMailbox`:                           "Info,Sales Department",
		`Get-Thing | where RecipientTypeDetails -ne SharedMailbox`:                                  "Alex Wilber",
		`Get-Thing | ? { $_.Alias -like 's*' }`:                                                     "Sales Department",
		`Get-Thing | ? { $_.Alias -clike 's*' }`:                                                    "",
		`Get-Thing | ? { $_.Alias -notlike '*e*' }`:                                                 "Info",
		`Get-Thing | ? { $_.Name -match '^(info|alex)' }`:                                           "Alex Wilber,Info",
		`Get-Thing | ? { $_.Name -notmatch 'a' }`:                                                   "Info",
		`Get-Thing | ? { $_.Quota -gt 10 -and $_.Quota -lt 100 }`:                                   "Sales Department",
		`Get-Thing | ? { $_.Quota -ge 100 -or $_.Quota -le 5 }`:                                     "Alex Wilber,Info",
		`Get-Thing | ? { -not ($_.Quota -gt 10) }`:                                                  "Info",
		`Get-Thing | ? { !$_.HiddenFromAddressListsEnabled -and ($_.Alias -eq 'info' -or $false) }`: "Info",
		`Get-Thing | ? { $_.GrantSendOnBehalfTo -contains 'C' }`:                                    "Alex Wilber",
		`Get-Thing | ? { $_.GrantSendOnBehalfTo -eq 'e' }`:                                          "Alex Wilber",
		`Get-Thing | ? { $_.GrantSendOnBehalfTo.Count -gt 4 }`:                                      "Alex Wilber",
		`Get-Thing | ? { $_.Alias -in 'sales','info' }`:                                             "Info,Sales Department",
		`Get-Thing | ? { $_.Alias -notin 'sales','info' }`:                                          "Alex Wilber",
		`Get-Thing | ? { $_.NoSuchProperty -eq $null }`:                                             "Alex Wilber,Info,Sales Department",
		`Get-Thing | ? { $_.WhenCreated -lt '2025-01-01' }`:                                         "Alex Wilber,Info,Sales Department",
		`Get-Thing | Where-Object Quota -GT 60`:                                                     "Alex Wilber",
		`Get-Thing | Where-Object Alias -Like 'a*'`:                                                 "Alex Wilber",
		`Get-Thing | Where-Object GrantSendOnBehalfTo`:                                              "Alex Wilber",
		`Get-Thing | Where-Object GrantSendOnBehalfTo -Not`:                                         "Info,Sales Department",
		`Get-Thing | Where-Object -FilterScript { $PSItem.Quota -eq 5 }`:                            "Info",
		`Get-Thing | Where-Object { $_.Alias -eq 'sales' } | Where-Object { $true }`:                "Sales Department",
	}
	for line, want := range cases {
		res := run(t, e, "admin", line)
		if res.Failed() {
			t.Errorf("%s: %s", line, res.Text())
			continue
		}
		if got := names(res); got != want {
			t.Errorf("%s = %q, want %q", line, got, want)
		}
	}
	res := run(t, e, "admin", `Get-Thing | ? { $_.Quota -gt 'lots' }`)
	if len(res.Errors) != 3 || res.Errors[0].Message != `Could not compare "100" to "lots". Error: "Cannot convert value "lots" to type "System.Int32". Error: "Input string was not in a correct format.""` {
		t.Errorf("comparison errors: %s", res.Text())
	}
	if res := run(t, e, "admin", `Get-Thing | Where-Object Quota -EQ -GT -Value 5`); len(res.Errors) != 1 || res.Errors[0].ErrorID != "AmbiguousParameterSet" {
		t.Errorf("two operators: %s", res.Text())
	}
}

func TestSelectSortMeasure(t *testing.T) {
	e, _ := seeded(t)
	cases := map[string]string{
		`Get-Thing | Select-Object -First 2`:                                      "Alex Wilber,Info",
		`Get-Thing | Select-Object -Last 1`:                                       "Sales Department",
		`Get-Thing | Select-Object -Skip 1 -First 1`:                              "Info",
		`Get-Thing | Sort-Object Quota`:                                           "Info,Sales Department,Alex Wilber",
		`Get-Thing | Sort-Object -Property Quota -Descending`:                     "Alex Wilber,Sales Department,Info",
		`Get-Thing | sort RecipientTypeDetails, Name -Descending`:                 "Alex Wilber,Sales Department,Info",
		`Get-Thing | Sort-Object @{Expression='Quota'; Descending=$true}`:         "Alex Wilber,Sales Department,Info",
		`Get-Thing | Sort-Object { $_.Alias.Length }`:                             "Info,Alex Wilber,Sales Department",
		`Get-Thing | Select-Object Name, Quota | Sort-Object Quota -Desc`:         "Alex Wilber,Sales Department,Info",
		`Get-Thing | Where-Object Quota -lt 60 | Sort-Object Name -Unique`:        "Info,Sales Department",
		`"b","a","B" | Sort-Object -Unique | ForEach-Nothing`:                     "",
		`Get-Thing | Select-Object -ExpandProperty Name | Sort-Object -Desc`:      "",
		`(Get-Thing Sales), (Get-Thing info) | Select-Object -First 1`:            "Sales Department",
		`Get-Thing -Anr (Get-Thing AlexW | Select-Object -ExpandProperty 'Name')`: "Alex Wilber",
	}
	for line, want := range cases {
		res := run(t, e, "admin", line)
		if strings.Contains(line, "ForEach-Nothing") {
			if len(res.Errors) != 1 || res.Errors[0].ErrorID != "CommandNotFoundException" {
				t.Errorf("%s: %s", line, res.Text())
			}
			continue
		}
		if res.Failed() {
			t.Errorf("%s: %s", line, res.Text())
			continue
		}
		if strings.Contains(line, "ExpandProperty Name") {
			if !reflect.DeepEqual(res.Output, []Value{"Sales Department", "Info", "Alex Wilber"}) {
				t.Errorf("%s = %v", line, res.Output)
			}
			continue
		}
		if got := names(res); got != want {
			t.Errorf("%s = %q, want %q", line, got, want)
		}
	}

	res := run(t, e, "admin", `Get-Thing AlexW | Select-Object Name, @{Name="Delegates"; Expression={$_.GrantSendOnBehalfTo.Count}}, @{n='Kind';e='RecipientTypeDetails'}, *Address*`)
	o := res.Output[0].(*Object)
	if o.TypeName() != "Selected.Contoso.Thing" || len(o.props) != 4 || o.props[1].Name != "Delegates" || o.props[1].Value != int64(5) ||
		o.props[2].Value != "UserMailbox" || o.props[3].Name != "HiddenFromAddressListsEnabled" {
		t.Errorf("selected = %#v", o.props)
	}
	res = run(t, e, "admin", `Get-Thing AlexW | Select-Object -ExpandProperty GrantSendOnBehalfTo`)
	if !reflect.DeepEqual(res.Output, []Value{"a", "b", "c", "d", "e"}) {
		t.Errorf("expanded = %v", res.Output)
	}
	res = run(t, e, "admin", `Get-Thing AlexW | Select-Object -ExpandProperty Nope`)
	if len(res.Errors) != 1 || res.Errors[0].Message != `Property "Nope" cannot be found.` || res.Errors[0].Command != "Select-Object" {
		t.Errorf("missing property: %s", res.Text())
	}
	res = run(t, e, "admin", `Get-Thing | Select-Object * -ExcludeProperty *Address*,Grant*`)
	if o := res.Output[0].(*Object); len(o.props) != 7 {
		t.Errorf("excluded: %v", o.props)
	}
	res = run(t, e, "admin", `Get-Thing | Measure-Object`)
	if m := res.Output[0].(*Object); member(m, "Count") != int64(3) || member(m, "Sum") != nil {
		t.Errorf("measure = %v", m.props)
	}
	res = run(t, e, "admin", `Get-Thing | Measure-Object Quota -Sum -Average -Maximum -Minimum`)
	if m := res.Output[0].(*Object); member(m, "Sum") != 155.0 || member(m, "Maximum") != 100.0 || member(m, "Minimum") != 5.0 || member(m, "Property") != "Quota" {
		t.Errorf("measure = %v", m.props)
	}
	res = run(t, e, "admin", `Get-Thing | Measure-Object Name -Sum`)
	if len(res.Errors) != 1 || res.Errors[0].Message != `Input object "Alex Wilber" is not numeric.` {
		t.Errorf("non-numeric: %s", res.Text())
	}
	res = run(t, e, "admin", `Get-Thing nobody | Measure-Object`)
	if m := res.Output[0].(*Object); member(m, "Count") != int64(0) {
		t.Errorf("measure of nothing = %v", m.props)
	}
}

// TestPipelineBinding: a string or an object binds to -Identity; a permission
// object's User and AccessRights bind by property name.
func TestPipelineBinding(t *testing.T) {
	e, s := seeded(t)
	if res := run(t, e, "admin", `"Sales Department","info" | Get-Thing`); names(res) != "Sales Department,Info" {
		t.Errorf("strings into -Identity: %s", res.Text())
	}
	if res := run(t, e, "admin", `Add-ThingPermission Sales -User Bob -AccessRights FullAccess,ReadPermission`); res.Failed() {
		t.Fatal(res.Text())
	}
	res := run(t, e, "admin", `Get-ThingPermission Sales | Where-Object User -eq Bob | Add-ThingPermission -Identity Info`)
	if res.Failed() {
		t.Fatal(res.Text())
	}
	if p := s.things["info"].perms; len(p) != 1 || p[0].user != "Bob" || !reflect.DeepEqual(p[0].rights, []string{"FullAccess", "ReadPermission"}) {
		t.Errorf("copied permission = %+v", p)
	}
	// A cmdlet that takes no pipeline input refuses each object, and goes on.
	res = run(t, e, "admin", `1, 2 | New-Thing x`)
	if len(res.Errors) != 2 || res.Errors[0].ErrorID != "InputObjectNotBound" || res.Errors[0].Terminating ||
		res.Errors[0].Message != "The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input." {
		t.Errorf("no pipeline input: %s", res.Text())
	}
	// An empty upstream runs nothing downstream.
	s.calls = nil
	if res := run(t, e, "admin", `Get-Thing | Where-Object Alias -eq nobody | Set-Thing -DisplayName x`); res.Failed() || len(s.calls) != 0 {
		t.Errorf("empty upstream: %s %v", res.Text(), s.calls)
	}
	// A failing object does not stop the others.
	res = run(t, e, "admin", `"nobody","info" | Set-Thing -DisplayName Renamed`)
	if len(res.Errors) != 1 || s.things["info"].display != "Renamed" {
		t.Errorf("per-object error: %s", res.Text())
	}
	// Set-Thing at the end of a line writes nothing; piped on, it passes its object.
	if res := run(t, e, "admin", `Set-Thing info -DisplayName A`); len(res.Output) != 0 || res.Text() != "" {
		t.Errorf("Set at the end wrote %q", res.Text())
	}
	// A command in parentheses is an argument.
	if res := run(t, e, "admin", `Set-Thing (Get-Thing info).Name -DisplayName (Get-Thing AlexW).Alias`); res.Failed() || s.things["info"].display != "AlexW" {
		t.Errorf("parenthesized: %s %q", res.Text(), s.things["info"].display)
	}
}

func TestWhatIfAndConfirm(t *testing.T) {
	e, s := seeded(t)
	res := run(t, e, "admin", `New-Thing Other -WhatIf; Set-Thing info -Type Regular -WhatIf; Remove-Thing AlexW -wi`)
	if res.Failed() || len(s.things) != 3 || !s.things["info"].shared || len(s.calls) != 0 {
		t.Fatalf("-WhatIf changed something: %s %+v", res.Text(), s.calls)
	}
	want := `What if: Performing the operation "New-Thing" on target "Other".` + "\n" +
		`What if: Performing the operation "Set-Thing" on target "Info".` + "\n" +
		`What if: Performing the operation "Remove-Thing" on target "Alex Wilber".` + "\n"
	if res.Text() != want {
		t.Errorf("what if:\n%s\nwant\n%s", res.Text(), want)
	}
	if res := run(t, e, "admin", `Remove-Thing AlexW -Confirm:$false; Remove-Thing info -Confirm`); res.Failed() || len(s.things) != 1 {
		t.Errorf("-Confirm: %s, %d left", res.Text(), len(s.things))
	}
}

func TestErrorActionAndStatements(t *testing.T) {
	e, s := seeded(t)
	res := run(t, e, "admin", "Get-Thing nobody -ErrorAction SilentlyContinue; Get-Thing info")
	if len(res.Errors) != 1 || strings.Contains(res.Text(), "nobody") || names(res) != "Info" {
		t.Errorf("SilentlyContinue: %s", res.Text())
	}
	res = run(t, e, "admin", "Get-Thing nobody -ErrorAction Ignore")
	if len(res.Errors) != 0 || res.Text() != "" {
		t.Errorf("Ignore: %s", res.Text())
	}
	// Stop ends the pipeline at the first failing object; the next statement runs.
	res = run(t, e, "admin", "'nobody','info' | Set-Thing -DisplayName Stopped -ErrorAction Stop\nGet-Thing AlexW")
	if len(res.Errors) != 1 || s.things["info"].display == "Stopped" || names(res) != "Alex Wilber" {
		t.Errorf("Stop: %s", res.Text())
	}
	// A binding error stops its statement before anything runs, not the next one.
	res = run(t, e, "admin", "Get-Thing; Set-Thing info -Bogus 1; Get-Thing AlexW")
	if len(res.Errors) != 1 || names(res) != "Alex Wilber,Info,Sales Department,Alex Wilber" {
		t.Errorf("statements: %s", names(res))
	}
	// A parse error runs nothing at all.
	s.calls = nil
	res = run(t, e, "admin", "Set-Thing info -DisplayName X; Get-Thing 'oops")
	if len(res.Errors) != 1 || res.Errors[0].Category != ParserError || len(s.calls) != 0 {
		t.Errorf("parse error: %s", res.Text())
	}
	// -WarningAction silences warnings.
	res = run(t, e, "admin", "Get-Thing -ResultSize 1 -WarningAction SilentlyContinue")
	if len(res.Warnings) != 0 || names(res) != "Alex Wilber" {
		t.Errorf("WarningAction: %s", res.Text())
	}
	res = run(t, e, "admin", "Get-Thing -ResultSize 1")
	if len(res.Warnings) != 1 || !strings.Contains(res.Text(), "\nWARNING: By default, only the first 1 items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify \"-ResultSize Unlimited\".\n") {
		t.Errorf("warning: %q", res.Text())
	}
}

// TestActorAndRoles: the actor reaches the cmdlet; a refused change is Exchange's
// access-denied error and changes nothing.
func TestActorAndRoles(t *testing.T) {
	e, s := seeded(t)
	res := run(t, e, "reader", `Set-Thing info -DisplayName Hacked`)
	if len(res.Errors) != 1 || s.things["info"].display == "Hacked" {
		t.Fatalf("reader: %s", res.Text())
	}
	rec := res.Errors[0]
	if rec.Category != PermissionDenied || rec.Code != "Ex0A2C3B" || rec.RESTMessage() !=
		`Ex0A2C3B|Microsoft.Exchange.Configuration.Tasks.AccessDeniedException|The user "reader" isn't assigned to any management roles that allow running Set-Thing.` {
		t.Errorf("record = %+v", rec)
	}
	if res := run(t, e, "reader", `Get-Thing info`); res.Failed() {
		t.Errorf("reader reads: %s", res.Text())
	}
}

func TestCancelledContext(t *testing.T) {
	e, s := seeded(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := e.Run(ctx, "admin", "Set-Thing info -DisplayName Late")
	if len(res.Errors) != 1 || res.Errors[0].Message != "The pipeline has been stopped." || s.things["info"].display == "Late" {
		t.Errorf("cancelled: %s", res.Text())
	}
}

// TestUnmappedErrorHidesItsText: an error no mapper knows never shows its own text.
func TestUnmappedErrorHidesItsText(t *testing.T) {
	reg := NewRegistry()
	reg.Register(failing{})
	res := New(reg).Run(context.Background(), nil, "Get-Failing")
	if len(res.Errors) != 1 || strings.Contains(res.Text(), "secret") ||
		res.Errors[0].Message != "The operation couldn't be performed because of an unexpected error." {
		t.Errorf("unmapped: %s", res.Text())
	}
}

type failing struct{}

func (failing) Meta() Meta        { return Meta{Name: "Get-Failing"} }
func (failing) Run(c *Call) error { return errSecret }

var errSecret = &secretError{}

type secretError struct{}

func (*secretError) Error() string { return "sql: secret table dump" }
