package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Convert is Convert to shared mailbox on a person's Mail tab. (Converting back is
// on the shared mailbox's pane, SharedMailboxes.ConvertBack.)
type Convert struct {
	store    *models.Store
	sessions *session.Store
	users    *Users
}

// NewConvert returns the conversion handlers; users renders the page the panel sits on.
func NewConvert(store *models.Store, sessions *session.Store, users *Users) *Convert {
	return &Convert{store: store, sessions: sessions, users: users}
}

func (h *Convert) view(c echo.Context) (*views.ConvertView, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	u, err := h.store.User(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	admin := session.Admin(c)
	v := &views.ConvertView{User: u, CanEdit: admin.Can(models.ActionManageSharedMailboxes), Role: admin.PrimaryRole(),
		Options: models.ConvertDefaultsFor(admin, u)}
	v.CanBlock, v.CanRemoveLicense = models.ConvertSteps(admin, u)
	return v, nil
}

// Show renders the conversion confirmation.
func (h *Convert) Show(c echo.Context) error {
	v, err := h.view(c)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	return renderPane(c, h.users, http.StatusOK, v.User.DisplayName, views.ConvertPanel(*v))
}

// Save converts the person's mailbox to a shared mailbox.
func (h *Convert) Save(c echo.Context) error {
	v, err := h.view(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v.Options = models.ConvertOptions{BlockSignIn: formChecked(c, "block"), RemoveLicense: formChecked(c, "remove_license")}
	err = h.store.ConvertToShared(ctx, session.Admin(c), v.User.ID, v.Options)
	if ve, ok := models.AsValidation(err); ok {
		v.Errors = ve.Fields
		return renderPane(c, h.users, http.StatusUnprocessableEntity, v.User.DisplayName, views.ConvertPanel(*v))
	}
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "convert.done", "Name", v.User.DisplayName), views.SharedURL(v.User.Mailbox.ID))
}
