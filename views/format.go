package views

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
)

// isUnder reports whether path is prefix or below it, for marking navigation.
func isUnder(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// initials are the letters of a person's avatar.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		if len(r) > 0 && len(out) < 2 {
			out = append(out, r[0])
		}
	}
	return strings.ToUpper(string(out))
}

func errorKey(status int) string {
	switch status {
	case 400, 403, 404, 405, 408, 413, 429:
		return "error." + itoa(status)
	default:
		return "error.500"
	}
}

func errorTitle(ctx context.Context, status int) string {
	return i18n.T(ctx, errorKey(status)+".title")
}

func errorText(ctx context.Context, status int) string {
	return i18n.T(ctx, errorKey(status)+".text")
}

func itoa(n int) string { return strconv.Itoa(n) }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// orDash shows an empty value as a dash, as the admin center does.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// roleName is a role's name in the page's language.
func roleName(ctx context.Context, r models.Role) string { return i18n.T(ctx, "role."+string(r)) }

// rightName is a mailbox right's name in the page's language.
func rightName(ctx context.Context, r models.Right) string { return i18n.T(ctx, "right."+string(r)) }

// formatTime shows when something takes effect, in UTC, the same in every language.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// fieldMsg translates a model rule violation.
func fieldMsg(ctx context.Context, fe *models.FieldError) string {
	if fe == nil {
		return ""
	}
	return i18n.Map(ctx, fe.Key, fe.Args)
}

// errOrZero is the violation, or none, for components that take one by value.
func errOrZero(fe *models.FieldError) models.FieldError {
	if fe == nil {
		return models.FieldError{}
	}
	return *fe
}

func uintString(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// localInput formats a time for a datetime-local field (UTC).
func localInput(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04")
}
