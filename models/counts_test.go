package models

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A kept count that expired is shown while one goroutine counts again behind it,
// however many requests come meanwhile; a forgotten one is counted before it is
// shown, once for the requests that come together.
func TestKeptCountCountsOnceBehindAStaleValue(t *testing.T) {
	ctx := context.Background()
	var (
		k       keptCount[int64]
		bg      sync.WaitGroup
		counted atomic.Int64
		release = make(chan struct{})
	)
	slow := func(context.Context) (int64, error) {
		counted.Add(1)
		<-release
		return 42, nil
	}
	k.value.Store(&keptValue[int64]{value: 7, at: time.Now().Add(-cacheTTL - time.Second)})
	for range 50 {
		n, err := k.get(ctx, &bg, slow)
		if err != nil || n != 7 {
			t.Fatalf("while counting again: got %d, %v; want the kept 7 at once", n, err)
		}
	}
	close(release)
	bg.Wait()
	if c := counted.Load(); c != 1 {
		t.Fatalf("counted %d times behind the stale value, want once", c)
	}
	if n, _ := k.get(ctx, &bg, slow); n != 42 {
		t.Fatalf("after the count: got %d, want 42", n)
	}

	// Forgotten (this process changed what is counted): counted before shown, once
	// for the requests that wait together.
	k.forget()
	counted.Store(0)
	var wg sync.WaitGroup
	got := make([]int64, 20)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = k.get(ctx, &bg, func(context.Context) (int64, error) {
				counted.Add(1)
				time.Sleep(20 * time.Millisecond)
				return 43, nil
			})
		}()
	}
	wg.Wait()
	for i, n := range got {
		if n != 43 {
			t.Fatalf("request %d after forget: got %d, want 43", i, n)
		}
	}
	if c := counted.Load(); c != 1 {
		t.Fatalf("counted %d times after forget, want once", c)
	}

	// Too old to show: counted before shown.
	k.value.Store(&keptValue[int64]{value: 7, at: time.Now().Add(-staleCountLimit - time.Second)})
	if n, _ := k.get(ctx, &bg, func(context.Context) (int64, error) { return 44, nil }); n != 44 {
		t.Fatalf("past staleCountLimit: got %d, want a fresh 44", n)
	}
}

// A count taken in the background does not overwrite a forget that came while it
// ran: it may have been counted before the change.
func TestKeptCountBackgroundCountYieldsToForget(t *testing.T) {
	ctx := context.Background()
	var (
		k       keptCount[int64]
		bg      sync.WaitGroup
		release = make(chan struct{})
	)
	k.value.Store(&keptValue[int64]{value: 7, at: time.Now().Add(-cacheTTL - time.Second)})
	if n, _ := k.get(ctx, &bg, func(context.Context) (int64, error) { <-release; return 8, nil }); n != 7 {
		t.Fatalf("got %d, want the kept 7", n)
	}
	k.forget()
	close(release)
	bg.Wait()
	if n, _ := k.get(ctx, &bg, func(context.Context) (int64, error) { return 9, nil }); n != 9 {
		t.Fatalf("after forget: got %d, want 9 counted afresh (the background count was from before the change)", n)
	}
}
