package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/web/session"
)

// Add a group: Choose a group type > Set up the basics > Assign owners > Edit
// settings > Review and finish > Create group. Every step is a form post to
// /groups/new that carries the other steps' values as hidden fields, so the wizard
// works without JavaScript; with htmx only the wizard is swapped. Next applies the
// step's rules (models.CheckGroupStep); Create group posts to /groups.

// ShowNew renders Add a group at its first step.
func (h *Groups) ShowNew(c echo.Context) error {
	if !models.CanCreateGroups(session.Admin(c)) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if created := formIDs([]string{c.QueryParam("created")}); len(created) > 0 {
		return h.showCreated(c, created[0])
	}
	v, err := h.wizardView(c, models.NewGroup{}, models.StepGroupType, nil)
	if err != nil {
		return err
	}
	return h.renderWizard(c, http.StatusOK, v)
}

// showCreated is the wizard's last page, where Create group redirects (so a reload
// shows the group again rather than creating another).
func (h *Groups) showCreated(c echo.Context, id uint) error {
	g, err := h.store.GroupDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	v, err := h.wizardView(c, models.NewGroup{Type: g.Type, Name: g.DisplayName, Description: g.Description}, models.StepGroupReview, nil)
	if err != nil {
		return err
	}
	v.CreatedID, v.CreatedAddress = id, g.Address
	return h.renderWizard(c, http.StatusOK, v)
}

// newGroupForm reads what the wizard's form carries.
func newGroupForm(form url.Values) models.NewGroup {
	return models.NewGroup{
		Type: models.GroupType(form.Get("type")), Name: form.Get("name"), Description: form.Get("description"),
		Alias: form.Get("alias"), Domain: form.Get("domain"), OwnerIDs: formIDs(form["owner"]),
		AllowExternalSenders: form.Get("allow_external") == "on",
	}
}

// wizardView is the wizard at a step with the form's values.
func (h *Groups) wizardView(c echo.Context, req models.NewGroup, step models.GroupStep, errs map[string]models.FieldError) (*views.GroupWizardView, error) {
	ctx := c.Request().Context()
	admin := session.Admin(c)
	v := &views.GroupWizardView{Step: step, Form: req, Errors: errs, Role: admin.PrimaryRole()}
	for _, t := range models.GroupTypes {
		if models.CanManageGroup(admin, t) {
			v.Types = append(v.Types, t)
		}
	}
	domains, domain, err := h.store.AddressDomains(ctx, req.Domain)
	if err != nil {
		return nil, err
	}
	v.Domains, v.Form.Domain = domains, domain
	if v.Owners, err = h.store.Candidates(ctx, req.OwnerIDs); err != nil {
		return nil, err
	}
	return v, nil
}

// renderWizard answers with the wizard alone for htmx, otherwise with the page.
func (h *Groups) renderWizard(c echo.Context, status int, v *views.GroupWizardView) error {
	return render(c, status, views.AddGroupPage(*v), views.GroupWizard(*v))
}

// Step moves through the wizard: Next checks the step, Back goes back, Search finds
// people to make owners, Edit on Review and finish returns to a step.
func (h *Groups) Step(c echo.Context) error {
	admin := session.Admin(c)
	form, err := formParams(c)
	if err != nil {
		return err
	}
	req := newGroupForm(form)
	if !models.CanCreateGroups(admin) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if _, ok := models.ParseGroupType(string(req.Type)); ok && !models.CanManageGroup(admin, req.Type) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	ctx := c.Request().Context()
	steps := req.Type.WizardSteps()
	step := models.ParseGroupStep(form.Get("step"))
	if !slices.Contains(steps, step) {
		step = models.StepGroupType
	}
	nav := form.Get("nav")
	switch {
	case nav == "back":
		if i := slices.Index(steps, step); i > 0 {
			step = steps[i-1]
		}
	case nav == "search" && step == models.StepGroupOwners:
		v, err := h.wizardView(c, req, step, nil)
		if err != nil {
			return err
		}
		v.Search, v.Searched = form.Get("q"), true
		if v.Candidates, err = h.store.PeopleCandidates(ctx, v.Search, req.OwnerIDs); err != nil {
			return err
		}
		return h.renderWizard(c, http.StatusOK, v)
	case strings.HasPrefix(nav, "goto-"):
		if to := models.ParseGroupStep(strings.TrimPrefix(nav, "goto-")); to < step && slices.Contains(steps, to) {
			step = to
		}
	default:
		err := h.store.CheckGroupStep(ctx, admin, req, step)
		if ve, ok := models.AsValidation(err); ok {
			v, verr := h.wizardView(c, req, step, ve.Fields)
			if verr != nil {
				return verr
			}
			return h.renderWizard(c, http.StatusUnprocessableEntity, v)
		}
		if err != nil {
			return err
		}
		steps = req.Type.WizardSteps() // the type step may have just chosen them
		if i := slices.Index(steps, step); i < len(steps)-1 {
			step = steps[i+1]
		}
		if step == models.StepGroupSettings && strings.TrimSpace(req.Alias) == "" {
			_, domain, err := h.store.AddressDomains(ctx, req.Domain)
			if err != nil {
				return err
			}
			if req.Alias, err = h.store.SuggestAlias(ctx, req.Name, domain); err != nil {
				return err
			}
		}
	}
	v, err := h.wizardView(c, req, step, nil)
	if err != nil {
		return err
	}
	return h.renderWizard(c, http.StatusOK, v)
}

// Create creates the group from Review and finish. A rule that no longer holds (an
// address taken meanwhile) brings back the step where it is fixed.
func (h *Groups) Create(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	req := newGroupForm(form)
	ctx := c.Request().Context()
	id, err := h.store.CreateGroup(ctx, session.Admin(c), req)
	if ve, ok := models.AsValidation(err); ok {
		step := models.StepGroupReview
		for field := range ve.Fields {
			step = min(step, models.StepOfField(field))
		}
		v, verr := h.wizardView(c, req, step, ve.Fields)
		if verr != nil {
			return verr
		}
		return h.renderWizard(c, http.StatusUnprocessableEntity, v)
	}
	if errors.Is(err, models.ErrForbidden) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if err != nil {
		return err
	}
	// Post/Redirect/Get: reloading the result does not create the group again.
	return redirect(c, views.NewGroupURL+"?created="+strconv.FormatUint(uint64(id), 10))
}
