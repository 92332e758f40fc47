package views

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// templ writes an `else if` among attributes as an attribute named "else" (issue 14
// saw else="" in a form). No generated component may contain one.
func TestNoElseAttributeInGeneratedComponents(t *testing.T) {
	files, err := filepath.Glob("*_templ.go")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("components/*_templ.go")
	bad := regexp.MustCompile(`WriteString\(templ_7745c5c3_Buffer, \d+, " else`)
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bad.Match(b) {
			t.Errorf("%s writes an attribute named else: use one condition that computes the value", f)
		}
	}
}
