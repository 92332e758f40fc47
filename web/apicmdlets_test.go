package web

import (
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/models/powershell/exchange"
)

// apiCmdlets are the cmdlets the REST endpoint's tests run: Exchange's, as the
// server runs them, plus Test-Warning, a cmdlet that writes a warning and an
// object, for @adminapi.warnings.
func apiCmdlets(store *models.Store) *powershell.Registry {
	reg := exchange.NewRegistry(store)
	reg.Register(testWarning{})
	return reg
}

type testWarning struct{}

func (testWarning) Meta() powershell.Meta { return powershell.Meta{Name: "Test-Warning"} }

func (testWarning) Run(c *powershell.Call) error {
	c.WriteWarning("The command completed successfully but no settings of 'Info' have been modified.")
	c.Write(powershell.NewObject(nil).Set("Name", "Info"))
	return nil
}
