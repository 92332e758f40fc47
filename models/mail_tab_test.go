package models

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"
)

// countStatements counts the statements s runs through GORM while counting is on.
func countStatements(t *testing.T, s *Store) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := s.db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:count_query", count),
		cb.Row().After("gorm:row").Register("test:count_row", count),
		cb.Raw().After("gorm:raw").Register("test:count_raw", count),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return &n
}

// mailTabStates gives demo people the states the Mail tab shows differently:
// external forwarding kept, forwarding stopped, scheduled and plain automatic
// replies, a person whose mailbox is shared, one without a license and one
// without a mailbox.
func mailTabStates(t *testing.T, f *fixture) []uint {
	t.Helper()
	for _, q := range []string{
		`UPDATE mailboxes SET forwarding_address = 'x@fabrikam.com', forward_keep_copy = true WHERE recipient_id = (SELECT recipient_id FROM users WHERE user_principal_name = 'adelev@contoso.com')`,
		`UPDATE mailboxes SET forwarding_address = 'meganb@contoso.com', forwarding_stopped = 'license_removed' WHERE recipient_id = (SELECT recipient_id FROM users WHERE user_principal_name = 'alexw@contoso.com')`,
		`UPDATE mailboxes SET auto_reply_state = 'scheduled', auto_reply_internal = 'Away', auto_reply_external = 'Out', auto_reply_outside = true, auto_reply_known_only = true,
			auto_reply_start = '2026-12-01 08:00:00', auto_reply_end = '2027-01-01 08:00:00', auto_reply_zone = 'W. Europe Standard Time'
			WHERE recipient_id = (SELECT recipient_id FROM users WHERE user_principal_name = 'diegos@contoso.com')`,
		`UPDATE mailboxes SET auto_reply_state = 'enabled', auto_reply_internal = 'Gone', auto_reply_known_only = true WHERE recipient_id = (SELECT recipient_id FROM users WHERE user_principal_name = 'isaiahl@contoso.com')`,
		`UPDATE mailboxes SET type = 'shared' WHERE recipient_id = (SELECT recipient_id FROM users WHERE user_principal_name = 'johannal@contoso.com')`,
		`DELETE FROM mailboxes WHERE recipient_id = (SELECT recipient_id FROM users WHERE user_principal_name = 'lidiah@contoso.com')`,
	} {
		if err := f.s.db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	var ids []uint
	if err := f.s.db.Raw(`SELECT id FROM users WHERE deleted_at IS NULL ORDER BY id`).Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

// userByPreloads is how User loaded a person before it scanned its own queries:
// the reference it must still agree with.
func userByPreloads(t *testing.T, s *Store, id uint) *UserDetail {
	t.Helper()
	var u User
	err := s.db.Preload("Recipient.Addresses", func(db *gorm.DB) *gorm.DB { return db.Order("is_primary desc, normalized") }).
		Preload("Licenses", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).Preload("Roles").First(&u, id).Error
	if err != nil {
		t.Fatal(err)
	}
	d := &UserDetail{ID: u.ID, RecipientID: u.RecipientID, DisplayName: u.Recipient.DisplayName,
		FirstName: u.FirstName, LastName: u.LastName, JobTitle: u.JobTitle, Department: u.Department,
		Username: u.UserPrincipalName, Licenses: u.Licenses, SignInBlocked: u.SignInBlocked,
		Version: u.Version, RolesVersion: u.RolesVersion, LicensesVersion: u.LicensesVersion}
	for _, a := range u.Recipient.Addresses {
		if a.IsPrimary {
			d.PrimaryAddress = a.Address
		} else {
			d.Aliases = append(d.Aliases, a.Address)
		}
	}
	for _, r := range Roles {
		for _, ra := range u.Roles {
			if ra.Role == r {
				d.Roles = append(d.Roles, r)
			}
		}
	}
	var mb Mailbox
	if err := s.db.Where("recipient_id = ?", u.RecipientID).Take(&mb).Error; err == nil {
		d.Mailbox = &MailboxSummary{ID: mb.ID, Type: mb.Type, StorageUsedBytes: mb.StorageUsedBytes, QuotaBytes: mb.QuotaBytes,
			HiddenFromGAL: mb.HiddenFromGAL, ForwardingAddress: mb.ForwardingAddress, ForwardKeepCopy: mb.ForwardKeepCopy,
			ForwardingStopped: mb.ForwardingStopped, Holders: map[Right]int{}}
		var counts []struct {
			Right Right
			N     int
		}
		s.db.Model(&MailboxPermission{}).Select(`access_right AS "right", COUNT(*) AS n`).Where("mailbox_id = ?", mb.ID).Group("access_right").Scan(&counts)
		for _, c := range counts {
			d.Mailbox.Holders[c.Right] = c.N
		}
	}
	return d
}

// TestUserAndMailSettingsAsBefore checks User and MailSettingsOf against the
// loads they replace, for every demo person in the states the Mail tab shows.
func TestUserAndMailSettingsAsBefore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.grant("info@contoso.com", RightFullAccess, "adelev@contoso.com", "alexw@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.grant("adelev@contoso.com", RightSendAs, "meganb@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.db.Exec(`DELETE FROM user_licenses WHERE user_id = ?`, f.user("nestorw@contoso.com")).Error; err != nil {
		t.Fatal(err)
	}
	for _, id := range mailTabStates(t, f) {
		u, err := f.s.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := userByPreloads(t, f.s, id); !reflect.DeepEqual(normalizeDetail(u), normalizeDetail(want)) {
			t.Errorf("User(%d) = %+v\nwant %+v", id, u, want)
		}
		if u.Mailbox == nil {
			if _, _, err := f.s.MailSettingsOf(ctx, u); err != ErrNotFound {
				t.Errorf("MailSettingsOf(%d) without a mailbox: %v, want ErrNotFound", id, err)
			}
			continue
		}
		fwd, ar, err := f.s.MailSettingsOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		wantFwd, err := f.s.Forwarding(ctx, u.Mailbox.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantAR, err := f.s.AutoRepliesOf(ctx, u.RecipientID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fwd, wantFwd) {
			t.Errorf("MailSettingsOf(%d) forwarding = %+v\nwant %+v", id, fwd, wantFwd)
		}
		if !reflect.DeepEqual(*ar, wantAR.AutoReply) {
			t.Errorf("MailSettingsOf(%d) automatic replies = %+v\nwant %+v", id, *ar, wantAR.AutoReply)
		}
	}
	if _, err := f.s.User(ctx, 999999); err != ErrNotFound {
		t.Errorf("User of no one: %v, want ErrNotFound", err)
	}
}

// normalizeDetail makes empty lists nil: a preload leaves some empty, not nil.
func normalizeDetail(u *UserDetail) UserDetail {
	d := *u
	if len(d.Licenses) == 0 {
		d.Licenses = nil
	}
	if len(d.Aliases) == 0 {
		d.Aliases = nil
	}
	return d
}

// TestMailTabStatements pins how many statements a person's Mail tab runs, so it
// does not grow back: on PostgreSQL each is a round trip, and the groups and
// accessible mailboxes are one statement there (three on SQLite, where a
// statement is a function call). The tab also reads the admin's preferences (one
// statement).
func TestMailTabStatements(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mailTabStates(t, f)
	if _, err := f.grant("info@contoso.com", RightFullAccess, "marketingsg@contoso.com"); err != nil {
		t.Fatal(err)
	}
	n := countStatements(t, f.s)
	for _, tc := range []struct {
		person string
		// user, mail settings, groups and accessible mailboxes
		want [3]int64
	}{
		{"meganb@contoso.com", [3]int64{2, 1, 3}},
		// Forwarding to an address: is it outside?
		{"adelev@contoso.com", [3]int64{2, 2, 3}},
	} {
		if f.s.db.Dialector.Name() == "postgres" {
			tc.want[2] = 1
		}
		var got [3]int64
		id := f.user(tc.person)
		n.Store(0)
		u, err := f.s.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got[0] = n.Swap(0)
		if _, _, err := f.s.MailSettingsOf(ctx, u); err != nil {
			t.Fatal(err)
		}
		got[1] = n.Swap(0)
		groups, _, err := f.s.GroupsAndAccessOf(ctx, u.RecipientID)
		if err != nil {
			t.Fatal(err)
		}
		got[2] = n.Swap(0)
		if len(groups) == 0 {
			t.Fatalf("%s is in no group: the test needs one", tc.person)
		}
		if got != tc.want {
			t.Errorf("%s: statements (user, mail settings, groups and access) = %v, want %v", tc.person, got, tc.want)
		}
	}
}
