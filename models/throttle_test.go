package models

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLockoutGrowsToAnHour(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for n, w := range want {
		if got := lockoutFor(n); got != w {
			t.Errorf("lockout %d = %s, want %s", n, got, w)
		}
	}
	if lockoutFor(1000) != MaxLockout {
		t.Error("no cap")
	}
}

func TestClientKey(t *testing.T) {
	for ip, want := range map[string]string{
		"192.0.2.7":              "client:192.0.2.7",
		"::ffff:192.0.2.7":       "client:192.0.2.7",
		"2001:db8:1:2:3:4:5:6":   "client:2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":   "client:2001:db8:1:2::/64",
		"not an address":         "client:not an address",
		strings.Repeat("x", 100): "client:" + strings.Repeat("x", 64),
	} {
		if got := ClientKey(ip); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", ip, got, want)
		}
	}
}

// TestSignInCountsBeforeItChecks: 30 attempts at once at one person get no more
// than the limit to the password check, however they interleave.
func TestSignInCountsBeforeItChecks(t *testing.T) {
	s := newDemoStore(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	checked, refused := 0, 0
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.SignIn(ctx, SignInAttempt{Address: "pattif@contoso.com", Password: "wrong", ClientIP: "192.0.2." + string(rune('0'+i%10))})
			mu.Lock()
			defer mu.Unlock()
			if _, ok := AsThrottled(err); ok {
				refused++
			} else if errors.Is(err, ErrInvalidCredentials) {
				checked++
			} else {
				t.Errorf("attempt: %v", err)
			}
		}()
	}
	wg.Wait()
	if checked > ThrottleFailures || checked+refused != 30 {
		t.Fatalf("%d checked, %d refused", checked, refused)
	}
}

func TestSignInValidatesTheFormFirst(t *testing.T) {
	s := newDemoStore(t)
	ctx := context.Background()
	for name, a := range map[string]SignInAttempt{
		"long address":  {Address: strings.Repeat("a", 250) + "@x.com", Password: "x"},
		"NUL":           {Address: "admin\x00@contoso.com", Password: "x"},
		"bidi override": {Address: "admin@contoso.com\u202e", Password: "x"},
		"invalid UTF-8": {Address: "\xff@contoso.com", Password: "x"},
		"no password":   {Address: "admin@contoso.com"},
		"long password": {Address: "admin@contoso.com", Password: strings.Repeat("é", 257)},
	} {
		if _, err := s.SignIn(ctx, a); !errors.As(err, new(*ValidationError)) {
			t.Errorf("%s: %v", name, err)
		}
	}
	rows, err := s.SignInThrottles(ctx)
	if err != nil || len(rows) != 0 {
		t.Fatalf("malformed forms left throttle rows: %v %v", rows, err)
	}
}

func TestThrottleRowsAreForgotten(t *testing.T) {
	s := newDemoStore(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	for i := 0; i < ThrottleFailures; i++ {
		_, _ = s.SignIn(ctx, SignInAttempt{Address: "ghost@contoso.com", Password: "x", ClientIP: "192.0.2.1"})
	}
	if rows, _ := s.SignInThrottles(ctx); len(rows) != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	if err := s.PurgeSignInThrottles(ctx, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if rows, _ := s.SignInThrottles(ctx); len(rows) != 2 {
		t.Fatal("rows purged within a day")
	}
	if err := s.PurgeSignInThrottles(ctx, now.Add(ThrottleMemory+time.Minute)); err != nil {
		t.Fatal(err)
	}
	if rows, _ := s.SignInThrottles(ctx); len(rows) != 0 {
		t.Fatalf("rows kept after a day: %+v", rows)
	}
}

func TestServerKeyIsMadeOnce(t *testing.T) {
	s := newDemoStore(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	keys := make([][]byte, 8)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := s.ServerKey(ctx, "web")
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if len(k) != 32 || !bytes.Equal(k, keys[0]) {
			t.Fatal("instances disagree about the key")
		}
	}
	if other, _ := s.ServerKey(ctx, "other"); bytes.Equal(other, keys[0]) {
		t.Fatal("two names share a key")
	}
}
