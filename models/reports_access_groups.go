package models

import (
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// The export expands a window's grants through group membership here rather than
// in a recursive query per window: the groups the window's trustees are (and the
// groups nested in them) are read once, their members kept, and each group's
// people (every recipient reached through it, nested groups too, each once) worked
// out once for the windows that follow. The expansion gives what
// accessExpansionSQL gives: (grant, trustee, no group) for every grant and
// (grant, person, granted group) for everyone reached through a granted group.

// groupCacheSize bounds the members (direct, and reached through nesting) one
// reading of the report keeps: 8 bytes each.
const groupCacheSize = 4_000_000

// groupEntry is a group's direct members: the groups in it apart from the rest.
type groupEntry struct{ members, groups []uint }

// expand expands the window's grants through group membership, keeping the ways
// of holding that held asks for.
// The expansion is appended to out.
func (c *holderCache) expand(db *gorm.DB, held AccessHeld, grants []windowGrant, out []expandedGrant) ([]expandedGrant, error) {
	trustees := make([]uint, 0, len(grants))
	for i, g := range grants {
		if held != HeldViaGroup {
			out = append(out, expandedGrant{grant: int32(i), holder: g.trustee})
		}
		trustees = append(trustees, g.trustee)
	}
	if held == HeldDirect {
		return out, nil
	}
	if c.groupEntries > c.groupMax {
		c.groups, c.flat, c.groupEntries = map[uint]*groupEntry{}, map[uint][]uint{}, 0
	}
	if err := c.loadGroups(db, trustees); err != nil {
		return nil, err
	}
	for i, g := range grants {
		if _, ok := c.groups[g.trustee]; !ok {
			continue
		}
		for _, m := range c.flatten(g.trustee) {
			out = append(out, expandedGrant{grant: int32(i), holder: m, via: g.trustee})
		}
	}
	return out, nil
}

// loadGroups reads the members of those of ids that are groups and the cache lacks,
// and of the groups nested in them. An id the holder cache knows as anything but a
// group is not asked about.
func (c *holderCache) loadGroups(db *gorm.DB, ids []uint) error {
	want := c.unknownGroups(ids)
	for len(want) > 0 {
		var nested []uint
		for _, chunk := range chunks(want) {
			err := eachRow(db, `SELECT g.recipient_id, COALESCE(gm.member_id, 0), CASE WHEN mg.id IS NULL THEN 0 ELSE 1 END
FROM groups g LEFT JOIN group_members gm ON gm.group_id = g.id LEFT JOIN groups mg ON mg.recipient_id = gm.member_id
WHERE g.recipient_id IN ?`, []any{chunk}, func(rows *sql.Rows) error {
				var group, member uint
				var isGroup int
				if err := rows.Scan(&group, &member, &isGroup); err != nil {
					return err
				}
				e := c.groups[group]
				if e == nil {
					e = &groupEntry{}
					c.groups[group] = e
				}
				switch {
				case member == 0:
				case isGroup == 1:
					e.groups = append(e.groups, member)
					nested = append(nested, member)
				default:
					e.members = append(e.members, member)
				}
				c.groupEntries++
				return nil
			})
			if err != nil {
				return fmt.Errorf("read mailbox access groups: %w", err)
			}
		}
		want = c.unknownGroups(nested)
	}
	return nil
}

// unknownGroups lists those of ids that may be groups the cache lacks, each once.
func (c *holderCache) unknownGroups(ids []uint) []uint {
	var out []uint
	seen := map[uint]bool{}
	for _, id := range ids {
		if _, ok := c.groups[id]; ok || seen[id] {
			continue
		}
		if h, ok := c.holder(id); ok && h.kind != KindGroup {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// flatten is every recipient but a group reached through group g, its nested
// groups too, each once.
func (c *holderCache) flatten(g uint) []uint {
	if f, ok := c.flat[g]; ok {
		return f
	}
	// A group without groups in it reaches its members, each once (a member is in
	// a group once): they are shared, not copied.
	if e := c.groups[g]; e != nil && len(e.groups) == 0 {
		c.flat[g] = e.members
		return e.members
	}
	groups := map[uint]bool{g: true}
	people := map[uint]bool{}
	var out []uint
	for stack := []uint{g}; len(stack) > 0; {
		e := c.groups[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		if e == nil {
			continue
		}
		for _, m := range e.members {
			if !people[m] {
				people[m] = true
				out = append(out, m)
			}
		}
		for _, sub := range e.groups {
			if !groups[sub] {
				groups[sub] = true
				stack = append(stack, sub)
			}
		}
	}
	c.flat[g] = out
	c.groupEntries += len(out)
	return out
}
