package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

// TestGroupAndContactKeys checks the message ids the groups and contacts screens
// build at run time, and every group, contact and permission key the models return.
func TestGroupAndContactKeys(t *testing.T) {
	t.Parallel()
	en := keys(t, "en")
	var ids []string
	for _, g := range models.GroupTypes {
		ids = append(ids, "groups.tab."+string(g), "gwiz.type_help."+string(g), "group_type."+string(g))
	}
	for st := models.StepGroupType; st <= models.StepGroupReview; st++ {
		ids = append(ids, "gwiz.step."+st.Name())
	}
	for _, tab := range []string{"general", "members", "settings"} {
		ids = append(ids, "group.tab."+tab)
	}
	for _, k := range []models.DeliveryKind{models.DeliverContact, models.DeliverContactBounced} {
		ids = append(ids, "delivery.step."+string(k))
	}
	for _, k := range []models.DeliveryKind{models.DeliverMailbox, models.DeliverContact, models.DeliverContactBounced} {
		ids = append(ids, "fwd.target.reach."+string(k))
	}
	ids = append(ids, "group.members_contacts_note", "group.members_people_note", "group.owners_note",
		"group.toast.members_added", "group.toast.owners_added", "group.toast.member_removed", "group.toast.owner_removed")
	// Keys the models return, found in their source.
	re := regexp.MustCompile(`"((?:group|contact|perm|addr|user)\.error\.[a-z_]+)"`)
	files, _ := filepath.Glob(filepath.Join("..", "..", "models", "*.go"))
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			ids = append(ids, m[1])
			if strings.HasPrefix(m[1], "group.") || strings.HasPrefix(m[1], "contact.") {
				found++
			}
		}
	}
	if found < 15 {
		t.Fatalf("found only %d group and contact keys in the models", found)
	}
	for _, id := range ids {
		if !slices.Contains(en, id) {
			t.Errorf("the catalog lacks %s", id)
		}
	}
}
