package powershell

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// enumerationLimit is $FormatEnumerationLimit: how many elements of a collection a
// table cell or list value shows before "...".
const enumerationLimit = 4

// formatValue is how a value reads in a table cell or a list: a collection as
// {a, b, c, d...}, an object by its identity, a date in en-US form.
func formatValue(v Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case *Hashtable:
		keys := make([]Value, len(x.Entries))
		for i, e := range x.Entries {
			keys[i] = e.Key
		}
		return formatValue(keys)
	}
	if l, ok := asList(v); ok {
		parts := make([]string, 0, min(len(l), enumerationLimit))
		for i, e := range l {
			if i == enumerationLimit {
				return "{" + strings.Join(parts, ", ") + "...}"
			}
			parts = append(parts, toString(e))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return toString(v)
}

// oneLine replaces line breaks and other control characters with spaces, for a
// table cell.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// truncate fits s into w characters, ending in "..." when it is cut.
func truncate(s string, w int) string {
	if runeLen(s) <= w {
		return s
	}
	r := []rune(s)
	if w <= 3 {
		return string(r[:max(w, 0)])
	}
	return string(r[:w-3]) + "..."
}

func pad(s string, w int, right bool) string {
	gap := w - runeLen(s)
	if gap <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", gap) + s
	}
	return s + strings.Repeat(" ", gap)
}

// column is one column of a table being formatted.
type column struct {
	label string
	width int // fixed width; 0 sizes to content
	align Align
	get   func(Value) Value
}

// propertyColumn reads a property of an object (or the value itself for a scalar).
func propertyColumn(name, label string, width int, align Align) column {
	if label == "" {
		label = name
	}
	return column{label: label, width: width, align: align, get: func(v Value) Value { return member(v, name) }}
}

// tableLayout is a table's fitted columns: the ones that fit, their widths and
// alignment.
type tableLayout struct {
	cols  []column
	width []int
	right []bool
}

// layoutTable sizes the columns for the rows and fits them into the console
// width. Columns shrink, the widest first, down to their header's width (six
// characters at least); when that is not enough, columns are dropped from the
// right. With autosize, view widths are ignored and the columns that do not fit
// are dropped with Format-Table -AutoSize's warning.
func layoutTable(cols []column, rows [][]Value, console int, autosize bool) (tableLayout, string) {
	natural := make([]int, len(cols))
	floor := make([]int, len(cols))
	right := make([]bool, len(cols))
	for i, c := range cols {
		numeric, any := true, false
		w := runeLen(c.label)
		for _, row := range rows {
			switch row[i].(type) {
			case nil:
			case int64, float64:
				any = true
			default:
				numeric, any = false, true
			}
			w = max(w, runeLen(oneLine(formatValue(row[i]))))
		}
		if c.width > 0 && !autosize {
			w = c.width
		}
		natural[i] = max(w, 1)
		floor[i] = min(natural[i], max(runeLen(c.label), 6))
		right[i] = c.align == AlignRight || c.align == AlignAuto && numeric && any
	}
	fit := func(n int) ([]int, bool) {
		w := append([]int(nil), natural[:n]...)
		total := n - 1
		for _, x := range w {
			total += x
		}
		for total > console && !autosize {
			widest := -1
			for i := range w {
				if w[i] > floor[i] && (widest < 0 || w[i] > w[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break
			}
			w[widest]--
			total--
		}
		return w, total <= console
	}
	n := len(cols)
	w, ok := fit(n)
	for !ok && n > 1 {
		n--
		w, ok = fit(n)
	}
	if !ok {
		w[0] = max(console, 1)
	}
	warning := ""
	if autosize && n < len(cols) {
		warning = strconv.Itoa(len(cols)-n) + " columns do not fit into the display and were removed."
	}
	return tableLayout{cols: cols[:n], width: w, right: right[:n]}, warning
}

// header returns the header line and the line of dashes under it.
func (t tableLayout) header() []string {
	var h, d strings.Builder
	for i, c := range t.cols {
		if i > 0 {
			h.WriteByte(' ')
			d.WriteByte(' ')
		}
		label := truncate(oneLine(c.label), t.width[i])
		h.WriteString(pad(label, t.width[i], t.right[i]))
		d.WriteString(pad(strings.Repeat("-", runeLen(label)), t.width[i], t.right[i]))
	}
	return []string{strings.TrimRight(h.String(), " "), strings.TrimRight(d.String(), " ")}
}

// row returns one row.
func (t tableLayout) row(cells []Value) string {
	var b strings.Builder
	for i := range t.cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(pad(truncate(oneLine(formatValue(cells[i])), t.width[i]), t.width[i], t.right[i]))
	}
	return strings.TrimRight(b.String(), " ")
}

// cells reads the columns' values of an object.
func cells(cols []column, v Value) []Value {
	out := make([]Value, len(cols))
	for i, c := range cols {
		out[i] = c.get(v)
	}
	return out
}

// listProp is one line of a list view.
type listProp struct {
	label string
	get   func(Value) Value
}

// listBlock formats one object as "Name : value" lines; a long value wraps, its
// continuation lines aligned under the first.
func listBlock(props []listProp, v Value, console int) []string {
	labelW := 0
	for _, p := range props {
		labelW = max(labelW, runeLen(p.label))
	}
	avail := console - labelW - 3
	var lines []string
	for _, p := range props {
		prefix := pad(p.label, labelW, false) + " : "
		for i, chunk := range wrap(formatValue(p.get(v)), avail) {
			if i > 0 {
				prefix = strings.Repeat(" ", labelW+3)
			}
			lines = append(lines, strings.TrimRight(prefix+chunk, " "))
		}
	}
	return lines
}

// wrap splits s at line breaks and, at spaces where it can, into lines of at
// most w characters.
func wrap(s string, w int) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		r := []rune(oneLine(line))
		for w >= 10 && len(r) > w {
			cut := w
			for i := w; i > w/2; i-- {
				if r[i] == ' ' {
					cut = i
					break
				}
			}
			out = append(out, strings.TrimRight(string(r[:cut]), " "))
			r = []rune(strings.TrimLeft(string(r[cut:]), " "))
		}
		out = append(out, string(r))
	}
	return out
}

// defaultView returns how an object shows when nothing says otherwise: its type's
// table or list view, else a table of up to four properties or a list of all.
func defaultView(o *Object) (table []column, list []listProp) {
	switch {
	case len(o.Type.Table) > 0:
		for _, c := range o.Type.Table {
			table = append(table, propertyColumn(c.Property, c.Label, c.Width, c.Align))
		}
		return table, nil
	case len(o.Type.List) > 0:
		return nil, namedListProps(o.Type.List)
	case len(o.props) <= 4:
		for _, p := range o.props {
			table = append(table, propertyColumn(p.Name, "", 0, AlignAuto))
		}
		return table, nil
	}
	names := make([]string, len(o.props))
	for i, p := range o.props {
		names[i] = p.Name
	}
	return nil, namedListProps(names)
}

func namedListProps(names []string) []listProp {
	out := make([]listProp, len(names))
	for i, n := range names {
		n := n
		out[i] = listProp{label: n, get: func(v Value) Value { return member(v, n) }}
	}
	return out
}

// viewKey says which objects share a table: the same type, and for objects
// without a view the same property names.
func viewKey(o *Object) string {
	if len(o.Type.Table) > 0 || len(o.Type.List) > 0 {
		return fmt.Sprintf("%s\x00%p", o.Type.Name, o.Type)
	}
	var b strings.Builder
	b.WriteString(o.Type.Name)
	for _, p := range o.props {
		b.WriteString("\x00" + strings.ToLower(p.Name))
	}
	return b.String()
}

// renderer is PowerShell's Out-Default for one statement: it formats output
// objects as they come between messages, keeping a table open (header printed,
// widths fixed) while objects of the same kind follow.
type renderer struct {
	console int
	recs    []Record
	out     strings.Builder
	open    *openTable
}

type openTable struct {
	key    string
	layout tableLayout
}

// renderItems turns a statement's output values and messages into records.
func renderItems(items []item, console int) []Record {
	r := &renderer{console: console}
	for i := 0; i < len(items); {
		if !items[i].output {
			r.flushText()
			r.recs = append(r.recs, items[i].rec)
			i++
			continue
		}
		j := i
		for j < len(items) && items[j].output {
			j++
		}
		values := make([]Value, 0, j-i)
		for _, it := range items[i:j] {
			values = append(values, it.value)
		}
		r.values(values)
		i = j
	}
	r.closeTable()
	r.flushText()
	return r.recs
}

func (r *renderer) flushText() {
	if r.out.Len() > 0 {
		r.recs = append(r.recs, Record{Stream: StreamOutput, Text: r.out.String()})
		r.out.Reset()
	}
}

func (r *renderer) closeTable() {
	if r.open != nil {
		r.out.WriteString("\n")
		r.open = nil
	}
}

// values formats a run of output values.
func (r *renderer) values(vs []Value) {
	for i := 0; i < len(vs); {
		switch v := vs[i].(type) {
		case nil:
			i++
		case *FormatOutput:
			r.closeTable()
			r.out.WriteString(v.Text)
			i++
		case *Object:
			table, list := defaultView(v)
			key := viewKey(v)
			j := i + 1
			for j < len(vs) {
				o, ok := vs[j].(*Object)
				if !ok || viewKey(o) != key {
					break
				}
				j++
			}
			if list != nil {
				r.closeTable()
				r.out.WriteString("\n")
				for k, o := range vs[i:j] {
					if k > 0 {
						r.out.WriteString("\n")
					}
					r.out.WriteString(strings.Join(listBlock(list, o, r.console), "\n") + "\n")
				}
				r.out.WriteString("\n\n")
			} else {
				r.table(key, table, vs[i:j])
			}
			i = j
		case *Hashtable:
			r.table("\x00hashtable", hashColumns, hashRows(v))
			i++
		case []Value:
			r.values(v)
			i++
		default:
			r.closeTable()
			r.out.WriteString(toString(v) + "\n")
			i++
		}
	}
}

// table writes rows, opening a table (blank line, header, dashes) unless one of
// the same kind is open.
func (r *renderer) table(key string, cols []column, objs []Value) {
	if r.open != nil && r.open.key != key {
		r.closeTable()
	}
	rows := make([][]Value, len(objs))
	for i, o := range objs {
		rows[i] = cells(cols, o)
	}
	if r.open == nil {
		layout, _ := layoutTable(cols, rows, r.console, false)
		r.open = &openTable{key: key, layout: layout}
		r.out.WriteString("\n" + strings.Join(layout.header(), "\n") + "\n")
	}
	for _, row := range rows {
		r.out.WriteString(r.open.layout.row(row) + "\n")
	}
}

// hashColumns show a hashtable as PowerShell does: Name and Value.
var hashColumns = []column{
	{label: "Name", width: 30, get: func(v Value) Value { return v.(HashEntry).Key }},
	{label: "Value", get: func(v Value) Value { return v.(HashEntry).Value }},
}

func hashRows(h *Hashtable) []Value {
	out := make([]Value, len(h.Entries))
	for i, e := range h.Entries {
		out[i] = e
	}
	return out
}
