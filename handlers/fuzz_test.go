package handlers

import (
	"net/url"
	"strings"
	"testing"
)

func FuzzFormIDs(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "99999999999", "1e3", " 7", "4294967296", "\xff"} {
		f.Add(s, "2")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ids := formIDs([]string{a, b, a})
		seen := map[uint]bool{}
		for _, id := range ids {
			if id == 0 || seen[id] {
				t.Fatalf("formIDs(%q, %q) = %v", a, b, ids)
			}
			seen[id] = true
		}
		if len(ids) > 2 {
			t.Fatalf("formIDs(%q, %q) = %v", a, b, ids)
		}
	})
}

func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/users", "//evil.example", "/\\evil", "https://evil.example", "/ok?next=//x", "\r\n/x", "", "/\t/evil.example", "/%09/evil.example", "/%5Cevil", "/%2F%2Fevil", "/" + strings.Repeat("\xe9", 700)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := LocalPath(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") ||
			strings.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
			t.Fatalf("LocalPath(%q) = %q leaves the site", next, got)
		}
		// What a browser makes of it stays on the site, and once cleaned it stays put.
		u, err := url.Parse("https://admin.contoso.test" + got)
		if err != nil || u.Host != "admin.contoso.test" {
			t.Fatalf("LocalPath(%q) = %q resolves elsewhere", next, got)
		}
		if again := LocalPath(got); again != got {
			t.Fatalf("LocalPath(%q) = %q, but LocalPath(%q) = %q", next, got, got, again)
		}
	})
}
