package models

import (
	"testing"
	"time"
)

func TestEveryWindowsZoneLoads(t *testing.T) {
	t.Parallel()
	if len(windowsZones) < 135 {
		t.Errorf("only %d Windows zones", len(windowsZones))
	}
	for win, iana := range windowsZones {
		tz, ok := LookupTimeZone(win)
		if !ok {
			t.Errorf("%s (%s) doesn't load", win, iana)
			continue
		}
		if win != "UTC" && tz.Name != win {
			t.Errorf("%s kept as %s", win, tz.Name)
		}
	}
}

func TestLookupTimeZone(t *testing.T) {
	t.Parallel()
	july := time.Date(2030, 7, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, want string
		offset     int // hours east of UTC on 1 July 2030
	}{
		{"Pacific Standard Time", "Pacific Standard Time", -7},
		{"w. europe standard time", "W. Europe Standard Time", 2},
		{"Tokyo Standard Time", "Tokyo Standard Time", 9},
		{"Europe/Amsterdam", "Europe/Amsterdam", 2},
		{"UTC", "UTC", 0},
		{" Coordinated Universal Time ", "UTC", 0},
	} {
		tz, ok := LookupTimeZone(c.name)
		if !ok || tz.Name != c.want {
			t.Errorf("%q: %v %v", c.name, tz.Name, ok)
			continue
		}
		if _, off := july.In(tz.Location).Zone(); off != c.offset*3600 {
			t.Errorf("%q: offset %d", c.name, off)
		}
	}
	for _, bad := range []string{"", "Local", "Mars Standard Time", "../../etc/passwd", "Europe/Nowhere", "Europe/Amsterdam\x00"} {
		if _, ok := LookupTimeZone(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
