package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/models/powershell/exchange"
)

// With --url URL --token TOKEN the command line talks to a server's Exchange REST
// endpoint as the ExchangeOnlineManagement module does: the engine runs the
// pipeline and the utility cmdlets (Where-Object, Select-Object, Format-*,
// Sort-Object, Measure-Object, Get-Help, Get-Command) here, and each Exchange cmdlet
// is a proxy declared with the service's own parameters that sends what was bound
// as a CmdletInput, pages through @odata.nextLink, and writes the objects and
// warnings the service returned. The token's app and its roles act on the server;
// the audit there records the Exchange REST endpoint with the command.

// remoteRegistry is the utility cmdlets plus a proxy for every Exchange cmdlet.
func remoteRegistry(client *exoclient.Client) *powershell.Registry {
	r := powershell.NewRegistry()
	for _, m := range exchange.NewRegistry(nil).Metas() {
		if m.Module == exchange.Module {
			r.Register(remoteCmdlet{meta: m, client: client})
		}
	}
	return r
}

// remoteCmdlet runs one Exchange cmdlet on the server.
type remoteCmdlet struct {
	meta   powershell.Meta
	client *exoclient.Client
}

func (r remoteCmdlet) Meta() powershell.Meta { return r.meta }

func (r remoteCmdlet) Run(c *powershell.Call) error {
	params := c.Bound()
	if r.meta.SupportsShouldProcess && c.WhatIf() {
		// The service isn't asked: -WhatIf names the target as typed.
		target := ""
		if len(params) > 0 {
			target = fmt.Sprint(params[0].Value)
		}
		c.ShouldProcess(target, r.meta.Name)
		return nil
	}
	wrote := false
	err := r.client.Pages(c.Context(), r.meta.Name, params, nil, func(p *exoclient.Page) error {
		objs, err := exoclient.Objects(p.Values)
		if err != nil {
			return err
		}
		for _, o := range objs {
			c.Write(o)
			wrote = true
		}
		for _, w := range p.Warnings {
			c.WriteWarning(w)
		}
		return nil
	})
	if err != nil {
		return remoteError(r.client.Endpoint, err)
	}
	// A change the service answered without an object passes its input on when a
	// cmdlet downstream takes it (Set-Mailbox | Add-MailboxPermission), as the
	// engine does in the console: the next cmdlet binds its identity.
	if !wrote && c.Downstream() && c.Input() != nil {
		c.Write(c.Input())
	}
	return nil
}

// remoteError turns the endpoint's error answer back into Exchange's record: the
// code, exception type and text of its detail (ExNNNN|Type|text) with the
// category a console shows for that type.
func remoteError(endpoint string, err error) error {
	var e *exoclient.Error
	if errors.As(err, &e) {
		switch {
		case e.Exception != "":
			rec := powershell.ExchangeError(e.ErrorCode, e.Exception, exchange.CategoryOf(e.Exception), e.Text)
			if e.ErrorCode == "" {
				rec.ErrorID = "[FailureCategory=Cmdlet-" + e.Exception + "]"
			}
			return rec
		case e.Status == http.StatusUnauthorized:
			return powershell.NewError(powershell.PermissionDenied, "System.UnauthorizedAccessException", "UnauthorizedAccess",
				"The Exchange REST endpoint refused the token (401): it has expired or isn't an Exchange token. Get a new one with the scope https://outlook.office365.com/.default.")
		}
		return powershell.NewError(powershell.NotSpecified, "System.Net.Http.HttpRequestException", "HttpRequestFailed",
			fmt.Sprintf("The Exchange REST endpoint answered %d %s.", e.Status, http.StatusText(e.Status)))
	}
	if errors.Is(err, context.Canceled) {
		return powershell.NewError(powershell.OperationStopped, "System.OperationCanceledException", "OperationStopped", "The command was stopped.")
	}
	return powershell.NewError(powershell.ResourceUnavailable, "System.Net.Http.HttpRequestException", "ConnectionFailed",
		"Couldn't reach the Exchange REST endpoint at "+endpoint+".")
}
