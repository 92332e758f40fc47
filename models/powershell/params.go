package powershell

import (
	"sort"
	"strings"
)

// ParamType is the kind of value a parameter takes; binding converts arguments to
// it with PowerShell's rules and messages.
type ParamType int

// The parameter types and the Go value a bound parameter holds.
const (
	String         ParamType = iota // string, or nil for $null
	StringList                      // []string, or nil for $null
	Bool                            // bool: $true, $false, 1, 0 (a string is refused, as in PowerShell)
	Switch                          // bool: true when present, or -Name:$false
	Int                             // int64
	IntOrUnlimited                  // Limit: a number or Unlimited
	Enum                            // string, one of Values (matched case-insensitively)
	EnumList                        // []string, each one of Values
	MultiValued                     // MultiValue: a list that replaces, or @{Add=...; Remove=...}
	DateTime                        // time.Time
	Script                          // *ScriptBlock
	Identity                        // IdentityArg: text, or a piped object's identity
	Any                             // the value as it is
)

// Param declares one parameter of a cmdlet.
type Param struct {
	Name    string
	Aliases []string
	Type    ParamType
	// TypeName is the .NET type named in messages and help ("Specify a parameter of
	// type '...'"); "" uses the type's usual name (System.String ...).
	TypeName string
	// Values are the allowed values of an Enum or EnumList, in their canonical case.
	Values []string
	// Mandatory parameters must be bound (in the parameter set in use).
	Mandatory bool
	// Position is the 0-based place of a positional argument (use At); nil means
	// the parameter is named only.
	Position *int
	// FromPipeline binds the piped object itself: an Identity parameter takes the
	// object's identity, an Any parameter the object.
	FromPipeline bool
	// FromPropertyName binds the piped object's property of the same name (or an
	// alias), as ValueFromPipelineByPropertyName does.
	FromPropertyName bool
	// Sets are the parameter sets the parameter belongs to; none means all.
	Sets []string
	// Default is the value a cmdlet gets when the parameter is not bound; Get-Help
	// shows it.
	Default Value
	// Help describes the parameter for Get-Help -Full.
	Help string
}

// At returns a parameter position for Param.Position.
func At(n int) *int { return &n }

// typeName returns the .NET type name of the parameter.
func (p *Param) typeName() string {
	if p.TypeName != "" {
		return p.TypeName
	}
	switch p.Type {
	case StringList, EnumList:
		return "System.String[]"
	case Bool:
		return "System.Boolean"
	case Switch:
		return "System.Management.Automation.SwitchParameter"
	case Int:
		return "System.Int32"
	case IntOrUnlimited:
		return "Microsoft.Exchange.Data.Unlimited`1[System.UInt32]"
	case MultiValued:
		return "Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]"
	case DateTime:
		return "System.DateTime"
	case Script:
		return "System.Management.Automation.ScriptBlock"
	case Any:
		return "System.Object"
	}
	return "System.String"
}

// inSet reports whether the parameter belongs to parameter set s ("" = any).
func (p *Param) inSet(s string) bool { return len(p.Sets) == 0 || s == "" || contains(p.Sets, s) }

// The preference values of -ErrorAction, -WarningAction and friends.
var actionPreferences = []string{"Break", "Continue", "Ignore", "Inquire", "SilentlyContinue", "Stop", "Suspend"}

const actionPreferenceType = "System.Management.Automation.ActionPreference"

// commonParams are the parameters every cmdlet takes. The *Variable ones and
// OutBuffer are accepted for scripts' sake; a session here has no variables, so
// the engine refuses the *Variable ones with a clear message.
var commonParams = []Param{
	{Name: "Verbose", Aliases: []string{"vb"}, Type: Switch},
	{Name: "Debug", Aliases: []string{"db"}, Type: Switch},
	{Name: "ErrorAction", Aliases: []string{"ea"}, Type: Enum, Values: actionPreferences, TypeName: actionPreferenceType},
	{Name: "WarningAction", Aliases: []string{"wa"}, Type: Enum, Values: actionPreferences, TypeName: actionPreferenceType},
	{Name: "InformationAction", Aliases: []string{"infa"}, Type: Enum, Values: actionPreferences, TypeName: actionPreferenceType},
	{Name: "ProgressAction", Aliases: []string{"proga"}, Type: Enum, Values: actionPreferences, TypeName: actionPreferenceType},
	{Name: "ErrorVariable", Aliases: []string{"ev"}, Type: String},
	{Name: "WarningVariable", Aliases: []string{"wv"}, Type: String},
	{Name: "InformationVariable", Aliases: []string{"iv"}, Type: String},
	{Name: "OutVariable", Aliases: []string{"ov"}, Type: String},
	{Name: "OutBuffer", Aliases: []string{"ob"}, Type: Int},
	{Name: "PipelineVariable", Aliases: []string{"pv"}, Type: String},
}

// variableParams are the common parameters that need variables.
var variableParams = []string{"ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "PipelineVariable"}

// shouldProcessParams are added to cmdlets that change things.
var shouldProcessParams = []Param{
	{Name: "WhatIf", Aliases: []string{"wi"}, Type: Switch},
	{Name: "Confirm", Aliases: []string{"cf"}, Type: Switch},
}

// isCommon reports whether p is a common or ShouldProcess parameter (help lists
// those as [<CommonParameters>], [-WhatIf] and [-Confirm]).
func isCommon(p *Param) bool {
	for _, c := range commonParams {
		if c.Name == p.Name {
			return true
		}
	}
	return p.Name == "WhatIf" || p.Name == "Confirm"
}

// resolveParam finds the parameter a name on the command line means: an exact
// name or alias, else the one parameter whose name or alias starts with it.
func (e *entry) resolveParam(name string) (*Param, *ErrorRecord) {
	key := strings.ToLower(name)
	if p, ok := e.byName[key]; ok {
		return p, nil
	}
	var matches []*Param
	for k, p := range e.byName {
		if strings.HasPrefix(k, key) && !containsParam(matches, p) {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return nil, bindingError("NamedParameterNotFound", "A parameter cannot be found that matches parameter name '"+name+"'.")
	}
	names := make([]string, len(matches))
	for i, p := range matches {
		names[i] = "-" + p.Name
	}
	sort.Strings(names)
	return nil, bindingError("AmbiguousParameter", "Parameter cannot be processed because the parameter name '"+name+
		"' is ambiguous. Possible matches include: "+strings.Join(names, " ")+".")
}

func containsParam(list []*Param, p *Param) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}
