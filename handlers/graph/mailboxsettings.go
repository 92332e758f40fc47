package graph

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/models"
)

// A mailbox's settings as Graph shows them: automaticRepliesSetting is the same
// automatic replies the admin center edits (status disabled, alwaysEnabled or
// scheduled; externalAudience none, contactsOnly or all, Exchange's None, Known
// and All), and timeZone the mailbox's time zone. Time zones are Windows names
// ("Pacific Standard Time") or IANA names, read back as they were written; the
// schedule is shown in the zone it was set in.

// dateTimeTimeZone is Graph's time with its zone.
type dateTimeTimeZone struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

// automaticReplies is automaticRepliesSetting.
type automaticReplies struct {
	Status                 string            `json:"status"`
	ExternalAudience       string            `json:"externalAudience"`
	InternalReplyMessage   string            `json:"internalReplyMessage"`
	ExternalReplyMessage   string            `json:"externalReplyMessage"`
	ScheduledStartDateTime *dateTimeTimeZone `json:"scheduledStartDateTime,omitempty"`
	ScheduledEndDateTime   *dateTimeTimeZone `json:"scheduledEndDateTime,omitempty"`
}

type mailboxSettings struct {
	Context                 string           `json:"@odata.context"`
	AutomaticRepliesSetting automaticReplies `json:"automaticRepliesSetting"`
	TimeZone                string           `json:"timeZone"`
}

var statusOf = map[models.AutoReplyState]string{
	models.AutoReplyDisabled: "disabled", models.AutoReplyEnabled: "alwaysEnabled", models.AutoReplyScheduled: "scheduled",
}

// mailboxOf loads the user the path names and their mailbox's automatic replies.
func (a *API) mailboxOf(c echo.Context) (*models.GraphUser, *models.MailboxAutoReplies, error) {
	u, err := a.user(c)
	if err != nil {
		return nil, nil, err
	}
	ar, err := a.store.AutoRepliesOf(c.Request().Context(), u.RecipientID)
	if err != nil {
		return nil, nil, fail(http.StatusNotFound, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
	}
	return u, ar, nil
}

// GetMailboxSettings answers GET /v1.0/users/{id}/mailboxSettings.
func (a *API) GetMailboxSettings(c echo.Context) error {
	u, ar, err := a.mailboxOf(c)
	if err != nil {
		return err
	}
	return a.writeSettings(c, u, ar)
}

// writeSettings answers with a mailbox's settings.
func (a *API) writeSettings(c echo.Context, u *models.GraphUser, ar *models.MailboxAutoReplies) error {
	out := automaticReplies{Status: statusOf[ar.State], ExternalAudience: ar.Audience().GraphName(),
		InternalReplyMessage: ar.Internal, ExternalReplyMessage: ar.External}
	zone := time.UTC
	zoneName := "UTC"
	if tz, ok := models.LookupTimeZone(ar.Zone); ok && ar.Zone != "" {
		zone, zoneName = tz.Location, tz.Name
	}
	stamp := func(t *time.Time) *dateTimeTimeZone {
		if t == nil {
			return nil
		}
		return &dateTimeTimeZone{DateTime: t.In(zone).Format("2006-01-02T15:04:05.0000000"), TimeZone: zoneName}
	}
	out.ScheduledStartDateTime, out.ScheduledEndDateTime = stamp(ar.Start), stamp(ar.End)
	tz := ar.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	return writeJSON(c, http.StatusOK, mailboxSettings{
		Context:                 a.contextURL(c, "users('"+u.ID()+"')/mailboxSettings"),
		AutomaticRepliesSetting: out, TimeZone: tz,
	})
}

// settingsPatch is the body of PATCH mailboxSettings: only what is sent changes.
type settingsPatch struct {
	TimeZone                *string `json:"timeZone"`
	AutomaticRepliesSetting *struct {
		Status                 *string           `json:"status"`
		ExternalAudience       *string           `json:"externalAudience"`
		InternalReplyMessage   *string           `json:"internalReplyMessage"`
		ExternalReplyMessage   *string           `json:"externalReplyMessage"`
		ScheduledStartDateTime *dateTimeTimeZone `json:"scheduledStartDateTime"`
		ScheduledEndDateTime   *dateTimeTimeZone `json:"scheduledEndDateTime"`
	} `json:"automaticRepliesSetting"`
}

// UpdateMailboxSettings answers PATCH /v1.0/users/{id}/mailboxSettings: 200 with
// the settings. What the body sets changes in one models call.
func (a *API) UpdateMailboxSettings(c echo.Context) error {
	var in settingsPatch
	if err := readJSON(c, &in); err != nil {
		return err
	}
	u, ar, err := a.mailboxOf(c)
	if err != nil {
		return err
	}
	change := models.MailboxSettingsChange{TimeZone: in.TimeZone}
	if p := in.AutomaticRepliesSetting; p != nil {
		next := ar.AutoReply
		if p.Status != nil {
			switch strings.ToLower(*p.Status) {
			case "disabled":
				next.State = models.AutoReplyDisabled
			case "alwaysenabled":
				next.State = models.AutoReplyEnabled
			case "scheduled":
				next.State = models.AutoReplyScheduled
			default:
				return badRequest("Invalid value '" + *p.Status + "' for property 'status': use disabled, alwaysEnabled or scheduled.")
			}
		}
		if p.ExternalAudience != nil {
			x, ok := models.ParseExternalAudience(*p.ExternalAudience)
			if !ok {
				return badRequest("Invalid value '" + *p.ExternalAudience + "' for property 'externalAudience': use none, contactsOnly or all.")
			}
			next.SetAudience(x)
		}
		if p.InternalReplyMessage != nil {
			next.Internal = *p.InternalReplyMessage
		}
		if p.ExternalReplyMessage != nil {
			next.External = *p.ExternalReplyMessage
		}
		// The schedule keeps the zone its times were given in (the start's when
		// both are given).
		for _, t := range []struct {
			in  *dateTimeTimeZone
			out **time.Time
		}{{p.ScheduledEndDateTime, &next.End}, {p.ScheduledStartDateTime, &next.Start}} {
			if t.in == nil {
				continue
			}
			v, zone, err := parseDateTimeTimeZone(*t.in)
			if err != nil {
				return err
			}
			*t.out, next.Zone = &v, zone
		}
		change.AutoReply = &next
	}
	ctx := c.Request().Context()
	if err := a.store.SetMailboxSettings(ctx, apiauth.Actor(c), ar.MailboxID, change, ar.Version); err != nil {
		return modelError(ctx, err, c.Param("id"))
	}
	if ar, err = a.store.AutoRepliesOf(ctx, u.RecipientID); err != nil {
		return err
	}
	return a.writeSettings(c, u, ar)
}

// parseDateTimeTimeZone reads a time in a Windows or IANA time zone (UTC when
// none is given); it returns the instant and the zone's name as kept.
func parseDateTimeTimeZone(d dateTimeTimeZone) (time.Time, string, error) {
	name := strings.TrimSpace(d.TimeZone)
	tz := models.TimeZone{Name: "UTC", Location: time.UTC}
	if name != "" {
		var ok bool
		if tz, ok = models.LookupTimeZone(name); !ok {
			return time.Time{}, "", badRequest("The time zone '" + name + "' isn't known. Use a Windows time zone name, such as Pacific Standard Time, or an IANA name, such as Europe/Amsterdam.")
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, strings.TrimSuffix(strings.TrimSpace(d.DateTime), "Z"), tz.Location); err == nil {
			return t.UTC(), tz.Name, nil
		}
	}
	return time.Time{}, "", badRequest("Invalid dateTime '" + d.DateTime + "'.")
}
