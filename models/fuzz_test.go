package models

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseForwardingAddress(f *testing.F) {
	for _, s := range []string{"alexw@contoso.com", "a@b.c", "a@x.com, b@x.com", "Name <a@b.com>", "\"q\"@x.com", "@", "a@b..c", "\xff@x.com", "a@[1.2.3.4]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, fe := ParseForwardingAddress(s)
		if fe != nil {
			if addr != "" {
				t.Fatalf("%q: an error and an address", s)
			}
			return
		}
		if strings.Count(addr, "@") != 1 || strings.ContainsAny(addr, ",; <>") || !utf8.ValidString(addr) {
			t.Fatalf("%q accepted as %q", s, addr)
		}
		// Accepting is stable: the result parses to itself.
		if again, fe := ParseForwardingAddress(addr); fe != nil || again != addr {
			t.Fatalf("%q -> %q -> %q %v", s, addr, again, fe)
		}
	})
}

func FuzzAliasFromName(f *testing.F) {
	for _, s := range []string{"Info", "Klantenservice België", "Straße & Co.", "..", "日本", "a..b", "\x00\xff", strings.Repeat("x", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		alias := AliasFromName(name)
		if alias == "" {
			return
		}
		if fe := CheckAlias(alias); fe != nil {
			t.Fatalf("%q gives %q, which the alias rules refuse (%s)", name, alias, fe.Key)
		}
		if AliasFromName(alias) != alias {
			t.Fatalf("not idempotent: %q -> %q -> %q", name, alias, AliasFromName(alias))
		}
	})
}

func FuzzUserSearch(f *testing.F) {
	for _, s := range []string{"wil", "%", "_", "\\", "' OR 1=1 --", "<script>", "\xff\xfe", strings.Repeat("é", 300), "flip@contoso.nl"} {
		f.Add(s)
	}
	s, err := Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"), WithPasswordCost(4))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	if err := s.SeedDemo(context.Background(), "Fuzz-Pass-1"); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		term := normalizeSearch(q)
		if !utf8.ValidString(term) || len(term) > MaxSearchLength {
			t.Fatalf("normalizeSearch(%q) = %q", q, term)
		}
		list, err := s.Users(context.Background(), UserQuery{Search: q, Page: Page{Size: 10, After: q}})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if len(list.Rows) > 10 {
			t.Fatalf("search %q returned %d rows", q, len(list.Rows))
		}
	})
}
