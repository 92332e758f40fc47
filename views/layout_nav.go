package views

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/a-h/templ"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/views/page"
)

// navItem is an entry of the side navigation that can be the current one.
type navItem uint

const (
	navHome navItem = iota
	navActiveUsers
	navContacts
	navDeletedUsers
	navGroups
	navShared
	navAccessReport
	navForwardReport
	navAccessHistory
	navJobs
	navPolicy
	navApps
	navAudit
	navPowerShell
)

// navState is everything the side navigation shows besides the language: which
// entries are current, and whether the audit log is listed.
type navState struct {
	current uint16
	audit   bool
}

// is reports whether the entry i is the current page.
func (s navState) is(i navItem) bool { return s.current&(1<<i) != 0 }

// navStateOf is the navigation's state for the request's page and admin.
func navStateOf(ctx context.Context) navState {
	p := page.Path(ctx)
	var s navState
	for i, on := range [...]bool{
		navHome:          p == "/",
		navActiveUsers:   isUnder(p, UsersURL) && !isUnder(p, DeletedUsersURL),
		navContacts:      isUnder(p, ContactsURL),
		navDeletedUsers:  isUnder(p, DeletedUsersURL),
		navGroups:        isUnder(p, GroupsURL),
		navShared:        isUnder(p, SharedListURL),
		navAccessReport:  isUnder(p, AccessReportURL),
		navForwardReport: isUnder(p, ForwardReportURL),
		navAccessHistory: isUnder(p, AccessHistoryURL),
		navJobs:          isUnder(p, JobsURL),
		navPolicy:        isUnder(p, PolicyURL),
		navApps:          isUnder(p, AppsURL),
		navAudit:         isUnder(p, AuditURL),
		navPowerShell:    isUnder(p, PowerShellURL),
	} {
		if on {
			s.current |= 1 << i
		}
	}
	s.audit = page.Admin(ctx).Can(models.ActionReadAuditLog)
	return s
}

// navKey names one rendering of the side navigation.
type navKey struct {
	lang  string
	state navState
}

// renderedNav holds the side navigation's bytes by language and state. There are
// a few dozen at most (two languages, one current entry or none, audit or not),
// and the catalog is compiled in, so they never go stale.
var renderedNav sync.Map // navKey -> []byte

// sideNav writes the side navigation of every page. Its markup depends only on
// the language and the navState, so each combination is rendered once by
// sideNavMarkup and its bytes written again after: the navigation's 40
// translations and links were several percent of a page's CPU.
func sideNav() templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		key := navKey{lang: i18n.Lang(ctx), state: navStateOf(ctx)}
		if b, ok := renderedNav.Load(key); ok {
			_, err := w.Write(b.([]byte))
			return err
		}
		var buf bytes.Buffer
		if err := sideNavMarkup(key.state).Render(ctx, &buf); err != nil {
			return err
		}
		b, _ := renderedNav.LoadOrStore(key, buf.Bytes())
		_, err := w.Write(b.([]byte))
		return err
	})
}
