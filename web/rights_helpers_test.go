package web

// versionOf reads the version a form on a page was built from: the hidden version
// field of the form that posts to action.
func (a *app) versionOf(page, action string) string {
	a.t.Helper()
	r := a.get(page)
	v, ok := r.doc.Find(`form[action="` + action + `"] input[name=version]`).Attr("value")
	if !ok {
		a.t.Fatalf("no version in the form to %s on %s (%d)", action, page, r.status)
	}
	return v
}

// licensesVersion and rolesVersion are the versions of a person's licenses and
// roles forms, as the Licenses tab and Manage roles show them.
func (a *app) licensesVersion(person string) string {
	a.t.Helper()
	return a.versionOf(person+"?tab=licenses", person+"/licenses")
}

func (a *app) rolesVersion(person string) string {
	a.t.Helper()
	return a.versionOf(person+"/roles", person+"/roles")
}
