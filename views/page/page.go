// Package page carries the cross-cutting values a rendered page needs (the signed-in
// admin, the CSRF token, the current path, the request id and flash toasts) through
// the context, so components take only their own view models.
package page

import (
	"context"

	"github.com/contoso/admincenter/models"
)

// Info is what every page knows about the request it answers.
type Info struct {
	Admin     *models.Admin
	OrgName   string
	CSRFToken string
	Path      string
	// URL is the path with its query, where the language switch returns to.
	URL       string
	RequestID string
	Toasts    []string
}

type ctxKey struct{}

// With returns a context carrying the page info.
func With(ctx context.Context, info Info) context.Context {
	return context.WithValue(ctx, ctxKey{}, info)
}

// Get returns the page info of the context (the zero Info when there is none).
func Get(ctx context.Context) Info {
	info, _ := ctx.Value(ctxKey{}).(Info)
	return info
}

// Admin returns the signed-in admin, or nil.
func Admin(ctx context.Context) *models.Admin { return Get(ctx).Admin }

// CSRF returns the CSRF token that forms must send back.
func CSRF(ctx context.Context) string { return Get(ctx).CSRFToken }

// URL returns the request path and query.
func URL(ctx context.Context) string { return Get(ctx).URL }

// Path returns the request path, for marking the current navigation item.
func Path(ctx context.Context) string { return Get(ctx).Path }
