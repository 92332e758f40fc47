package adminapi

import (
	"net/url"
	"testing"

	"github.com/contoso/admincenter/models/powershell"
)

func TestPageSize(t *testing.T) {
	for prefer, want := range map[string]struct {
		n       int
		applied bool
	}{
		"":                                     {1000, false},
		"odata.maxpagesize=100":                {100, true},
		"return=minimal, odata.maxpagesize=25": {25, true},
		"odata.maxpagesize=\"7\"":              {7, true},
		"Odata.MaxPageSize = 3":                {3, true},
		"odata.maxpagesize=5000":               {1000, true},
		"odata.maxpagesize=0":                  {1000, false},
		"odata.maxpagesize=lots":               {1000, false},
		"odata.track-changes, respond-async":   {1000, false},
	} {
		if n, applied := pageSize(prefer); n != want.n || applied != want.applied {
			t.Errorf("%q: %d %v, want %+v", prefer, n, applied, want)
		}
	}
}

func TestNextLink(t *testing.T) {
	q := url.Values{"$select": {"Name,Alias"}, "$skiptoken": {"old"}, "x y": {"a&b"}}
	got := nextLink("https://host/adminapi/beta/contoso.com/", q, "TOKEN")
	want := "https://host/adminapi/beta/contoso.com/InvokeCommand?$select=Name%2CAlias&x+y=a%26b&$skiptoken=TOKEN"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	u, err := url.Parse(got)
	if err != nil || u.Query().Get("$select") != "Name,Alias" || u.Query().Get("$skiptoken") != "TOKEN" {
		t.Errorf("read back: %v %v", u.Query(), err)
	}
}

func TestCursorBelongsToItsRequest(t *testing.T) {
	in := powershell.CmdletInput{CmdletName: "Get-Mailbox", Parameters: powershell.Parameters{{Name: "ResultSize", Value: "Unlimited"}}}
	first, err := readPage("", in, []string{"Name"})
	if err != nil || first.Offset != 0 {
		t.Fatal(first, err)
	}
	next := &cursor{Req: first.Req, Offset: 2, Key: "b"}
	if c, err := readPage(next.encode(), in, []string{"Name"}); err != nil || c.Offset != 2 || c.Key != "b" {
		t.Errorf("own cursor: %+v %v", c, err)
	}
	other := powershell.CmdletInput{CmdletName: "Get-Mailbox", Parameters: powershell.Parameters{{Name: "ResultSize", Value: 7}}}
	for name, tok := range map[string]string{"another body": next.encode(), "garbage": "!!", "negative": (&cursor{Req: first.Req, Offset: -1}).encode()} {
		body := in
		if name == "another body" {
			body = other
		}
		if _, err := readPage(tok, body, []string{"Name"}); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if _, err := readPage(next.encode(), in, nil); err == nil {
		t.Error("a cursor of another $select accepted")
	}
}

func TestEndpointPagesOtherOutputOnce(t *testing.T) {
	obj := func(name string) powershell.Value { return powershell.NewObject(nil).Set("Identity", name) }
	out := []powershell.Value{obj("a"), obj("b"), obj("c"), obj("d"), obj("e")}
	c := &cursor{Req: "r"}
	page, next := c.slice(out, &powershell.Paging{}, 2)
	if len(page) != 2 || next == nil || next.Offset != 2 || next.Key != "b" {
		t.Fatalf("first page %v next %+v", page, next)
	}
	// "a" went away meanwhile: the next page still starts after "b".
	page, next = next.slice(out[1:], &powershell.Paging{}, 2)
	if len(page) != 2 || identity(page[0]) != "c" || next == nil || next.Key != "d" {
		t.Fatalf("second page %v next %+v", page, next)
	}
	page, next = next.slice(out, &powershell.Paging{}, 2)
	if len(page) != 1 || identity(page[0]) != "e" || next != nil {
		t.Fatalf("last page %v next %+v", page, next)
	}
	// A cmdlet that paged itself decides.
	p := &powershell.Paging{Size: 2}
	p.Page("after-b")
	if page, next := c.slice(out[:2], p, 2); len(page) != 2 || next == nil || next.After != "after-b" {
		t.Errorf("cmdlet paging: %v %+v", page, next)
	}
}
