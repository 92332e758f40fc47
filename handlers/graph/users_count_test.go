package graph_test

import (
	"fmt"
	"strconv"
	"testing"
)

// The count of everyone is kept briefly (as Active users keeps it); a person added
// or deleted through this server is counted at once all the same.
func TestUserCountFollowsCreateAndDelete(t *testing.T) {
	s := newServer(t, nil)
	count := func() int {
		t.Helper()
		r := s.do("GET", "/users/$count", "", "ConsistencyLevel", "eventual")
		n, err := strconv.Atoi(string(r.body))
		if r.status != 200 || err != nil {
			t.Fatalf("$count: %d %s", r.status, r.body)
		}
		inPage := s.ok(s.do("GET", "/users?$count=true&$top=1", "", "ConsistencyLevel", "eventual"), 200)["@odata.count"]
		if inPage != float64(n) {
			t.Fatalf("@odata.count %v, $count %d", inPage, n)
		}
		return n
	}
	before := count()
	created := s.ok(s.do("POST", "/users", `{"accountEnabled":true,"displayName":"Counted Person","mailNickname":"counted",
		"userPrincipalName":"counted@contoso.com","passwordProfile":{"password":"Graph-Pass-2026!"}}`), 201)
	if n := count(); n != before+1 {
		t.Errorf("after adding someone: %d, want %d", n, before+1)
	}
	s.ok(s.do("DELETE", "/users/"+created["id"].(string), ""), 204)
	if n := count(); n != before {
		t.Errorf("after deleting them: %d, want %d", n, before)
	}
}

// A person with several licences is one entry of the list, with every licence in
// the order of the SKU part numbers, as GET /users/{id} shows them.
func TestListedPersonHasEveryLicence(t *testing.T) {
	s := newServer(t, nil)
	created := s.ok(s.do("POST", "/users", `{"accountEnabled":true,"displayName":"Twice Licensed","mailNickname":"twice",
		"userPrincipalName":"twice@contoso.com","passwordProfile":{"password":"Graph-Pass-2026!"}}`), 201)
	id := created["id"].(string)
	var skus []string
	for _, k := range values(s.ok(s.do("GET", "/subscribedSkus", ""), 200)) {
		if k["consumedUnits"].(float64) < k["prepaidUnits"].(map[string]any)["enabled"].(float64) {
			skus = append(skus, k["skuId"].(string))
		}
	}
	if len(skus) < 2 {
		t.Fatalf("the demo tenant has fewer than two products with free seats: %v", skus)
	}
	add := `{"addLicenses":[{"skuId":"` + skus[0] + `"},{"skuId":"` + skus[1] + `"}],"removeLicenses":[]}`
	s.ok(s.do("POST", "/users/"+id+"/assignLicense", add), 200)
	one := s.ok(s.do("GET", "/users/"+id+"?$select=id,assignedLicenses", ""), 200)
	if lic := one["assignedLicenses"].([]any); len(lic) != 2 {
		t.Fatalf("GET /users/{id}: %v", one)
	}
	listed := values(s.ok(s.do("GET", "/users?$select=id,assignedLicenses&$filter="+urlEncode("startswith(displayName,'Twice')"), ""), 200))
	if len(listed) != 1 || listed[0]["id"] != id {
		t.Fatalf("listed: %v", listed)
	}
	if got, want := fmt.Sprint(listed[0]["assignedLicenses"]), fmt.Sprint(one["assignedLicenses"]); got != want {
		t.Errorf("listed licences %s, the person's %s", got, want)
	}
}
