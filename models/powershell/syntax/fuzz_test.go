package syntax

import "testing"

// FuzzRoundTrip parses any input; what parses must print to source that parses to
// the same tree (and prints the same again), with sound positions; what does not
// parse must say where.
func FuzzRoundTrip(f *testing.F) {
	for _, c := range fileTests {
		f.Add(c.in)
	}
	for _, c := range parseErrors {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse(src)
		if err != nil {
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("Parse(%q) returned %T, want *ParseError", src, err)
			}
			if !pe.Pos.IsValid() || pe.Pos.Offset > len(src) || pe.End.Offset < pe.Pos.Offset || pe.End.Offset > len(src) || pe.ID == "" || pe.Message == "" {
				t.Fatalf("Parse(%q): bad error %+v", src, pe)
			}
			return
		}
		checkPositions(t, src, s)
		out := Print(s)
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its printed form %q does not parse: %v", src, out, err)
		}
		if a, b := dump(s), dump(again); a != b {
			t.Fatalf("round trip changed the tree\n src %q\n out %q\n  %s\n  %s", src, out, a, b)
		}
		if out2 := Print(again); out2 != out {
			t.Fatalf("printing is not stable: %q then %q", out, out2)
		}
	})
}
