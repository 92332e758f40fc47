package i18n

import (
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Messages with arguments are asked for on every row of a list ("Edit Alex
// Wilber", "Select Alex Wilber"), and go-i18n runs a template for each call. Every
// message of the catalogs is made of text and "{{.Field}}" references, so they are
// split once into those parts and filled in here; a message that is not (other
// template syntax, a field the caller did not give, a plural form the catalog
// lacks) is left to go-i18n. compiled_test.go checks both ways agree on every
// message of both languages.

type part struct {
	text  string
	field string // when set, the value of this field
}

// compiledMessage is one message's plural forms ("other" for a message without plurals);
// nil parts mean the form needs go-i18n.
type compiledMessage map[string][]part

var (
	compiled  = mustCompile()
	reference = regexp.MustCompile(`^\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)
	// pluralForms are the keys of a plural message in a catalog.
	pluralForms = map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}
)

func mustCompile() map[string]map[string]compiledMessage {
	out := map[string]map[string]compiledMessage{}
	for _, code := range Codes {
		out[code] = map[string]compiledMessage{}
	}
	entries, err := fs.ReadDir(localeFiles, "locales")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".toml")
		code := name[strings.LastIndexByte(name, '.')+1:]
		msgs, ok := out[code]
		if !ok {
			continue
		}
		b, err := localeFiles.ReadFile("locales/" + e.Name())
		if err != nil {
			panic(err)
		}
		var tree map[string]any
		if err := toml.Unmarshal(b, &tree); err != nil {
			panic(fmt.Sprintf("message catalog %s: %v", e.Name(), err))
		}
		flatten("", tree, msgs)
	}
	return out
}

func flatten(prefix string, tree map[string]any, out map[string]compiledMessage) {
	for k, v := range tree {
		id := k
		if prefix != "" {
			id = prefix + "." + k
		}
		switch v := v.(type) {
		case string:
			out[id] = compiledMessage{"other": compile(v)}
		case map[string]any:
			if isPlural(v) {
				m := compiledMessage{}
				for form, text := range v {
					if s, ok := text.(string); ok && pluralForms[form] {
						m[form] = compile(s)
					}
				}
				out[id] = m
				continue
			}
			flatten(id, v, out)
		}
	}
}

func isPlural(m map[string]any) bool {
	for k, v := range m {
		if _, ok := v.(string); ok && pluralForms[k] {
			return true
		}
	}
	return false
}

// compile splits a message into text and field references; nil when it uses any
// other template syntax.
func compile(s string) []part {
	parts := []part{}
	for s != "" {
		i := strings.Index(s, "{{")
		if i < 0 {
			parts = append(parts, part{text: s})
			break
		}
		if i > 0 {
			parts = append(parts, part{text: s[:i]})
		}
		m := reference.FindStringSubmatch(s[i:])
		if m == nil {
			return nil
		}
		parts = append(parts, part{field: m[1]})
		s = s[i+len(m[0]):]
	}
	return parts
}

// fill fills in a compiled message; false leaves it to go-i18n.
func fill(lang, id string, count any, args []any) (string, bool) {
	m, ok := compiled[lang][id]
	if !ok {
		return "", false
	}
	form := "other"
	if count != nil {
		n, ok := count.(int)
		if !ok {
			return "", false
		}
		// English and Dutch have two forms: one for exactly 1, other for the rest.
		if n == 1 {
			form = "one"
		}
	} else if len(m) != 1 {
		return "", false
	}
	parts, ok := m[form]
	if !ok || parts == nil {
		return "", false
	}
	// One allocation for the common message: its text and string values fit.
	n := 0
	for _, p := range parts {
		if p.field == "" {
			n += len(p.text)
		} else if v, ok := arg(args, p.field); ok {
			if s, ok := v.(string); ok {
				n += len(s)
			} else {
				n += 8
			}
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range parts {
		if p.field == "" {
			b.WriteString(p.text)
			continue
		}
		v, ok := arg(args, p.field)
		if !ok {
			return "", false
		}
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			fmt.Fprint(&b, v)
		}
	}
	return b.String(), true
}

// arg returns the value of a field from name/value pairs, the last one winning as
// in the map go-i18n is given.
func arg(args []any, field string) (any, bool) {
	var v any
	found := false
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok && k == field {
			v, found = args[i+1], true
		}
	}
	return v, found
}
