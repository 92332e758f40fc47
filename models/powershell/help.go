package powershell

import (
	"sort"
	"strings"
)

// helpMode is how much Get-Help shows.
type helpMode int

const (
	helpDefault helpMode = iota
	helpDetailed
	helpFull
	helpExamples
)

// helpText writes a cmdlet's help the way Get-Help lays it out, from its
// declaration: the synopsis and the syntax of each parameter set.
func helpText(reg *Registry, e *entry, mode helpMode) string {
	var b strings.Builder
	m := e.meta
	section := func(title string, lines ...string) {
		b.WriteString("\n" + title + "\n")
		for _, l := range lines {
			if l == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString("    " + l + "\n")
		}
	}
	section("NAME", m.Name)
	if mode == helpExamples {
		section("SYNOPSIS", m.Synopsis)
		writeExamples(&b, m)
		return b.String()
	}
	section("SYNOPSIS", m.Synopsis, "")
	section("SYNTAX", joinBlank(syntaxLines(e))...)
	if m.Description != "" {
		section("DESCRIPTION", m.Description, "")
	}
	if mode == helpDetailed || mode == helpFull {
		b.WriteString("\nPARAMETERS\n")
		for _, p := range e.params {
			if isCommon(p) {
				continue
			}
			b.WriteString("    -" + p.Name + typeSuffix(p) + "\n")
			if p.Help != "" {
				b.WriteString("        " + p.Help + "\n")
			}
			if mode == helpFull {
				writeParamFacts(&b, p)
			}
			b.WriteString("\n")
		}
		b.WriteString("    <CommonParameters>\n        This cmdlet supports the common parameters: Verbose, Debug,\n" +
			"        ErrorAction, WarningAction, InformationAction, and OutBuffer.\n")
		if mode == helpFull || len(m.Examples) > 0 {
			writeExamples(&b, m)
		}
	}
	if len(m.Aliases) > 0 {
		section("ALIASES", m.Aliases...)
	} else {
		section("ALIASES", "None")
	}
	b.WriteString("\n")
	section("REMARKS",
		`To see the examples, type: "Get-Help `+m.Name+` -Examples".`,
		`For more information, type: "Get-Help `+m.Name+` -Detailed".`,
		`For technical information, type: "Get-Help `+m.Name+` -Full".`)
	b.WriteString("\n")
	return b.String()
}

func joinBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l, "")
	}
	return out
}

func writeParamFacts(b *strings.Builder, p *Param) {
	pos := "named"
	if p.Position != nil {
		pos = itoa(*p.Position)
	}
	pipe := "False"
	switch {
	case p.FromPipeline && p.FromPropertyName:
		pipe = "True (ByPropertyName, ByValue)"
	case p.FromPipeline:
		pipe = "True (ByValue)"
	case p.FromPropertyName:
		pipe = "True (ByPropertyName)"
	}
	def := ""
	if p.Default != nil {
		def = toString(p.Default)
	}
	aliases := "none"
	if len(p.Aliases) > 0 {
		aliases = strings.Join(p.Aliases, ", ")
	}
	b.WriteString("\n")
	for _, kv := range [][2]string{
		{"Required?", strings.ToLower(toString(p.Mandatory))}, {"Position?", pos}, {"Default value", def},
		{"Accept pipeline input?", pipe}, {"Aliases", aliases}, {"Dynamic?", "false"},
	} {
		b.WriteString(strings.TrimRight("        "+pad(kv[0], 29, false)+kv[1], " ") + "\n")
	}
}

func writeExamples(b *strings.Builder, m Meta) {
	if len(m.Examples) == 0 {
		return
	}
	b.WriteString("\nEXAMPLES\n")
	for i, ex := range m.Examples {
		b.WriteString("    -------------------------- Example " + itoa(i+1) + " --------------------------\n\n")
		b.WriteString("    " + ex.Code + "\n\n")
		if ex.Remarks != "" {
			b.WriteString("    " + ex.Remarks + "\n\n")
		}
	}
}

// syntaxLines returns one syntax line per parameter set, as Get-Help writes them:
// positional parameters first, then mandatory, then optional ones, then -WhatIf,
// -Confirm and [<CommonParameters>].
func syntaxLines(e *entry) []string {
	sets := e.sets
	if len(sets) == 0 {
		sets = []string{""}
	}
	var lines []string
	for _, set := range sets {
		var ps []*Param
		for _, p := range e.params {
			if !isCommon(p) && p.inSet(set) {
				ps = append(ps, p)
			}
		}
		rank := func(p *Param) int {
			switch {
			case p.Position != nil:
				return *p.Position
			case p.Mandatory:
				return 1000
			}
			return 2000
		}
		sort.SliceStable(ps, func(i, j int) bool { return rank(ps[i]) < rank(ps[j]) })
		parts := []string{e.meta.Name}
		for _, p := range ps {
			parts = append(parts, syntaxPart(p))
		}
		if e.meta.SupportsShouldProcess {
			parts = append(parts, "[-WhatIf]", "[-Confirm]")
		}
		parts = append(parts, "[<CommonParameters>]")
		lines = append(lines, strings.Join(parts, " "))
	}
	return lines
}

// syntaxPart writes one parameter: -Name <Type>, [-Name] <Type> when positional,
// in brackets when optional.
func syntaxPart(p *Param) string {
	name := "-" + p.Name
	if p.Type == Switch {
		if p.Mandatory {
			return name
		}
		return "[" + name + "]"
	}
	if p.Position != nil {
		name = "[" + name + "]"
	}
	s := name + typeSuffix(p)
	if !p.Mandatory {
		s = "[" + s + "]"
	}
	return s
}

// typeSuffix is " <Type>" or, for a set of values, " {A | B}"; nothing for a switch.
func typeSuffix(p *Param) string {
	switch p.Type {
	case Switch:
		return ""
	case Enum, EnumList:
		return " {" + strings.Join(p.Values, " | ") + "}"
	}
	full := p.typeName()
	if i := strings.IndexByte(full, '`'); i >= 0 {
		full = full[:i] // Unlimited`1[System.UInt32] reads as Unlimited
	}
	return " <" + shortType(full) + ">"
}

// getHelp is Get-Help.
type getHelp struct{ reg *Registry }

// Meta declares the cmdlet.
func (getHelp) Meta() Meta {
	return Meta{
		Name:     "Get-Help",
		Aliases:  []string{"help", "man"},
		Synopsis: "Displays information about PowerShell commands and concepts.",
		Module:   "Microsoft.PowerShell.Core",
		Params: []Param{
			{Name: "Name", Type: String, Position: At(0), Help: "The command to show help for; wildcards list the matching commands."},
			{Name: "Detailed", Type: Switch, Help: "Adds parameter descriptions and examples."},
			{Name: "Full", Type: Switch, Help: "Displays the entire help article."},
			{Name: "Examples", Type: Switch, Help: "Displays only the name, synopsis, and examples."},
		},
		Examples: []Example{{Code: "Get-Help Get-Mailbox -Full"}},
	}
}

// Run runs the cmdlet for one invocation.
func (g getHelp) Run(c *Call) error {
	name := c.String("Name")
	if name == "" {
		c.Write(&FormatOutput{Text: generalHelp})
		return nil
	}
	if e := g.reg.lookup(name); e != nil {
		mode := helpDefault
		switch {
		case c.Bool("Full"):
			mode = helpFull
		case c.Bool("Detailed"):
			mode = helpDetailed
		case c.Bool("Examples"):
			mode = helpExamples
		}
		c.Write(&FormatOutput{Text: helpText(g.reg, e, mode)})
		return nil
	}
	if hasWildcard(name) {
		for _, e := range g.reg.sorted() {
			if wildcardMatch(name, e.meta.Name, false) {
				c.Write(NewObject(helpInfoType).Set("Name", e.meta.Name).Set("Category", "Cmdlet").
					Set("Module", e.meta.Module).Set("Synopsis", e.meta.Synopsis))
			}
		}
		return nil
	}
	return &ErrorRecord{
		Message:  "Get-Help could not find " + name + " in a help file in this session. To see the commands this session supports, type: Get-Command.",
		Category: ResourceUnavailable, Exception: excHelpNotFound, ErrorID: "HelpNotFound", Target: name,
	}
}

var helpInfoType = &TypeInfo{
	Name: "HelpInfoShort",
	Table: []Column{
		{Property: "Name", Width: 33}, {Property: "Category", Width: 9}, {Property: "Module", Width: 34}, {Property: "Synopsis"},
	},
}

const generalHelp = `
TOPIC
    PowerShell Help System

SHORT DESCRIPTION
    Displays help about the cmdlets this session supports.

LONG DESCRIPTION
    Get-Command lists the cmdlets you can run here.
    Get-Help <cmdlet> shows a cmdlet's synopsis and syntax; add -Detailed,
    -Full or -Examples for more, or type <cmdlet> -? for the same help.

`

// getCommand is Get-Command.
type getCommand struct{ reg *Registry }

// Meta declares the cmdlet.
func (getCommand) Meta() Meta {
	return Meta{
		Name:     "Get-Command",
		Aliases:  []string{"gcm"},
		Synopsis: "Gets all commands.",
		Module:   "Microsoft.PowerShell.Core",
		Params: []Param{
			{Name: "Name", Type: StringList, Position: At(0), Help: "Names of commands to get; wildcards are permitted."},
			{Name: "Verb", Type: StringList, Help: "Gets commands whose verb matches; wildcards are permitted."},
			{Name: "Noun", Type: StringList, Help: "Gets commands whose noun matches; wildcards are permitted."},
			{Name: "Module", Type: StringList, Help: "Gets commands from the named modules."},
		},
	}
}

var commandInfoType = &TypeInfo{
	Name: "System.Management.Automation.CmdletInfo",
	Table: []Column{
		{Property: "CommandType", Width: 15}, {Property: "Name", Width: 50}, {Property: "Version", Width: 10}, {Property: "Source"},
	},
	IdentityProperty: "Name",
}

// Run runs the cmdlet for one invocation.
func (g getCommand) Run(c *Call) error {
	matchAny := func(patterns []string, s string) bool {
		if len(patterns) == 0 {
			return true
		}
		for _, p := range patterns {
			if wildcardMatch(p, s, false) {
				return true
			}
		}
		return false
	}
	names := c.Strings("Name")
	for _, n := range names {
		if !hasWildcard(n) && g.reg.lookup(n) == nil {
			rec := commandNotFound(n)
			rec.Command, rec.noActivity, rec.Terminating = "", false, false
			c.WriteError(rec)
		}
	}
	for _, e := range g.reg.sorted() {
		verb, noun, _ := strings.Cut(e.meta.Name, "-")
		if !matchAny(c.Strings("Verb"), verb) || !matchAny(c.Strings("Noun"), noun) || !matchAny(c.Strings("Module"), e.meta.Module) {
			continue
		}
		if matchAny(names, e.meta.Name) {
			c.Write(NewObject(commandInfoType).Set("CommandType", "Cmdlet").Set("Name", e.meta.Name).
				Set("Version", "").Set("Source", e.meta.Module))
		}
		if len(names) == 0 {
			continue
		}
		for _, a := range e.meta.Aliases {
			if matchAny(names, a) {
				c.Write(NewObject(commandInfoType).Set("CommandType", "Alias").Set("Name", a+" -> "+e.meta.Name).
					Set("Version", "").Set("Source", e.meta.Module))
			}
		}
	}
	return nil
}
