package powershell

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRun runs any input through the engine with the fake cmdlets: it must not
// panic, every error must say what and where, and the output must serialize.
func FuzzRun(f *testing.F) {
	f.Add(seedLine)
	for _, g := range goldens {
		for _, line := range g.lines {
			f.Add(line)
		}
	}
	for _, line := range []string{
		must + "-Count 2.5 -ResultSize Unlimited -GrantSendOnBehalfTo @{Add='a'}",
		`Get-Thing | Sort-Object @{e={$_.Quota}; desc=$true}, Name -Unique | Select-Object -Last 2 | fl *`,
		`@(Get-Thing; 'x') | Where-Object { $_ -ne $null }`,
		`Set-Thing info -StartTime '5/1/2024 8:00 AM' -DisplayName (Get-Thing AlexW).Name -Confirm:$false -ea Stop`,
	} {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) > 1000 {
			return
		}
		e, s := testEngine()
		for _, n := range []string{"info", "AlexW", "Sales"} {
			s.add(&thing{name: n, alias: strings.ToLower(n), sendOnBehalf: []string{"a", "b"}})
		}
		e.Width = 60
		res := e.Run(context.Background(), "admin", line)
		for _, rec := range res.Errors {
			if rec.Message == "" || rec.ErrorID == "" || rec.Exception == "" || rec.Format() == "" {
				t.Fatalf("%q: incomplete error %+v", line, rec)
			}
			if rec.Pos.IsValid() && (rec.Pos.Offset > len(line) || rec.End.Offset < rec.Pos.Offset || rec.End.Offset > len(line)+1) {
				t.Fatalf("%q: error points outside the input: %+v", line, rec)
			}
		}
		for _, r := range res.Records {
			if r.Text != "" && !strings.HasSuffix(r.Text, "\n") {
				t.Fatalf("%q: record without a final line break: %q", line, r.Text)
			}
		}
		if _, err := json.Marshal(NewInvokeCommandResponse("https://x/", res)); err != nil {
			t.Fatalf("%q: output does not serialize: %v", line, err)
		}
	})
}

// FuzzCommandLine: any string a program passes as a parameter value arrives at
// the cmdlet as that same string, whatever quotes, dollars, semicolons or
// backticks it holds; it is data, never code.
func FuzzCommandLine(f *testing.F) {
	for _, s := range []string{"Sales Department", "x'; Remove-Thing info; '", "$(Get-Thing)", "`n\"", "-WhatIf", "42", "a,b", "@{a=1}", "#", "‘q’", "\x00\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || !utf8.ValidString(s) {
			return
		}
		e, got := probeEngine()
		res := e.Invoke(context.Background(), nil, CmdletInput{CmdletName: "Test-Bind", Parameters: Parameters{
			{Name: "User", Value: s}, {Name: "AccessRights", Value: "FullAccess"}, {Name: "Members", Value: []string{s, s}},
		}})
		if res.Failed() {
			t.Fatalf("%q: %s", s, res.Text())
		}
		if (*got)["User"] != s || !reflect.DeepEqual((*got)["Members"], []string{s, s}) {
			t.Fatalf("%q arrived as %q and %q", s, (*got)["User"], (*got)["Members"])
		}
	})
}
