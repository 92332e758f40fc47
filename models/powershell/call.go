package powershell

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Call is one invocation of a cmdlet: its bound arguments, its pipeline input, and
// the ways to write output, warnings and errors. The getters take a parameter's
// declared name (case-insensitive); asking for an undeclared one panics, since it
// is a typo in the cmdlet.
type Call struct {
	stage  *stage
	args   map[*Param]Value
	set    string
	input  Value
	inputs []Value
}

// Context returns the context of the run.
func (c *Call) Context() context.Context { return c.stage.pr.rs.ctx }

// Actor returns the actor the run was started for, as the caller passed it.
func (c *Call) Actor() any { return c.stage.pr.rs.actor }

// Name returns the cmdlet's name.
func (c *Call) Name() string { return c.stage.b.ent.meta.Name }

// CommandText returns the text of the statement being run, for the audit log.
func (c *Call) CommandText() string { return c.stage.pr.rs.stmt.text }

// ParameterSet returns the parameter set the arguments were bound in ("" when the
// cmdlet declares none).
func (c *Call) ParameterSet() string { return c.set }

// Downstream reports whether another command follows this one in the pipeline.
// Exchange's Set-* cmdlets write nothing at the end of a line, yet the shared-mailbox
// example pipes New-Mailbox | Set-Mailbox | Add-MailboxPermission: such a cmdlet
// passes its object on only when something downstream takes it.
func (c *Call) Downstream() bool { return c.stage.next != nil }

// Input returns the piped object this invocation is for, or nil.
func (c *Call) Input() Value { return c.input }

// Inputs returns all piped objects, for a cmdlet that collects its input.
func (c *Call) Inputs() []Value { return c.inputs }

func (c *Call) param(name string) *Param {
	p, ok := c.stage.b.ent.byName[strings.ToLower(name)]
	if !ok {
		panic(fmt.Sprintf("powershell: %s has no parameter %q", c.Name(), name))
	}
	return p
}

// Has reports whether a parameter was bound, by name or from the pipeline.
func (c *Call) Has(name string) bool {
	_, ok := c.args[c.param(name)]
	return ok
}

// Value returns a parameter's bound value, or its declared default.
func (c *Call) Value(name string) Value {
	p := c.param(name)
	if v, ok := c.args[p]; ok {
		return v
	}
	return p.Default
}

// String returns a String or Enum parameter ("" when unbound or $null).
func (c *Call) String(name string) string {
	s, _ := c.Value(name).(string)
	return s
}

// Strings returns a StringList or EnumList parameter.
func (c *Call) Strings(name string) []string {
	switch v := c.Value(name).(type) {
	case []string:
		return v
	case string:
		return []string{v}
	}
	return nil
}

// Bool returns a Bool or Switch parameter.
func (c *Call) Bool(name string) bool {
	b, _ := c.Value(name).(bool)
	return b
}

// Int returns an Int parameter.
func (c *Call) Int(name string) int64 {
	switch v := c.Value(name).(type) {
	case int64:
		return v
	case int:
		return int64(v)
	}
	return 0
}

// Limit returns an IntOrUnlimited parameter.
func (c *Call) Limit(name string) Limit {
	l, _ := c.Value(name).(Limit)
	return l
}

// Time returns a DateTime parameter.
func (c *Call) Time(name string) time.Time {
	t, _ := c.Value(name).(time.Time)
	return t
}

// Multi returns a MultiValued parameter.
func (c *Call) Multi(name string) MultiValue {
	m, _ := c.Value(name).(MultiValue)
	return m
}

// Identity returns an Identity parameter.
func (c *Call) Identity(name string) IdentityArg {
	id, _ := c.Value(name).(IdentityArg)
	return id
}

// ScriptBlock returns a Script parameter.
func (c *Call) ScriptBlock(name string) *ScriptBlock {
	b, _ := c.Value(name).(*ScriptBlock)
	return b
}

// Write sends an object down the pipeline (a collection goes as one object).
func (c *Call) Write(v Value) { c.stage.emit(normalize(v)) }

// WriteWarning writes a warning, unless -WarningAction silences it.
func (c *Call) WriteWarning(msg string) {
	switch c.String("WarningAction") {
	case "SilentlyContinue", "Ignore":
		return
	}
	c.stage.pr.rs.message(StreamWarning, msg)
}

// WriteVerbose writes a verbose message, shown when -Verbose is given.
func (c *Call) WriteVerbose(msg string) {
	if c.Bool("Verbose") {
		c.stage.pr.rs.message(StreamVerbose, msg)
	}
}

// WriteError writes an error about one object and lets the cmdlet go on
// (-ErrorAction Stop makes it stop the pipeline after this invocation).
func (c *Call) WriteError(rec *ErrorRecord) { c.stage.fail(rec, c.errorAction()) }

// WhatIf reports whether -WhatIf was given.
func (c *Call) WhatIf() bool {
	if !c.stage.b.ent.meta.SupportsShouldProcess {
		return false
	}
	return c.Bool("WhatIf")
}

// ShouldProcess reports whether the change may be made. With -WhatIf it writes
// what would have happened and reports false. -Confirm is accepted and, as in a
// non-interactive session, does not ask.
func (c *Call) ShouldProcess(target, action string) bool {
	if !c.WhatIf() {
		return true
	}
	c.stage.pr.rs.message(StreamHost, `What if: Performing the operation "`+action+`" on target "`+target+`".`)
	return false
}

// InvokeScript runs a script block with $_ set to input and returns what it
// wrote; errors inside it are reported as they happen.
func (c *Call) InvokeScript(b *ScriptBlock, input Value) []Value {
	return c.stage.pr.rs.invokeBlock(b, input)
}

func (c *Call) errorAction() string {
	if !c.Has("ErrorAction") {
		return ""
	}
	return c.String("ErrorAction")
}
