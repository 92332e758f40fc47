package components

// Variant is the look of a button: what it does, at a glance.
type Variant int

// The button variants.
const (
	// Secondary is an ordinary action: Edit, Cancel, Search, Back.
	Secondary Variant = iota
	// Primary is the action a form or panel is for: Save, Add, Confirm.
	Primary
	// Danger is an action that deletes.
	Danger
)

// Tailwind needs whole class strings in the source, so each variant's classes are
// written out here rather than put together.

func buttonClass(v Variant) string {
	switch v {
	case Primary:
		return "inline-flex items-center gap-1 rounded bg-sky-800 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-700 focus-visible:ring-offset-2"
	case Danger:
		return "inline-flex items-center gap-1 rounded bg-red-800 px-4 py-1.5 text-sm font-semibold text-white hover:bg-red-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-700 focus-visible:ring-offset-2"
	}
	return "inline-flex items-center gap-1 rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-700"
}

// footerClass is the bar of PanelFooter and PageFooter.
const footerClass = "mt-6 flex flex-wrap items-center gap-2 border-t border-slate-200 pt-4"

func rowButtonClass(v Variant) string {
	if v == Danger {
		return "rounded border border-slate-300 px-2 py-1 text-sm font-medium text-red-800 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-700"
	}
	return "rounded border border-slate-300 px-2 py-1 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-700"
}

// BoxKind is what an InfoBox says: a plain fact, something to weigh, a failure, a
// success.
type BoxKind int

// The box kinds.
const (
	BoxInfo BoxKind = iota
	BoxWarning
	BoxError
	BoxSuccess
)

func boxClass(k BoxKind) string {
	switch k {
	case BoxWarning:
		return "rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
	case BoxError:
		return "rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
	case BoxSuccess:
		return "rounded border border-green-300 bg-green-50 px-3 py-3 text-sm"
	}
	return "rounded border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-800"
}
