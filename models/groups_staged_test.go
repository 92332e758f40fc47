package models

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestApplyGroupChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	alex, megan, adele := f.recipient("alexw@contoso.com"), f.recipient("meganb@contoso.com"), f.recipient("adelev@contoso.com")
	ben := f.recipient("ben.smith@fabrikam.com")
	detail := func(f *fixture, id uint) *GroupDetail {
		d, err := f.s.GroupDetail(ctx, id)
		if err != nil {
			f.t.Fatal(err)
		}
		return d
	}

	t.Run("members, owners and Send As in one save; the last owner replaced", func(t *testing.T) {
		f := f.on(t)
		id := f.newGroup(GroupDistribution, "Staged DL", "stageddl", []string{"alexw@contoso.com"}, "meganb@contoso.com")
		n, err := f.s.ApplyGroupChanges(ctx, f.admin, id, GroupStagedChange{
			Add:    map[string][]uint{"members": {adele, ben}, "owners": {megan}, string(RightSendAs): {adele}},
			Remove: map[string][]uint{"members": {megan}, "owners": {alex}},
		})
		if err != nil || n != 6 {
			t.Fatalf("apply = %d %v", n, err)
		}
		d := detail(f, id)
		if got := candidateNames(d.Members); !slices.Equal(got, []string{"Adele Vance", "Ben Smith"}) {
			t.Fatalf("members = %v", got)
		}
		if got := candidateNames(d.Owners); !slices.Equal(got, []string{"Megan Bowen"}) {
			t.Fatalf("owners = %v", got)
		}
		del, err := f.s.GroupDelegates(ctx, id)
		if err != nil || !slices.Equal(candidateNames(del[RightSendAs]), []string{"Adele Vance"}) {
			t.Fatalf("send as = %v %v", del, err)
		}
	})
	t.Run("a refusal in the last list leaves the earlier ones unchanged", func(t *testing.T) {
		f := f.on(t)
		id := f.newGroup(GroupDistribution, "Staged DL 2", "stageddl2", []string{"alexw@contoso.com"}, "meganb@contoso.com")
		f.unchanged(func() {
			_, err := f.s.ApplyGroupChanges(ctx, f.admin, id, GroupStagedChange{
				Add:    map[string][]uint{"members": {adele}, string(RightSendAs): {ben}},
				Remove: map[string][]uint{"members": {megan}},
			})
			wantField(t, err, string(RightSendAs), "perm.error.contact")
		})
		f.unchanged(func() {
			_, err := f.s.ApplyGroupChanges(ctx, f.admin, id, GroupStagedChange{
				Add: map[string][]uint{"members": {adele}, "owners": {ben}},
			})
			wantField(t, err, "owners", "group.error.owner_not_person")
		})
		f.unchanged(func() {
			_, err := f.s.ApplyGroupChanges(ctx, f.admin, id, GroupStagedChange{Remove: map[string][]uint{"owners": {alex}}})
			wantField(t, err, "owners", "group.error.last_owner")
		})
		_, err := f.s.ApplyGroupChanges(ctx, f.admin, id, GroupStagedChange{})
		wantField(t, err, "", "eac.error.no_changes")
	})
	t.Run("roles: a reader changes nothing; Group delegation needs the right to change permissions", func(t *testing.T) {
		f := f.on(t)
		id := f.group("salesteam@contoso.com")
		for _, r := range []Role{RoleGlobalReader, RoleHelpdeskAdmin} {
			if _, err := f.s.ApplyGroupChanges(ctx, as(r), id, GroupStagedChange{Add: map[string][]uint{"members": {adele}}}); !errors.Is(err, ErrForbidden) {
				t.Fatalf("%s: %v", r, err)
			}
		}
		if _, err := f.s.ApplyGroupChanges(ctx, as(RoleUserAdmin), id, GroupStagedChange{Add: map[string][]uint{string(RightSendAs): {adele}}}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("user admin delegation: %v", err)
		}
	})
}
