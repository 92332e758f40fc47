package powershell

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldens are console sessions whose text is compared with testdata/golden/<name>.txt.
var goldens = []struct {
	name  string
	width int
	lines []string
}{
	{"seed", 120, []string{seedLine, `Get-ThingPermission "Sales Department"`, `Get-Thing "Sales Department" | Format-List GrantSendOnBehalfTo`}},
	{"table-view", 120, []string{"Get-Thing", "@(Get-Thing info; Get-ThingPermission info; 'done')"}},
	{"table-narrow", 44, []string{"Get-Thing", "Get-ThingPermission AlexW"}},
	{"table-autosize", 50, []string{"Get-Thing | Format-Table Name, Alias, RecipientTypeDetails, Quota, WhenCreated -AutoSize"}},
	{"table-selected", 120, []string{"Get-Thing | Select-Object Name, Quota", "Get-Thing | ft Name -HideTableHeaders"}},
	{"table-calculated", 120, []string{`Get-Thing | Format-Table Name, @{Label="Delegates"; Expression={$_.GrantSendOnBehalfTo.Count}; Width=9}, @{L='Kind'; E='RecipientTypeDetails'; Alignment='Right'}`}},
	{"list", 120, []string{"Get-Thing AlexW | Format-List", "Get-Thing AlexW | fl Name, Grant*"}},
	{"list-wrap", 40, []string{"Get-Thing long | Format-List Name, DisplayName"}},
	{"list-many-properties", 120, []string{"Get-Thing info | Select-Object Name, Alias, Quota, RecipientTypeDetails, DisplayName"}},
	{"scalars", 120, []string{"'text'; 42; $true; 1.5; 2e20; $null", "@{Add='a','b'; Remove='c'}", "Get-Thing AlexW | Select-Object -ExpandProperty WhenCreated"}},
	{"measure", 120, []string{"Get-Thing | Measure-Object", "Get-Thing | Measure-Object Quota -Sum -Average"}},
	{"warning-and-whatif", 120, []string{"Get-Thing -ResultSize 2", "Set-Thing info -Type Regular -WhatIf", "Add-ThingPermission info -User Bob -AccessRights FullAccess -Verbose"}},
	{"errors", 120, []string{
		"Get-Thing nobody", "Get-Thing -Foo", "Get-Foo", "'a' | New-Thing x", "Add-ThingPermission info -Access bogus -User u",
		"New-Thing", "Get-Thing | ? { $_.Quota -gt 'lots' } | Select-Object -First 1", "Get-Thing `\n  -Identity 'x",
		"Get-Thing | Where-Object { $_.Name -eq Sales }",
	}},
	{"help", 120, []string{"Get-Help Add-ThingPermission", "Get-Help Get-Thing -Full", "Set-Thing -?", "Get-Help *-Thing*", "Get-Help Nope"}},
	{"help-utility", 120, []string{"Get-Help Where-Object", "help Select-Object -Examples"}},
	{"command", 120, []string{"Get-Command", "Get-Command -Name *-Object, ft, Get-Nothing", "gcm -Verb Get -Module Contoso"}},
}

func TestFormattingGolden(t *testing.T) {
	for _, g := range goldens {
		e, _ := seeded(t)
		run(t, e, "admin", `New-Thing -Name long -Alias long -DisplayName "A display name long enough to wrap around in a narrow console window"`)
		e.Width = g.width
		var b strings.Builder
		for _, line := range g.lines {
			b.WriteString("PS> " + line + "\n")
			b.WriteString(e.Run(context.Background(), "admin", line).Text())
		}
		path := filepath.Join("testdata", "golden", g.name+".txt")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s (run go test -update to create it)", err)
		}
		if got := b.String(); got != string(want) {
			t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", g.name, path, got)
		}
	}
}

func TestTableLayout(t *testing.T) {
	cols := []column{
		propertyColumn("Name", "", 0, AlignAuto), propertyColumn("Size", "", 0, AlignAuto), propertyColumn("Note", "", 0, AlignAuto),
	}
	row := func(name string, size int64, note string) []Value {
		return cells(cols, NewObject(nil).Set("Name", name).Set("Size", size).Set("Note", note))
	}
	rows := [][]Value{row("alpha", 5, "short"), row("a much longer name", 12345, "a note that is long")}
	l, warn := layoutTable(cols, rows, 80, false)
	if warn != "" || strings.Join(l.header(), "|") != "Name                Size Note|----                ---- ----" {
		t.Errorf("wide: %q %q", l.header(), warn)
	}
	if got := l.row(rows[0]); got != "alpha                  5 short" {
		t.Errorf("row = %q", got)
	}
	l, _ = layoutTable(cols, rows, 30, false)
	if got := l.row(rows[1]); got != "a much l... 12345 a note th..." || len(got) > 30 {
		t.Errorf("shrunk row = %q", got)
	}
	l, warn = layoutTable(cols, rows, 26, true)
	if len(l.cols) != 2 || warn != "1 columns do not fit into the display and were removed." {
		t.Errorf("autosize: %d columns, %q", len(l.cols), warn)
	}
	if got := formatValue([]string{"a", "b", "c", "d", "e"}); got != "{a, b, c, d...}" {
		t.Errorf("enumeration = %q", got)
	}
	if got := formatValue([]string{}); got != "{}" {
		t.Errorf("empty = %q", got)
	}
}
