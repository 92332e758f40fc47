package powershell

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Cmdlet is one command the engine runs. A cmdlet is a small type: Meta declares
// its name, help and parameters once; Run does the work for one invocation,
// reading its arguments from the Call. Services a cmdlet needs (the models store,
// a clock) are fields of the cmdlet value the registering package builds; the
// actor and the request's context arrive with each Call.
type Cmdlet interface {
	Meta() Meta
	Run(c *Call) error
}

// Meta declares a cmdlet.
type Meta struct {
	// Name is the Verb-Noun name.
	Name string
	// Aliases are other names the cmdlet answers to (where, ?, ft ...).
	Aliases []string
	// Synopsis and Description are shown by Get-Help.
	Synopsis    string
	Description string
	Examples    []Example
	// Module is the Source column of Get-Command.
	Module string
	// SupportsShouldProcess adds -WhatIf and -Confirm; Call.ShouldProcess honours them.
	SupportsShouldProcess bool
	// CollectInput runs the cmdlet once after all pipeline input has arrived, with
	// Call.Inputs holding it (Sort-Object, Measure-Object); otherwise a cmdlet whose
	// parameter takes pipeline input runs once per input object.
	CollectInput bool
	// DefaultSet is the parameter set used when the arguments fit several.
	DefaultSet string
	// Params are the cmdlet's own parameters; the common parameters are added.
	Params []Param
}

// Example is one Get-Help example.
type Example struct {
	Code    string
	Remarks string
}

// Registry holds the cmdlets an engine can run. NewRegistry starts it with the
// built-in utility cmdlets; other packages Register theirs. A Registry is not
// safe for Register while engines run; build it once at start-up.
type Registry struct {
	byName  map[string]*entry
	entries []*entry
	// MapError turns an error a cmdlet's Run returned into the record to show. The
	// registering package sets it to translate its models errors once (not found,
	// forbidden, rule violations) rather than in every cmdlet. Errors it leaves
	// unmapped (nil) are shown as an unexpected error, never with their own text.
	MapError func(ctx context.Context, err error) *ErrorRecord
}

// entry is a registered cmdlet with its parameters indexed.
type entry struct {
	cmd    Cmdlet
	meta   Meta
	params []*Param // declared, then common
	byName map[string]*Param
	sets   []string // declared set names, in order of first use
}

// NewRegistry returns a registry holding the utility cmdlets: Where-Object,
// Select-Object, Sort-Object, Measure-Object, Format-Table, Format-List, Get-Help
// and Get-Command.
func NewRegistry() *Registry {
	r := &Registry{byName: map[string]*entry{}}
	r.Register(whereObject{}, selectObject{}, sortObject{}, measureObject{},
		formatTable{}, formatList{}, getHelp{reg: r}, getCommand{reg: r})
	return r
}

// Register adds cmdlets. A declaration mistake (a duplicate name, alias or
// parameter, an enum without values, two parameters at one position of a set)
// panics: it is a programming error found at start-up.
func (r *Registry) Register(cmds ...Cmdlet) {
	for _, c := range cmds {
		e := newEntry(c)
		for _, n := range append([]string{e.meta.Name}, e.meta.Aliases...) {
			key := strings.ToLower(n)
			if _, dup := r.byName[key]; dup {
				panic(fmt.Sprintf("powershell: %q is registered twice", n))
			}
			r.byName[key] = e
		}
		r.entries = append(r.entries, e)
	}
}

// lookup finds a cmdlet by name or alias, case-insensitively.
func (r *Registry) lookup(name string) *entry { return r.byName[strings.ToLower(name)] }

// sorted returns the cmdlets by name.
func (r *Registry) sorted() []*entry {
	out := append([]*entry(nil), r.entries...)
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].meta.Name) < strings.ToLower(out[j].meta.Name) })
	return out
}

func newEntry(c Cmdlet) *entry {
	m := c.Meta()
	if m.Name == "" {
		panic(fmt.Sprintf("powershell: %T declares no name", c))
	}
	e := &entry{cmd: c, meta: m, byName: map[string]*Param{}}
	add := func(p *Param) {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			key := strings.ToLower(n)
			if _, dup := e.byName[key]; dup || key == "" {
				panic(fmt.Sprintf("powershell: %s declares parameter name %q twice", m.Name, n))
			}
			e.byName[key] = p
		}
		e.params = append(e.params, p)
	}
	type slot struct {
		set string
		pos int
	}
	taken := map[slot]string{}
	for i := range m.Params {
		p := &m.Params[i]
		if (p.Type == Enum || p.Type == EnumList) && len(p.Values) == 0 {
			panic(fmt.Sprintf("powershell: %s -%s is an enum without values", m.Name, p.Name))
		}
		if p.Position != nil {
			sets := p.Sets
			if len(sets) == 0 {
				sets = []string{""}
			}
			for _, s := range sets {
				k := slot{s, *p.Position}
				if other, dup := taken[k]; dup {
					panic(fmt.Sprintf("powershell: %s -%s and -%s share position %d", m.Name, other, p.Name, *p.Position))
				}
				taken[k] = p.Name
			}
		}
		for _, s := range p.Sets {
			if !contains(e.sets, s) {
				e.sets = append(e.sets, s)
			}
		}
		add(p)
	}
	for i := range commonParams {
		p := commonParams[i]
		add(&p)
	}
	if m.SupportsShouldProcess {
		for i := range shouldProcessParams {
			p := shouldProcessParams[i]
			add(&p)
		}
	}
	return e
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
