package graph_test

import (
	"net/url"
	"strings"
	"testing"
)

// walk follows nextLinks from path and returns the ids in order and the first
// page's @odata.count (-1 without one).
func (s *server) walk(path string, headers ...string) (ids []string, count int) {
	s.t.Helper()
	count = -1
	next := path
	for pages := 0; next != ""; pages++ {
		if pages > 50 {
			s.t.Fatal("too many pages")
		}
		page := s.ok(s.do("GET", next, "", headers...), 200)
		if c, ok := page["@odata.count"].(float64); ok {
			if pages > 0 {
				s.t.Errorf("@odata.count on page %d", pages+1)
			}
			count = int(c)
		}
		for _, v := range values(page) {
			ids = append(ids, v["id"].(string))
		}
		next, _ = page["@odata.nextLink"].(string)
		if next != "" && !strings.Contains(next, "$skiptoken=") {
			s.t.Fatalf("nextLink without $skiptoken: %s", next)
		}
	}
	return ids, count
}

func TestGroupMembersPagedByKeyset(t *testing.T) {
	s := newServer(t, nil)
	var people []string
	for _, u := range values(s.ok(s.do("GET", "/users?$top=9&$select=id", ""), 200)) {
		people = append(people, u["id"].(string))
	}
	if len(people) < 9 {
		t.Fatalf("demo tenant has %d people", len(people))
	}
	bind := make([]string, 7)
	for i, id := range people[:7] {
		bind[i] = `"https://graph.microsoft.com/v1.0/directoryObjects/` + id + `"`
	}
	gid := s.ok(s.do("POST", "/groups", `{"displayName":"Paged Members","mailEnabled":false,"mailNickname":"pagedmembers","securityEnabled":true,
		"owners@odata.bind":[`+bind[0]+`,`+bind[1]+`,`+bind[2]+`],"members@odata.bind":[`+strings.Join(bind, ",")+`]}`), 201)["id"].(string)

	// A walk with $top=3 sees each member once, in three pages, with the count first.
	ids, count := s.walk("/groups/"+gid+"/members?$top=3&$count=true", "ConsistencyLevel", "eventual")
	if count != 7 || len(ids) != 7 || !sameSet(ids, people[:7]) {
		t.Errorf("members walk: count %d, ids %v", count, ids)
	}
	owners, count := s.walk("/groups/"+gid+"/owners?$top=2&$count=true", "ConsistencyLevel", "eventual")
	if count != 3 || !sameSet(owners, people[:3]) {
		t.Errorf("owners walk: count %d, ids %v", count, owners)
	}
	s.graphError(s.do("GET", "/groups/"+gid+"/members?$count=true", ""), 400)

	// Members added and removed during a walk: those that stay are seen once.
	first := s.ok(s.do("GET", "/groups/"+gid+"/members?$top=3", ""), 200)
	seen := map[string]int{}
	for _, v := range values(first) {
		seen[v["id"].(string)]++
	}
	s.ok(s.do("POST", "/groups/"+gid+"/members/$ref", `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/`+people[7]+`"}`), 204)
	s.ok(s.do("POST", "/groups/"+gid+"/members/$ref", `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/`+people[8]+`"}`), 204)
	rest, _ := s.walk(first["@odata.nextLink"].(string))
	for _, id := range rest {
		seen[id]++
	}
	for _, id := range people[:7] {
		if seen[id] != 1 {
			t.Errorf("member %s seen %d times", id, seen[id])
		}
	}
	// A bad or foreign skiptoken is refused.
	u, _ := url.Parse(first["@odata.nextLink"].(string))
	token := u.Query().Get("$skiptoken")
	s.graphError(s.do("GET", "/groups/"+gid+"/owners?$top=3&$skiptoken="+token, ""), 400)
}

func TestMemberOfPaged(t *testing.T) {
	s := newServer(t, nil)
	adele := s.ok(s.do("GET", "/users/AdeleV@contoso.com?$select=id", ""), 200)["id"].(string)
	before, _ := s.walk("/users/" + adele + "/memberOf")
	var made []string
	for _, n := range []string{"Member Of A", "Member Of B", "Member Of C"} {
		nick := strings.ReplaceAll(strings.ToLower(n), " ", "")
		made = append(made, s.ok(s.do("POST", "/groups", `{"displayName":"`+n+`","mailEnabled":false,"mailNickname":"`+nick+`","securityEnabled":true,
			"members@odata.bind":["https://graph.microsoft.com/v1.0/directoryObjects/`+adele+`"]}`), 201)["id"].(string))
	}
	ids, count := s.walk("/users/"+adele+"/memberOf?$top=2&$count=true", "ConsistencyLevel", "eventual")
	if count != len(before)+3 || len(ids) != count || !sameSet(ids, append(before, made...)) {
		t.Errorf("memberOf: count %d, %v, want %v and %v", count, ids, before, made)
	}
	page := s.ok(s.do("GET", "/users/"+adele+"/memberOf?$top=1", ""), 200)
	if v := values(page); len(v) != 1 || v[0]["@odata.type"] != "#microsoft.graph.group" || page["@odata.nextLink"] == nil {
		t.Errorf("first page: %v", page)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}
