package models

import (
	"context"
	"slices"
	"time"
)

// The first page of Graph's list of people (GET /v1.0/users without $filter,
// $search or $skiptoken: what a script's first call reads) is kept like the first
// page of Active users (users_kept.go): while the list generation stays the same.
// Its triggers are raised by every change to a person, a recipient, an address, a
// licence or a licence's name or SKU, which covers every column the page shows.
// Nothing on it changes by time alone. Each shape of the page (order, size, the
// details asked for) is kept on its own.

// keptGraphPagesLimit bounds the kept shapes of the first page; keptGraphRowsLimit
// the people a kept page holds (Graph's $top goes up to 999).
const (
	keptGraphPagesLimit = 32
	keptGraphRowsLimit  = 1000
)

// graphPageKey is the shape of a kept first page.
type graphPageKey struct {
	byUPN, desc, withoutLicenses bool
	limit                        int
	leaveOut                     GraphUserDetails
}

// keptGraphPage is a kept first page: its people and whether more follow.
type keptGraphPage struct {
	users []GraphUser
	more  bool
}

// graphPageKeyOf returns the shape of a query for the first page of everyone;
// false for any other page.
func graphPageKeyOf(q GraphUserQuery) (graphPageKey, bool) {
	if q.Where != nil || normalizeSearch(q.Search) != "" || q.AfterID != 0 || q.AfterKey != "" {
		return graphPageKey{}, false
	}
	return graphPageKey{byUPN: q.ByUPN, desc: q.Desc, withoutLicenses: q.WithoutLicenses, limit: q.Limit, leaveOut: q.LeaveOut}, true
}

// keptGraphUsers returns the first page of everyone: the kept one while the list
// generation is the one it was read at, otherwise read (and kept). Without a
// generation nothing is kept or trusted.
func (s *Store) keptGraphUsers(ctx context.Context, key graphPageKey, q GraphUserQuery) ([]GraphUser, bool, error) {
	list, ok := s.listGeneration(ctx)
	if !ok {
		return s.graphUsers(ctx, q)
	}
	gens := searchGenerations{list: list}
	if k, ok := s.graphPages.get(key, gens, time.Time{}); ok {
		return cloneGraphUsers(k.users), k.more, nil
	}
	users, more, err := s.graphUsers(ctx, q)
	if err != nil {
		return nil, false, err
	}
	if len(users) <= keptGraphRowsLimit {
		s.graphPages.put(key, gens, time.Time{}, keptGraphPage{users: cloneGraphUsers(users), more: more})
	}
	return users, more, nil
}

// cloneGraphUsers copies people with their licences, so no caller changes what
// is kept.
func cloneGraphUsers(users []GraphUser) []GraphUser {
	out := slices.Clone(users)
	for i := range out {
		out[i].SKUs = slices.Clone(out[i].SKUs)
	}
	return out
}
