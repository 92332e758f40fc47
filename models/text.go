package models

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Every text a person types (names, job titles, departments, shared mailbox names,
// aliases, automatic replies) passes CheckText before it is stored, so what the
// lists, panes and the audit log show is what was meant: no NUL bytes or other
// control characters, no broken UTF-8, and none of the invisible characters that
// change the direction of the text around them (U+202E turns "Adele‮moc.exe" into
// what reads as "Adeleexe.com"), which let one name pose as another. Search boxes
// drop these characters instead (StripUnsafeText): a search refuses nothing.

// The message keys of CheckText, one per kind of problem.
const (
	textErrorEncoding  = "text.error.encoding"
	textErrorControl   = "text.error.control"
	textErrorDirection = "text.error.direction"
	textErrorLineBreak = "text.error.line_break"
)

// CheckText applies the rules on typed text. A multi-line text (an automatic
// reply) may hold line breaks and tabs; a single-line one (a name) may not.
func CheckText(s string, multiline bool) *FieldError {
	if !utf8.ValidString(s) {
		return &FieldError{Key: textErrorEncoding}
	}
	for _, r := range s {
		switch {
		case directionRune(r):
			return &FieldError{Key: textErrorDirection}
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if !multiline {
				return &FieldError{Key: textErrorLineBreak}
			}
		case r == '\t' && multiline:
		case unicode.IsControl(r):
			return &FieldError{Key: textErrorControl}
		}
	}
	return nil
}

// checkText records CheckText's verdict on one field.
func checkText(ve *ValidationError, field, s string, multiline bool) {
	if fe := CheckText(s, multiline); fe != nil {
		ve.Add(field, fe.Key, fe.Args)
	}
}

// directionRune reports the characters that set the direction of the text around
// them: the marks, embeddings, overrides and isolates of Unicode's bidirectional
// algorithm (Bidi_Control), as the sign-in form refuses them too.
func directionRune(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }

// StripUnsafeText drops from a search what CheckText refuses (broken UTF-8, control
// and direction characters), so searching never fails on them and never matches
// by them.
func StripUnsafeText(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || directionRune(r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s)
}
