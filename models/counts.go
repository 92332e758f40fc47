package models

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Counts that lists show in full (everyone on Active users, every shared mailbox,
// the groups of each type) walk a whole index: on PostgreSQL at a million people
// the people's count takes 100-300 ms. Kept for cacheTTL, as before, but under load
// every request that came while the kept count had expired counted again, each as
// slowly as the others (500 requests/s met a count of 200 ms with 100 counts at
// once). A keptCount is counted by one request at a time: while a count younger
// than staleCountLimit is kept, a request shows it and one goroutine counts afresh
// behind it; without one (the first request, or after this process changed what
// is counted: forget), the first request counts and the others wait for its count.

// staleCountLimit is how old a kept count may be shown while it is counted again.
// A count this process changed is dropped at once (forget); one changed by another
// instance shows within cacheTTL plus the time of a count under steady use, and
// within staleCountLimit at most.
const staleCountLimit = 5 * cacheTTL

// keptCount is a count kept for a moment (see above).
type keptCount[T any] struct {
	value atomic.Pointer[cached[T]]
	// counting is set while a goroutine counts behind a stale value.
	counting atomic.Bool
	// mu queues the requests that find no count to show behind the one counting.
	mu sync.Mutex
}

// forget drops the kept count: the next request counts.
func (k *keptCount[T]) forget() { k.value.Store(nil) }

// get returns the kept count while fresh; a stale one (younger than
// staleCountLimit) while one goroutine counts again in the background; otherwise
// it counts, one request at a time.
func (k *keptCount[T]) get(ctx context.Context, bg *sync.WaitGroup, count func(context.Context) (T, error)) (T, error) {
	c := k.value.Load()
	if c != nil {
		age := time.Since(c.at)
		if age < cacheTTL {
			return c.value, nil
		}
		if age < staleCountLimit {
			if k.counting.CompareAndSwap(false, true) {
				bg.Add(1)
				go func() {
					defer bg.Done()
					defer k.counting.Store(false)
					cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
					defer cancel()
					if v, err := count(cctx); err == nil {
						// Not over a forget that came meanwhile: this count may
						// have been taken before the change.
						k.value.CompareAndSwap(c, &cached[T]{value: v, at: time.Now()})
					}
				}()
			}
			return c.value, nil
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if c2 := k.value.Load(); c2 != nil && c2 != c && time.Since(c2.at) < cacheTTL {
		return c2.value, nil // counted by the request this one queued behind
	}
	v, err := count(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	k.value.Store(&cached[T]{value: v, at: time.Now()})
	return v, nil
}
