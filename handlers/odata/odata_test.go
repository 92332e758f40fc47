package odata

import (
	"net/url"
	"slices"
	"testing"
)

func TestSelect(t *testing.T) {
	if got := Select(" id, displayName,,mail "); !slices.Equal(got, []string{"id", "displayName", "mail"}) {
		t.Errorf("Select: %q", got)
	}
	if got := Select(""); got != nil {
		t.Errorf("Select of nothing: %q", got)
	}
}

func TestNextLinkKeepsTheQueryAndReplacesTheToken(t *testing.T) {
	q := url.Values{"$top": {"999"}, "$filter": {"startswith(displayName,'a b')"}, "$skiptoken": {"old"}, "x y": {"1"}}
	got := NextLink("https://h/v1.0/users", q, "NEW")
	want := "https://h/v1.0/users?$filter=startswith%28displayName%2C%27a+b%27%29&$top=999&x+y=1&$skiptoken=NEW"
	if got != want {
		t.Errorf("NextLink:\n got %s\nwant %s", got, want)
	}
}

func TestTokenRoundTrip(t *testing.T) {
	type cursor struct {
		K string `json:"k"`
		I uint   `json:"i"`
	}
	tok := EncodeToken(cursor{K: "adele vance", I: 7})
	var back cursor
	if !DecodeToken(tok, 100, &back) || back != (cursor{"adele vance", 7}) {
		t.Errorf("round trip: %v", back)
	}
	if DecodeToken(tok, 5, &back) {
		t.Error("a token over the size limit was read")
	}
	for _, bad := range []string{"!!", "bm90IGpzb24", ""} {
		if DecodeToken(bad, 100, &back) {
			t.Errorf("%q was read as a token", bad)
		}
	}
}
