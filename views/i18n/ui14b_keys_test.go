package i18n

import (
	"slices"
	"testing"

	"github.com/contoso/admincenter/models"
)

// TestAuditActivityKeys checks that every activity the audit log can show has its
// name in words (the catalog test checks the other language has it too).
func TestAuditActivityKeys(t *testing.T) {
	t.Parallel()
	en := keys(t, "en")
	for _, a := range models.AuditActivityIDs() {
		if !slices.Contains(en, "audit.activity."+a) {
			t.Errorf("no words for the audit activity %q", a)
		}
	}
}
