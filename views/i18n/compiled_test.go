package i18n

import (
	"context"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Every message of both catalogs, filled in by the compiled parts, reads exactly as
// go-i18n's template makes it: with every field given (as text and as a number),
// and for plurals with the counts 0, 1, 2 and 1000.
func TestCompiledMessagesAgreeWithGoI18n(t *testing.T) {
	fields := map[string]bool{}
	for _, msgs := range compiled {
		for _, m := range msgs {
			for _, parts := range m {
				for _, p := range parts {
					if p.field != "" {
						fields[p.field] = true
					}
				}
			}
		}
	}
	checked := 0
	for _, code := range Codes {
		ctx := WithLang(context.Background(), code)
		if len(compiled[code]) < 100 {
			t.Fatalf("%s: only %d messages compiled", code, len(compiled[code]))
		}
		for id, m := range compiled[code] {
			for _, value := range []any{"Alex <Wilber> & {{.Count}}", 42} {
				var args []any
				data := map[string]any{}
				for f := range fields {
					args = append(args, f, value)
					data[f] = value
				}
				counts := []any{nil}
				if len(m) > 1 || m["one"] != nil {
					counts = []any{0, 1, 2, 1000}
				}
				for _, count := range counts {
					cargs := args
					cdata := data
					if count != nil {
						cargs = append(append([]any(nil), args...), "Count", count)
						cdata = map[string]any{}
						for k, v := range data {
							cdata[k] = v
						}
						cdata["Count"] = count
					}
					got, ok := fill(code, id, count, cargs)
					if !ok {
						continue
					}
					want, err := localizers()[code].Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: cdata, PluralCount: count})
					if err != nil {
						t.Fatalf("%s %s: go-i18n: %v", code, id, err)
					}
					if got != want {
						t.Errorf("%s %s (count %v): compiled %q, go-i18n %q", code, id, count, got, want)
					}
					checked++
				}
			}
		}
		// Through the public functions too.
		if got := N(ctx, "home.licensed", 1); got == "home.licensed" {
			t.Errorf("%s: N of a plural message gave its id", code)
		}
	}
	if checked < 500 {
		t.Fatalf("only %d fillings compared", checked)
	}
}
