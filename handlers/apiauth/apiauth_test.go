package apiauth

import (
	"net/http"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 30, 0, 0, time.UTC)
	l := NewLimiter(3, time.Minute)
	l.now = func() time.Time { return now }
	for want := 2; want >= 0; want-- {
		if r := l.Take("a"); !r.Allowed || r.Remaining != want || !r.Reset.Equal(now.Add(time.Minute)) {
			t.Fatalf("%+v", r)
		}
	}
	now = now.Add(20 * time.Second)
	r := l.Take("a")
	if r.Allowed || r.Remaining != 0 || r.RetryAfter != 40 {
		t.Fatalf("over the rate: %+v", r)
	}
	h := http.Header{}
	r.Header(h)
	if h.Get("Rate-Limit-Remaining") != "0" || h.Get("Rate-Limit-Limit") != "3" || h.Get("Rate-Limit-Reset") != "2026-05-01T08:31:00.000Z" || h.Get("Retry-After") != "40" {
		t.Errorf("headers %v", h)
	}
	if r := l.Take("b"); !r.Allowed {
		t.Error("another app shares the rate")
	}
	if r := l.TakeN("b", 3); r.Allowed {
		t.Error("three more of three allowed")
	}
	now = now.Add(40 * time.Second)
	if r := l.Take("a"); !r.Allowed || r.Remaining != 2 {
		t.Errorf("a new window: %+v", r)
	}
}

func TestBearer(t *testing.T) {
	for header, want := range map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "Basic abc": "", "Bearer": "", "": "", "Bearer ": ""} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", header)
		if got, ok := Bearer(r); got != want || ok != (want != "") {
			t.Errorf("%q: %q %v", header, got, ok)
		}
	}
}
