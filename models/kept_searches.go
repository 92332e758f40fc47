package models

import (
	"cmp"
	"context"
	"sync"
	"time"
)

// The first pages of searches (Active users, shared mailboxes) are kept like the
// first page of Active users (users_kept.go): while the generations they were read
// at stay the same, and until the first moment one of their rows changes by time
// alone. The list generation is raised by every change to the search terms too, so
// the matches of a kept search are the matches still. A search typed letter by
// letter, and the same few prefixes typed by many admins, are read once.

// keptSearchLimit bounds the searches kept per list: past it the oldest goes.
const keptSearchLimit = 128

// keptPages are kept pages of one kind (the first pages of one list's searches),
// at most limit of them (keptSearchLimit when zero).
type keptPages[K comparable, V any] struct {
	mu    sync.Mutex
	kept  map[K]keptSearch[V]
	order []K
	limit int
}

type keptSearch[V any] struct {
	gens  searchGenerations
	until time.Time
	page  V
}

// searchGenerations are the generations a kept page was read at: the list
// generation, and the report generation for rows that show grants.
type searchGenerations struct{ list, report int64 }

// get returns the page kept for key at gens, unless a row of it has changed by
// time at now.
func (k *keptPages[K, V]) get(key K, gens searchGenerations, now time.Time) (V, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.kept[key]
	if !ok || e.gens != gens || (!e.until.IsZero() && !now.Before(e.until)) {
		var zero V
		return zero, false
	}
	return e.page, true
}

// put keeps page for key, read at gens, until (zero: no row changes by time). A
// page read at older generations than the one kept does not replace it.
func (k *keptPages[K, V]) put(key K, gens searchGenerations, until time.Time, page V) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.kept == nil {
		k.kept = map[K]keptSearch[V]{}
	}
	if e, ok := k.kept[key]; ok {
		if e.gens.list > gens.list || e.gens.report > gens.report {
			return
		}
	} else {
		if len(k.order) >= cmp.Or(k.limit, keptSearchLimit) {
			delete(k.kept, k.order[0])
			k.order = k.order[1:]
		}
		k.order = append(k.order, key)
	}
	k.kept[key] = keptSearch[V]{gens: gens, until: until, page: page}
}

// forget drops every kept page.
func (k *keptPages[K, V]) forget() {
	k.mu.Lock()
	k.kept, k.order = nil, nil
	k.mu.Unlock()
}

// searchGenerations reads the list and report generations for a kept page: false
// when either cannot be read, and then nothing is kept or trusted.
func (s *Store) searchGenerations(ctx context.Context) (searchGenerations, bool) {
	list, ok := s.listGeneration(ctx)
	if !ok {
		return searchGenerations{}, false
	}
	report, ok := s.reportGeneration(ctx)
	return searchGenerations{list: list, report: report}, ok
}

// firstChange finds the first moment after now at which a kept page changes by
// time alone: a pending grant takes effect, or a removal's propagation ends.
type firstChange struct{ now, at time.Time }

// add counts a moment; those not after now change nothing.
func (c *firstChange) add(t time.Time) {
	if t.After(c.now) && (c.at.IsZero() || t.Before(c.at)) {
		c.at = t
	}
}

// grant counts a grant's effect and, when removed, the end of its removal.
func (c *firstChange) grant(effective time.Time, revoke *time.Time) {
	c.add(effective)
	if revoke != nil {
		c.add(*revoke)
	}
}

// cloneTime copies a removal time, so no caller changes what is kept.
func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
