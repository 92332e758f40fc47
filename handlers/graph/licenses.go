package graph

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/models"
)

// assignLicenseBody is the body of POST /users/{id}/assignLicense.
type assignLicenseBody struct {
	AddLicenses    []assignedLicense `json:"addLicenses"`
	RemoveLicenses []string          `json:"removeLicenses"`
}

// AssignLicense answers POST /v1.0/users/{id}/assignLicense: the user with their
// licences afterwards.
func (a *API) AssignLicense(c echo.Context) error {
	var in assignLicenseBody
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.AddLicenses == nil || in.RemoveLicenses == nil {
		return badRequest("Invalid value specified for property 'addLicenses' or 'removeLicenses': both are required (send [] for none).")
	}
	u, err := a.user(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	products, err := a.store.ProductsBySkuID(ctx)
	if err != nil {
		return err
	}
	product := func(skuID string) (uint, error) {
		p, ok := products[strings.ToLower(strings.TrimSpace(skuID))]
		if !ok {
			return 0, badRequest("License " + skuID + " does not correspond to a valid company License.")
		}
		return p.ID, nil
	}
	var add, remove []uint
	for _, l := range in.AddLicenses {
		id, err := product(l.SkuID)
		if err != nil {
			return err
		}
		if p := products[strings.ToLower(l.SkuID)]; p.Available() == 0 && !holds(u, p.SKU) {
			return badRequest("Subscription with SKU " + l.SkuID + " does not have any available licenses.")
		}
		add = append(add, id)
	}
	for _, s := range in.RemoveLicenses {
		id, err := product(s)
		if err != nil {
			return err
		}
		remove = append(remove, id)
	}
	if err := a.store.AssignLicenses(ctx, apiauth.Actor(c), u.UserID, add, remove); err != nil {
		if ve, ok := models.AsValidation(err); ok && ve.First().Key == "lic.error.no_seats" {
			return badRequest("Subscription does not have any available licenses.")
		}
		return modelError(ctx, err, c.Param("id"))
	}
	u, err = a.store.GraphUser(ctx, u.ID())
	if err != nil {
		return err
	}
	body := append(object{{"@odata.context", a.contextURL(c, "users/$entity")}}, userObject(u, nil)...)
	return writeJSON(c, http.StatusOK, body)
}

func holds(u *models.GraphUser, sku string) bool {
	for _, s := range u.SKUs {
		if s == sku {
			return true
		}
	}
	return false
}

// subscribedSku is one of the organization's products.
type subscribedSku struct {
	ID               string        `json:"id"`
	AccountID        string        `json:"accountId"`
	AppliesTo        string        `json:"appliesTo"`
	CapabilityStatus string        `json:"capabilityStatus"`
	ConsumedUnits    int           `json:"consumedUnits"`
	SkuID            string        `json:"skuId"`
	SkuPartNumber    string        `json:"skuPartNumber"`
	PrepaidUnits     prepaidUnits  `json:"prepaidUnits"`
	ServicePlans     []servicePlan `json:"servicePlans"`
	SubscriptionIDs  []string      `json:"subscriptionIds"`
}

type prepaidUnits struct {
	Enabled   int `json:"enabled"`
	Suspended int `json:"suspended"`
	Warning   int `json:"warning"`
	LockedOut int `json:"lockedOut"`
}

type servicePlan struct {
	ServicePlanID      string `json:"servicePlanId"`
	ServicePlanName    string `json:"servicePlanName"`
	ProvisioningStatus string `json:"provisioningStatus"`
	AppliesTo          string `json:"appliesTo"`
}

type skuPage struct {
	Context string          `json:"@odata.context"`
	Value   []subscribedSku `json:"value"`
}

// SubscribedSkus answers GET /v1.0/subscribedSkus.
func (a *API) SubscribedSkus(c echo.Context) error {
	ctx := c.Request().Context()
	ls, err := a.store.Licenses(ctx)
	if err != nil {
		return err
	}
	tid, err := a.store.TenantID(ctx)
	if err != nil {
		return err
	}
	page := skuPage{Context: a.contextURL(c, "subscribedSkus"), Value: make([]subscribedSku, len(ls))}
	for i, l := range ls {
		sku := models.SkuID(l.SKU)
		plans := []servicePlan{}
		if l.IncludesMailbox {
			plans = append(plans, servicePlan{ServicePlanID: "9aaf7827-d63c-4b61-89c3-182f06f82e5c", ServicePlanName: "EXCHANGE_S_STANDARD",
				ProvisioningStatus: "Success", AppliesTo: "User"})
		}
		page.Value[i] = subscribedSku{ID: tid + "_" + sku, AccountID: tid, AppliesTo: "User", CapabilityStatus: "Enabled",
			ConsumedUnits: l.Assigned, SkuID: sku, SkuPartNumber: l.SKU, PrepaidUnits: prepaidUnits{Enabled: l.Seats},
			ServicePlans: plans, SubscriptionIDs: []string{}}
	}
	return writeJSON(c, http.StatusOK, page)
}
