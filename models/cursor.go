package models

// Cursor returns the list position just after this row, as Page.After takes it: a
// caller that stops in the middle of a page (the REST endpoint's pages are not the
// list's) continues from here, and a person added or removed meanwhile moves no one
// into a page twice.
func (r UserRow) Cursor() string { return encodeCursor(r.sortName, r.ID) }
