package views

import (
	"context"
	"strconv"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/components"
	"github.com/contoso/admincenter/views/i18n"
)

func uitoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

func eacAriaSort(desc bool) string {
	if desc {
		return "descending"
	}
	return "ascending"
}

// eacSortLabel names the sort link by what selecting it does.
func eacSortLabel(ctx context.Context, desc bool) string {
	if desc {
		return i18n.T(ctx, "eac.sort_asc")
	}
	return i18n.T(ctx, "eac.sort_desc")
}

func eacTypeColumn(section string) string {
	switch section {
	case "groups":
		return "eac.col.group_type"
	case "contacts":
		return "eac.col.company"
	}
	return "eac.col.type"
}

// EACMailboxType is a mailbox's recipient type as the EAC shows it.
func EACMailboxType(ctx context.Context, t models.MailboxType) string {
	return i18n.T(ctx, "eac.type."+string(t))
}

// EACGroupType is a group type as the admin centers name it.
func EACGroupType(ctx context.Context, t models.GroupType) string { return groupTypeName(ctx, t) }

func eacPager(v EACListView) components.PagerView {
	return listPager(v.PageInfo, len(v.Rows), "#eac-results", func(after, before string) string { return v.Params.Page(after, before).URL() })
}

// rightLabelKey is a right's name in the EAC's words.
func rightLabelKey(r models.Right) string {
	switch r {
	case models.RightFullAccess:
		return "eac.deleg.full_access"
	case models.RightSendAs:
		return "eac.deleg.send_as"
	}
	return "eac.deleg.send_on_behalf"
}

// EACRightLabelKey is a right's name in the EAC's words, for handlers' lists.
func EACRightLabelKey(r models.Right) string { return rightLabelKey(r) }

// EACRightHelpKey is the explanation of a right under its list.
func EACRightHelpKey(r models.Right) string { return rightLabelKey(r) + "_help" }

func (l EACHolderList) idPrefix() string { return "eac-" + l.Key }

// eacListLabel names a group's list (members, owners or a right) in the admin's words.
func eacListLabel(ctx context.Context, list string) string {
	if r, ok := models.ParseRight(list); ok {
		return i18n.T(ctx, rightLabelKey(r))
	}
	if list == "owners" {
		return i18n.T(ctx, "eac.group.ownership")
	}
	return i18n.T(ctx, "eac.group.membership")
}

// eacSectionOf is the section of a group's edit page a list sits in.
func eacSectionOf(list string) string {
	if list == "members" || list == "owners" {
		return list
	}
	return "delegation"
}
