package powershell

import "strings"

// formatTable is Format-Table.
type formatTable struct{}

// Meta declares the cmdlet.
func (formatTable) Meta() Meta {
	return Meta{
		Name: "Format-Table", Aliases: []string{"ft"}, Module: moduleUtility, CollectInput: true,
		Synopsis: "Formats the output as a table.",
		Params: []Param{
			{Name: "InputObject", Type: Any, FromPipeline: true, Help: "The objects to format."},
			{Name: "Property", Type: Any, TypeName: "System.Object[]", Position: At(0), Help: "The properties to show, in order; wildcards and calculated properties are permitted."},
			{Name: "AutoSize", Type: Switch, Help: "Sizes the columns to their content."},
			{Name: "HideTableHeaders", Type: Switch, Help: "Leaves out the column headings."},
		},
		Examples: []Example{{Code: "Get-MailboxPermission \"Sales Department\" | Format-Table User, AccessRights -AutoSize"}},
	}
}

// Run runs the cmdlet for one invocation.
func (formatTable) Run(c *Call) error {
	items := collected(c)
	if len(items) == 0 {
		return nil
	}
	specs, err := parseProps(c, c.Value("Property"))
	if err != nil {
		return err
	}
	var cols []column
	for _, s := range expand(specs, items[0]) {
		cols = append(cols, specColumn(s))
	}
	if o, ok := items[0].(*Object); ok && len(cols) == 0 {
		if cols, _ = defaultView(o); cols == nil {
			for _, p := range o.props {
				cols = append(cols, propertyColumn(p.Name, "", 0, AlignAuto))
			}
		}
	}
	if len(cols) == 0 {
		cols = []column{{label: "", get: func(v Value) Value { return v }}}
	}
	rows := make([][]Value, len(items))
	for i, item := range items {
		rows[i] = cells(cols, item)
	}
	layout, warning := layoutTable(cols, rows, c.console(), c.Bool("AutoSize"))
	if warning != "" {
		c.WriteWarning(warning)
	}
	var b strings.Builder
	b.WriteString("\n")
	if !c.Bool("HideTableHeaders") && (len(cols) > 1 || cols[0].label != "") {
		b.WriteString(strings.Join(layout.header(), "\n") + "\n")
	}
	for _, row := range rows {
		b.WriteString(layout.row(row) + "\n")
	}
	b.WriteString("\n")
	c.Write(&FormatOutput{Text: b.String()})
	return nil
}

// specColumn makes a table column of a -Property entry.
func specColumn(s propSpec) column {
	return column{label: s.name, width: s.width, align: s.align, get: s.get}
}

// formatList is Format-List.
type formatList struct{}

// Meta declares the cmdlet.
func (formatList) Meta() Meta {
	return Meta{
		Name: "Format-List", Aliases: []string{"fl"}, Module: moduleUtility, CollectInput: true,
		Synopsis: "Formats the output as a list of properties in which each property appears on a new line.",
		Params: []Param{
			{Name: "InputObject", Type: Any, FromPipeline: true, Help: "The objects to format."},
			{Name: "Property", Type: Any, TypeName: "System.Object[]", Position: At(0), Help: "The properties to show; * shows all of them."},
		},
		Examples: []Example{{Code: `Get-Mailbox "Sales Department" | Format-List GrantSendOnBehalfTo`}},
	}
}

// Run runs the cmdlet for one invocation.
func (formatList) Run(c *Call) error {
	items := collected(c)
	if len(items) == 0 {
		return nil
	}
	var specs []propSpec
	if c.Has("Property") {
		var err error
		if specs, err = parseProps(c, c.Value("Property")); err != nil {
			return err
		}
	}
	var b strings.Builder
	b.WriteString("\n")
	for i, item := range items {
		if i > 0 {
			b.WriteString("\n")
		}
		var props []listProp
		switch o, isObj := item.(*Object); {
		case specs != nil:
			for _, s := range expand(specs, item) {
				props = append(props, listProp{label: s.name, get: s.get})
			}
		case isObj && len(o.Type.List) > 0:
			props = namedListProps(o.Type.List)
		case isObj:
			props = listProps(expand(allProps, o))
		default:
			b.WriteString(toString(item) + "\n")
			continue
		}
		b.WriteString(strings.Join(listBlock(props, item, c.console()), "\n") + "\n")
	}
	b.WriteString("\n\n")
	c.Write(&FormatOutput{Text: b.String()})
	return nil
}

func listProps(specs []propSpec) []listProp {
	out := make([]listProp, len(specs))
	for i, s := range specs {
		out[i] = listProp{label: s.name, get: s.get}
	}
	return out
}

// console returns the console width of the run.
func (c *Call) console() int { return c.stage.pr.rs.eng.console() }
