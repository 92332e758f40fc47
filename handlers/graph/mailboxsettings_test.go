package graph_test

import (
	"context"
	"testing"

	"github.com/contoso/admincenter/models"
)

func TestMailboxSettingsContactsOnlyIsKnown(t *testing.T) {
	s := newServer(t, nil)
	id := s.ok(s.do("GET", "/users/AdeleV@contoso.com?$select=id", ""), 200)["id"].(string)
	set := s.ok(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"automaticRepliesSetting":{"status":"alwaysEnabled",
		"externalAudience":"contactsOnly","internalReplyMessage":"Away","externalReplyMessage":"Away (contacts)"}}`), 200)
	if ar := set["automaticRepliesSetting"].(map[string]any); ar["externalAudience"] != "contactsOnly" {
		t.Errorf("PATCH answer: %v", ar)
	}
	got := s.ok(s.do("GET", "/users/"+id+"/mailboxSettings", ""), 200)["automaticRepliesSetting"].(map[string]any)
	if got["externalAudience"] != "contactsOnly" || got["externalReplyMessage"] != "Away (contacts)" {
		t.Errorf("read back: %v", got)
	}
	// The same setting Exchange calls Known.
	rid, _ := models.RecipientIDOfObjectID(id)
	ar, err := s.store.AutoRepliesOf(context.Background(), rid)
	if err != nil || ar.Audience() != models.AudienceKnown {
		t.Errorf("audience %v, %v", ar.Audience(), err)
	}
	for _, x := range []string{"all", "none"} {
		got := s.ok(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"automaticRepliesSetting":{"externalAudience":"`+x+`"}}`), 200)
		if ar := got["automaticRepliesSetting"].(map[string]any); ar["externalAudience"] != x {
			t.Errorf("%s: %v", x, ar)
		}
	}
	s.graphError(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"automaticRepliesSetting":{"externalAudience":"friends"}}`), 400)
}

func TestMailboxSettingsWindowsTimeZones(t *testing.T) {
	s := newServer(t, nil)
	id := s.ok(s.do("GET", "/users/AdeleV@contoso.com?$select=id", ""), 200)["id"].(string)
	if tz := s.ok(s.do("GET", "/users/"+id+"/mailboxSettings", ""), 200)["timeZone"]; tz != "UTC" {
		t.Errorf("default time zone %v", tz)
	}
	set := s.ok(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"timeZone":"W. Europe Standard Time"}`), 200)
	if set["timeZone"] != "W. Europe Standard Time" {
		t.Errorf("timeZone: %v", set["timeZone"])
	}
	// Windows names in any case come back in their own spelling; IANA names as given.
	for _, c := range [][2]string{{`{"timeZone":"pacific standard time"}`, "Pacific Standard Time"}, {`{"timeZone":"Europe/Amsterdam"}`, "Europe/Amsterdam"}} {
		if got := s.ok(s.do("PATCH", "/users/"+id+"/mailboxSettings", c[0]), 200)["timeZone"]; got != c[1] {
			t.Errorf("%s: %v", c[0], got)
		}
	}
	// Scheduled replies in a Windows zone: stored as instants, read back in that zone.
	set = s.ok(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"automaticRepliesSetting":{"status":"scheduled","externalAudience":"none",
		"internalReplyMessage":"On leave",
		"scheduledStartDateTime":{"dateTime":"2030-07-01T09:00:00.0000000","timeZone":"Pacific Standard Time"},
		"scheduledEndDateTime":{"dateTime":"2030-07-10T17:30:00","timeZone":"Pacific Standard Time"}}}`), 200)
	ar := set["automaticRepliesSetting"].(map[string]any)
	start, end := ar["scheduledStartDateTime"].(map[string]any), ar["scheduledEndDateTime"].(map[string]any)
	if start["dateTime"] != "2030-07-01T09:00:00.0000000" || start["timeZone"] != "Pacific Standard Time" ||
		end["dateTime"] != "2030-07-10T17:30:00.0000000" || end["timeZone"] != "Pacific Standard Time" {
		t.Errorf("schedule: %v %v", start, end)
	}
	rid, _ := models.RecipientIDOfObjectID(id)
	stored, err := s.store.AutoRepliesOf(context.Background(), rid)
	if err != nil || stored.Start == nil || stored.Start.UTC().Format("2006-01-02T15:04") != "2030-07-01T16:00" {
		t.Errorf("stored start %v, %v (09:00 PDT is 16:00 UTC)", stored.Start, err)
	}
	// An unknown zone changes nothing, the other property sent included.
	code, _ := s.graphError(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"timeZone":"Mars Standard Time","automaticRepliesSetting":{"status":"disabled"}}`), 400)
	if code != "Request_BadRequest" {
		t.Errorf("unknown zone: %s", code)
	}
	s.graphError(s.do("PATCH", "/users/"+id+"/mailboxSettings", `{"automaticRepliesSetting":{"scheduledStartDateTime":{"dateTime":"2030-07-01T09:00:00","timeZone":"../../etc/passwd"}}}`), 400)
	after := s.ok(s.do("GET", "/users/"+id+"/mailboxSettings", ""), 200)
	if after["timeZone"] != "Europe/Amsterdam" || after["automaticRepliesSetting"].(map[string]any)["status"] != "scheduled" {
		t.Errorf("after refused changes: %v", after)
	}
}
