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
// scheduled; externalAudience none or all, as "Send replies outside"). Graph's
// contactsOnly has no counterpart in the admin center and is kept as all.

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
	out := automaticReplies{Status: statusOf[ar.State], ExternalAudience: "none", InternalReplyMessage: ar.Internal, ExternalReplyMessage: ar.External}
	if ar.SendOutside {
		out.ExternalAudience = "all"
	}
	stamp := func(t *time.Time) *dateTimeTimeZone {
		if t == nil {
			return nil
		}
		return &dateTimeTimeZone{DateTime: t.UTC().Format("2006-01-02T15:04:05.0000000"), TimeZone: "UTC"}
	}
	out.ScheduledStartDateTime, out.ScheduledEndDateTime = stamp(ar.Start), stamp(ar.End)
	return writeJSON(c, http.StatusOK, mailboxSettings{
		Context:                 a.contextURL(c, "users('"+u.ID()+"')/mailboxSettings"),
		AutomaticRepliesSetting: out, TimeZone: "UTC",
	})
}

// settingsPatch is the body of PATCH mailboxSettings: only what is sent changes.
type settingsPatch struct {
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
// the settings.
func (a *API) UpdateMailboxSettings(c echo.Context) error {
	var in settingsPatch
	if err := readJSON(c, &in); err != nil {
		return err
	}
	_, ar, err := a.mailboxOf(c)
	if err != nil {
		return err
	}
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
			switch strings.ToLower(*p.ExternalAudience) {
			case "none":
				next.SendOutside = false
			case "contactsonly", "all":
				next.SendOutside = true
			default:
				return badRequest("Invalid value '" + *p.ExternalAudience + "' for property 'externalAudience': use none, contactsOnly or all.")
			}
		}
		if p.InternalReplyMessage != nil {
			next.Internal = *p.InternalReplyMessage
		}
		if p.ExternalReplyMessage != nil {
			next.External = *p.ExternalReplyMessage
		}
		for _, t := range []struct {
			in  *dateTimeTimeZone
			out **time.Time
		}{{p.ScheduledStartDateTime, &next.Start}, {p.ScheduledEndDateTime, &next.End}} {
			if t.in == nil {
				continue
			}
			v, err := parseDateTimeTimeZone(*t.in)
			if err != nil {
				return err
			}
			*t.out = &v
		}
		ctx := c.Request().Context()
		if err := a.store.SetAutoReplies(ctx, apiauth.Actor(c), ar.MailboxID, next, ar.Version); err != nil {
			return modelError(ctx, err, c.Param("id"))
		}
	}
	return a.GetMailboxSettings(c)
}

// parseDateTimeTimeZone reads a time in an IANA or UTC zone (Windows zone names
// other than UTC are not known here).
func parseDateTimeTimeZone(d dateTimeTimeZone) (time.Time, error) {
	zone := strings.TrimSpace(d.TimeZone)
	loc := time.UTC
	if zone != "" && !strings.EqualFold(zone, "UTC") && !strings.EqualFold(zone, "Coordinated Universal Time") {
		l, err := time.LoadLocation(zone)
		if err != nil {
			return time.Time{}, badRequest("The time zone '" + zone + "' isn't known; use UTC or an IANA time zone name.")
		}
		loc = l
	}
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, strings.TrimSuffix(strings.TrimSpace(d.DateTime), "Z"), loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, badRequest("Invalid dateTime '" + d.DateTime + "'.")
}
