package components

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// Text writes the bytes `{ s }` writes: templ's JoinStringErrs, then EscapeString.
func TestTextWritesWhatAnExpressionWrites(t *testing.T) {
	for _, s := range []string{"", "Adele Vance", "a<b>&\"c\"'d'", "Jörg Müller <jorg@contoso.com>", "<script>alert(1)</script>", "=1+1", "\u00a0tab\tnew\nline"} {
		want, err := templ.JoinStringErrs(s)
		if err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		if err := Text(s).Render(context.Background(), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != templ.EscapeString(want) {
			t.Errorf("Text(%q) wrote %q, an expression writes %q", s, got.String(), templ.EscapeString(want))
		}
	}
}
