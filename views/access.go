package views

import "github.com/contoso/admincenter/models"

// accessMailbox is one mailbox of "Mailboxes this user can access" with every
// right the person holds on it.
type accessMailbox struct {
	Name, Address string
	// URL is the mailbox's pane: a shared mailbox's, or its person's Mail tab.
	URL    string
	Rights []models.Access
}

// accessByMailbox groups a person's rights per mailbox, in the order given (the
// models sort by mailbox).
func accessByMailbox(all []models.Access) []accessMailbox {
	var out []accessMailbox
	for _, a := range all {
		if n := len(out); n > 0 && out[n-1].Rights[0].MailboxID == a.MailboxID {
			out[n-1].Rights = append(out[n-1].Rights, a)
			continue
		}
		m := accessMailbox{Name: a.MailboxName, Address: a.MailboxAddress, Rights: []models.Access{a}}
		switch {
		case a.MailboxType == models.MailboxShared:
			m.URL = SharedURL(a.MailboxID)
		case a.MailboxUserID != 0:
			m.URL = UserURL(a.MailboxUserID, TabMail)
		}
		out = append(out, m)
	}
	return out
}
