package models

import (
	"fmt"

	"gorm.io/gorm"
)

// Names are unique as in Exchange, which refuses a Name another recipient already
// has, whatever creates or renames it: a shared mailbox (the Add a shared mailbox
// panel, New-Mailbox -Shared, the EAC), a mail contact (Add a contact,
// New-MailContact), a mail-enabled group (the Add a group wizard,
// New-DistributionGroup, the EAC), a mailbox converted to shared, and every rename
// of those (Set-Mailbox -Name/-DisplayName, the EAC's General section, the panes).
// createRecipient and renameRecipient run the one check, nameFree, inside the
// write transaction of the change.
//
// Left out on purpose, as the real services do: people (the Microsoft 365 admin
// center lets two people share a display name), security groups that are not
// mail-enabled (not Exchange recipients), and groups created through Microsoft
// Graph (a group's displayName need not be unique there; see insertRecipient).

// nameFree refuses a name that another recipient than self (0 for a new one)
// already has, in any case, for a recipient of kind; a person's name is not
// checked. The error is on field. A shared mailbox gets the proxy-address message
// Exchange gives (seed 004, troubleshooting) with its way out, another name and
// then the address you want; the others get Exchange's "The name ... is already
// being used".
func nameFree(db *gorm.DB, field string, kind RecipientKind, name string, self uint) error {
	if kind == KindUser {
		return nil
	}
	var other []Recipient
	if err := db.Preload("Addresses", "is_primary = ?", true).Where("sort_name = ? AND id <> ?", sortName(name), self).
		Limit(1).Find(&other).Error; err != nil {
		return fmt.Errorf("check name: %w", err)
	}
	if len(other) == 0 {
		return nil
	}
	if kind != KindSharedMailbox {
		return Invalid(field, "name14.error.taken", map[string]any{"Name": name, "Owner": other[0].DisplayName})
	}
	proxy := ""
	if len(other[0].Addresses) > 0 {
		proxy = other[0].Addresses[0].Normalized
	}
	return Invalid(field, "shared14.error.name_taken", map[string]any{
		"Proxy": proxy, "Owner": other[0].DisplayName, "Name": name, "Suggestion": name + " 2"})
}

// checkNameFree adds the name-in-use error to ve (on "name") when another
// recipient has the name a new recipient of kind would get, so a form shows it
// with its other errors; the write checks again.
func checkNameFree(db *gorm.DB, ve *ValidationError, kind RecipientKind, name string) error {
	err := nameFree(db, "name", kind, name, 0)
	if v, ok := AsValidation(err); ok {
		ve.Add("name", v.Fields["name"].Key, v.Fields["name"].Args)
		return nil
	}
	return err
}

// namedKind is the kind of recipient a rename names: a person whose mailbox was
// converted to shared is named as a shared mailbox.
func namedKind(tx *gorm.DB, recipientID uint) (RecipientKind, error) {
	var r Recipient
	if err := tx.Select("id, kind").Take(&r, recipientID).Error; err != nil {
		return "", notFound(err, "recipient")
	}
	if r.Kind != KindUser {
		return r.Kind, nil
	}
	var shared int64
	if err := tx.Model(&Mailbox{}).Where("recipient_id = ? AND type = ?", recipientID, MailboxShared).Count(&shared).Error; err != nil {
		return "", fmt.Errorf("check name: %w", err)
	}
	if shared > 0 {
		return KindSharedMailbox, nil
	}
	return KindUser, nil
}
