package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// AutoReplies serves Manage automatic replies for a person's mailbox. The shared
// mailbox pane has its own panel around the same form (views.AutoRepliesForm),
// read by the same autoReplyForm and saved by the same models.Store.SetAutoReplies.
type AutoReplies struct {
	store    *models.Store
	sessions *session.Store
	target   MailboxTarget
}

// NewAutoReplies returns the automatic replies panel for one kind of pane.
func NewAutoReplies(store *models.Store, sessions *session.Store, target MailboxTarget) *AutoReplies {
	return &AutoReplies{store: store, sessions: sessions, target: target}
}

// autoReplyForm reads the automatic replies form: the switch, the period, the
// replies, and who outside gets them (Known or All, kept as chosen). A start or
// end that isn't a date and time is a field error.
func autoReplyForm(c echo.Context) (models.AutoReply, error) {
	reply := models.AutoReply{State: models.AutoReplyDisabled, Internal: c.FormValue("internal"), External: c.FormValue("external")}
	if formChecked(c, "enabled") {
		reply.State = models.AutoReplyEnabled
		if formChecked(c, "scheduled") {
			reply.State = models.AutoReplyScheduled
		}
	}
	audience := models.AudienceNone
	if formChecked(c, "outside") {
		audience = models.AudienceAll
		if x, ok := models.ParseExternalAudience(c.FormValue("audience")); ok && x != models.AudienceNone {
			audience = x
		}
	}
	reply.SetAudience(audience)
	start, okStart := localTime(c.FormValue("start"))
	end, okEnd := localTime(c.FormValue("end"))
	reply.Start, reply.End = start, end
	ve := &models.ValidationError{}
	if !okStart {
		ve.Add("start", "reply.error.date", nil)
	}
	if !okEnd {
		ve.Add("end", "reply.error.date", nil)
	}
	return reply, ve.OrNil()
}

func (h *AutoReplies) view(c echo.Context) (views.AutoRepliesView, error) {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return views.AutoRepliesView{}, err
	}
	cur, err := h.store.AutoRepliesOf(c.Request().Context(), pc.Mailbox.RecipientID)
	if err != nil {
		return views.AutoRepliesView{}, err
	}
	return views.AutoRepliesView{Ctx: pc, Reply: cur.AutoReply, Version: cur.Version,
		CanReply: session.Admin(c).Can(models.ActionManageAutoReplies)}, nil
}

// Show renders the panel with the mailbox's current automatic replies.
func (h *AutoReplies) Show(c echo.Context) error {
	v, err := h.view(c)
	if err != nil {
		return err
	}
	return renderPane(c, h.target, http.StatusOK, v.Ctx.OwnerName, views.PersonAutoRepliesPanel(v))
}

// Save applies the panel. A rule broken comes back in the panel (422); a stale
// form comes back with the reload message and the current replies (409).
func (h *AutoReplies) Save(c echo.Context) error {
	v, err := h.view(c)
	if err != nil {
		return err
	}
	reply, err := autoReplyForm(c)
	if err == nil {
		err = h.store.SetAutoReplies(c.Request().Context(), session.Admin(c), v.Ctx.Mailbox.ID, reply, formVersion(c))
	}
	switch ve, invalid := models.AsValidation(err); {
	case errors.Is(err, models.ErrStale):
		v.Stale = true
		return renderPane(c, h.target, http.StatusConflict, v.Ctx.OwnerName, views.PersonAutoRepliesPanel(v))
	case invalid:
		v.Reply, v.Version, v.Errors = reply, formVersion(c), ve.Fields
		return renderPane(c, h.target, http.StatusUnprocessableEntity, v.Ctx.OwnerName, views.PersonAutoRepliesPanel(v))
	case err != nil:
		return err
	}
	if v, err = h.view(c); err != nil {
		return err
	}
	toast := i18n.T(c.Request().Context(), "reply.toast", "Name", v.Ctx.OwnerName, "State", i18n.T(c.Request().Context(), "reply.state."+string(v.Reply.State)))
	return done(c, h.sessions, toast, v.Ctx.PanelURL(views.PanelAutoReplies), views.PersonAutoRepliesPanel(v))
}
