package components

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/contoso/admincenter/models"
)

// Field is a labelled form field: what it holds, its help text, and after a refused
// change its error, which marks it invalid and is read with it.
type Field struct {
	ID    string
	Name  string
	Label string
	Value string
	// Help is a hint under the field.
	Help  string
	Error models.FieldError
	// Type is the input's type, "text" when empty.
	Type string
	// MaxLength bounds the value; 256 when 0.
	MaxLength    int
	Autocomplete string
	InputMode    string
	Disabled     bool
	// Narrow keeps the box of a short value short.
	Narrow bool
	// DescribedBy names another element that describes the field, such as a warning.
	DescribedBy string
	// Attrs are extra attributes of the input, such as htmx ones for a live check.
	Attrs templ.Attributes
}

func (f Field) invalid() bool { return f.Error.Key != "" }

func (f Field) errorID() string { return f.ID + "-error" }

func (f Field) helpID() string { return f.ID + "-help" }

// describedBy lists what describes the field: its error, the extra element, its help.
func (f Field) describedBy() string {
	var ids []string
	if f.invalid() {
		ids = append(ids, f.errorID())
	}
	if f.DescribedBy != "" {
		ids = append(ids, f.DescribedBy)
	}
	if f.Help != "" {
		ids = append(ids, f.helpID())
	}
	return strings.Join(ids, " ")
}

func (f Field) inputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

func (f Field) maxLength() string {
	if f.MaxLength == 0 {
		return "256"
	}
	return strconv.Itoa(f.MaxLength)
}

func fieldClass(narrow bool) string {
	if narrow {
		return "mt-1 block w-full max-w-sm rounded border border-slate-400 px-3 py-1.5 text-sm focus:border-sky-700 focus:outline-none focus:ring-2 focus:ring-sky-700/30 disabled:bg-slate-100"
	}
	return "mt-1 block w-full rounded border border-slate-400 px-3 py-1.5 text-sm focus:border-sky-700 focus:outline-none focus:ring-2 focus:ring-sky-700/30 disabled:bg-slate-100"
}

// Choice is a labelled checkbox or radio button.
type Choice struct {
	ID    string
	Name  string
	Label string
	// Value is what a ticked box sends; "on" when empty.
	Value    string
	Checked  bool
	Disabled bool
	// Help is a hint under the label, read with the box.
	Help string
	// DescribedBy names another element that describes the box.
	DescribedBy string
}

func (c Choice) value() string {
	if c.Value == "" {
		return "on"
	}
	return c.Value
}

func (c Choice) describedBy() string {
	var ids []string
	if c.DescribedBy != "" {
		ids = append(ids, c.DescribedBy)
	}
	if c.Help != "" {
		ids = append(ids, c.ID+"-help")
	}
	return strings.Join(ids, " ")
}
