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

// A change to what is counted raises the count generation (countgen.go), in the same
// transaction, whoever makes it. A kept count remembers the generation read before it
// was counted; once cacheTTL has passed, a request reads the generation (one
// primary-key lookup) and, when it has not moved, keeps the count for another
// cacheTTL without counting: a tenant nobody changes is counted once, not every
// cacheTTL (at a million people each count took half a second of SQLite's time,
// or all of PostgreSQL's parallel workers, and the pages queued behind it).

// staleCountLimit is how old a kept count may be shown while it is counted again.
// A count this process changed is dropped at once (forget); one changed by another
// instance shows within cacheTTL plus the time of a count under steady use, and
// within staleCountLimit at most.
const staleCountLimit = 5 * cacheTTL

// keptCount is a count kept for a moment (see above).
type keptCount[T any] struct {
	value atomic.Pointer[keptValue[T]]
	// gen reads the count generation; without it (or when it fails) a kept count
	// is counted again once cacheTTL has passed.
	gen func(context.Context) (int64, bool)
	// counting is set while a goroutine counts behind a stale value.
	counting atomic.Bool
	// mu queues the requests that find no count to show behind the one counting.
	mu sync.Mutex
}

// keptValue is a kept count, when it was counted or last found unchanged, and the
// count generation read before it was counted (hasGen: one was read).
type keptValue[T any] struct {
	value  T
	at     time.Time
	gen    int64
	hasGen bool
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
		if g, ok := k.generation(ctx); ok && c.hasGen && g == c.gen {
			// Nothing counted has changed since it was counted: keep it again (not
			// over a forget or a newer count that came meanwhile).
			k.value.CompareAndSwap(c, &keptValue[T]{value: c.value, at: time.Now(), gen: g, hasGen: true})
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
					if v, err := k.count(cctx, count); err == nil {
						// Not over a forget that came meanwhile: this count may
						// have been taken before the change.
						k.value.CompareAndSwap(c, v)
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
	v, err := k.count(ctx, count)
	if err != nil {
		var zero T
		return zero, err
	}
	k.value.Store(v)
	return v.value, nil
}

// count counts, with the count generation read before it: a change committed
// while it counts raises the generation past the one kept with it.
func (k *keptCount[T]) count(ctx context.Context, count func(context.Context) (T, error)) (*keptValue[T], error) {
	g, hasGen := k.generation(ctx)
	v, err := count(ctx)
	if err != nil {
		return nil, err
	}
	return &keptValue[T]{value: v, at: time.Now(), gen: g, hasGen: hasGen}, nil
}

// generation reads the count generation, when the kept count has a reader.
func (k *keptCount[T]) generation(ctx context.Context) (int64, bool) {
	if k.gen == nil {
		return 0, false
	}
	return k.gen(ctx)
}
