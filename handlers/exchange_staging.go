package handlers

import (
	"net/url"
	"slices"
	"strings"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
)

// The Exchange admin center's delegation lists are edited the way the EAC edits
// them: Add and Remove change the list on screen, Save applies every change at
// once. The staged changes travel in the form (add.<list>, del.<list>), so each
// button posts the whole form and gets it back changed, with or without scripts;
// nothing is written until Save.

// staged is one list's staged changes and its picker.
type staged struct {
	key     string
	add     []uint
	del     []uint
	picking bool
	search  string
}

// readStaged reads a list's staged changes from the form and applies the button
// that was pressed (op): pick.<list> opens the picker (or searches in it),
// add.<list> adds the ticked candidates, remove.<list> the ticked holders.
func readStaged(form url.Values, key, op string) *staged {
	s := &staged{key: key, add: formIDs(form["add."+key]), del: formIDs(form["del."+key])}
	verb, target, _ := strings.Cut(op, ".")
	if target != key {
		return s
	}
	switch verb {
	case "pick":
		s.picking, s.search = true, form.Get("q."+key)
	case "add":
		for _, id := range formIDs(form["cand."+key]) {
			if i := slices.Index(s.del, id); i >= 0 {
				s.del = slices.Delete(s.del, i, i+1)
			} else if !slices.Contains(s.add, id) {
				s.add = append(s.add, id)
			}
		}
	case "remove":
		for _, id := range formIDs(form["sel."+key]) {
			if i := slices.Index(s.add, id); i >= 0 {
				s.add = slices.Delete(s.add, i, i+1)
			} else if !slices.Contains(s.del, id) {
				s.del = append(s.del, id)
			}
		}
	}
	return s
}

// list builds the list on screen: the current holders without the staged removals,
// then the staged additions (added, the picker's candidates without them).
func (s *staged) list(labelKey, helpKey string, current, added, candidates []models.Candidate) views.EACHolderList {
	l := views.EACHolderList{Key: s.key, LabelKey: labelKey, HelpKey: helpKey, Add: s.add, Remove: s.del,
		Picking: s.picking, Search: s.search}
	for _, c := range current {
		if !slices.Contains(s.del, c.RecipientID) && !slices.Contains(s.add, c.RecipientID) {
			l.Holders = append(l.Holders, views.EACHolder{Candidate: c})
		}
	}
	for _, c := range added {
		l.Holders = append(l.Holders, views.EACHolder{Candidate: c, Staged: true})
	}
	for _, c := range candidates {
		if !slices.Contains(s.add, c.RecipientID) {
			l.Candidates = append(l.Candidates, c)
		}
	}
	return l
}
