package graph

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// organization is Graph's organization resource.
type organization struct {
	ID              string           `json:"id"`
	CreatedDateTime string           `json:"createdDateTime"`
	DisplayName     string           `json:"displayName"`
	TenantType      string           `json:"tenantType"`
	VerifiedDomains []verifiedDomain `json:"verifiedDomains"`
}

type verifiedDomain struct {
	Capabilities string `json:"capabilities"`
	IsDefault    bool   `json:"isDefault"`
	IsInitial    bool   `json:"isInitial"`
	Name         string `json:"name"`
	Type         string `json:"type"`
}

type orgPage struct {
	Context string         `json:"@odata.context"`
	Value   []organization `json:"value"`
}

// domain is Graph's domain resource.
type domain struct {
	ID                 string   `json:"id"`
	AuthenticationType string   `json:"authenticationType"`
	IsAdminManaged     bool     `json:"isAdminManaged"`
	IsDefault          bool     `json:"isDefault"`
	IsInitial          bool     `json:"isInitial"`
	IsRoot             bool     `json:"isRoot"`
	IsVerified         bool     `json:"isVerified"`
	SupportedServices  []string `json:"supportedServices"`
}

type domainPage struct {
	Context string   `json:"@odata.context"`
	Value   []domain `json:"value"`
}

// Organization answers GET /v1.0/organization.
func (a *API) Organization(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := a.store.Organization(ctx)
	if err != nil {
		return err
	}
	tid, err := a.store.TenantID(ctx)
	if err != nil {
		return err
	}
	ds, err := a.store.Domains(ctx)
	if err != nil {
		return err
	}
	o := organization{ID: tid, CreatedDateTime: org.CreatedAt.UTC().Format(time.RFC3339), DisplayName: org.Name, TenantType: "AAD",
		VerifiedDomains: make([]verifiedDomain, len(ds))}
	for i, d := range ds {
		o.VerifiedDomains[i] = verifiedDomain{Capabilities: "Email, OfficeCommunicationsOnlineService", IsDefault: d.IsDefault,
			IsInitial: strings.HasSuffix(d.Name, ".onmicrosoft.com"), Name: d.Name, Type: "Managed"}
	}
	return writeJSON(c, http.StatusOK, orgPage{Context: a.contextURL(c, "organization"), Value: []organization{o}})
}

// Domains answers GET /v1.0/domains.
func (a *API) Domains(c echo.Context) error {
	ds, err := a.store.Domains(c.Request().Context())
	if err != nil {
		return err
	}
	page := domainPage{Context: a.contextURL(c, "domains"), Value: make([]domain, len(ds))}
	for i, d := range ds {
		page.Value[i] = domain{ID: d.Name, AuthenticationType: "Managed", IsAdminManaged: true, IsDefault: d.IsDefault,
			IsInitial: strings.HasSuffix(d.Name, ".onmicrosoft.com"), IsRoot: true, IsVerified: true,
			SupportedServices: []string{"Email", "OfficeCommunicationsOnlineService"}}
	}
	return writeJSON(c, http.StatusOK, page)
}
