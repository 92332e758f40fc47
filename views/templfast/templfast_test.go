package templfast_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/a-h/templ"

	"github.com/contoso/admincenter/views/templfast"
)

type named string

func (n named) String() string { return "named:" + string(n) }

type plain string

// The patched generated code must write exactly what templ's own function gives.
func TestJoinStringErrsMatchesTempl(t *testing.T) {
	check := func(name string, got, want string, gotErr, wantErr error) {
		t.Helper()
		if got != want || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("%s: got %q, %v; templ gives %q, %v", name, got, gotErr, want, wantErr)
		}
	}
	g, ge := templfast.JoinStringErrs("a < b & \"c\"")
	w, we := templ.JoinStringErrs("a < b & \"c\"")
	check("string", g, w, ge, we)
	g, ge = templfast.JoinStringErrs(-42)
	w, we = templ.JoinStringErrs(-42)
	check("int", g, w, ge, we)
	g, ge = templfast.JoinStringErrs(uint64(7))
	w, we = templ.JoinStringErrs(uint64(7))
	check("uint64", g, w, ge, we)
	g, ge = templfast.JoinStringErrs(2.5)
	w, we = templ.JoinStringErrs(2.5)
	check("float", g, w, ge, we)
	g, ge = templfast.JoinStringErrs(true)
	w, we = templ.JoinStringErrs(true)
	check("bool", g, w, ge, we)
	g, ge = templfast.JoinStringErrs(named("x"))
	w, we = templ.JoinStringErrs(named("x"))
	check("named type with a String method", g, w, ge, we)
	g, ge = templfast.JoinStringErrs(plain("y"))
	w, we = templ.JoinStringErrs(plain("y"))
	check("named string type", g, w, ge, we)
	boom := errors.New("boom")
	g, ge = templfast.JoinStringErrs("z", boom)
	w, we = templ.JoinStringErrs("z", boom)
	check("with an error", g, w, ge, we)
	if !errors.Is(ge, boom) {
		t.Errorf("the error is lost: %v", ge)
	}
	g, ge = templfast.JoinStringErrs("z", nil)
	w, we = templ.JoinStringErrs("z", nil)
	check("with a nil error", g, w, ge, we)
}

func BenchmarkJoinStringErrs(b *testing.B) {
	b.Run("templ", func(b *testing.B) {
		for b.Loop() {
			templ.JoinStringErrs("Adele Vance")
		}
	})
	b.Run("templfast", func(b *testing.B) {
		for b.Loop() {
			templfast.JoinStringErrs("Adele Vance")
		}
	})
}
