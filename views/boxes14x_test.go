package views

import (
	"os"
	"regexp"
	"testing"
)

// The panels issue 14 named say warnings and errors with components.Note, Warning
// or InfoBox (an icon and data-info-box, which the footer walk checks), never with
// a hand-coloured box.
func TestNoHandColouredBoxes(t *testing.T) {
	handMade := regexp.MustCompile(`rounded border border-(red|amber|sky|green)-[23]00 bg-(red|amber|sky|green)-50`)
	for _, f := range []string{"forwarding.templ", "shared_panels.templ", "reports.templ", "mailbox_permissions.templ", "users_bulk.templ", "group_access.templ"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := handMade.FindAllIndex(b, -1); len(m) > 0 {
			t.Errorf("%s: %d hand-coloured boxes, first at byte %d", f, len(m), m[0][0])
		}
	}
}
