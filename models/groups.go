package models

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Groups: Microsoft 365 groups, distribution lists, mail-enabled security groups and
// security groups. This file holds the types' rules, who may change which, creating
// a group (also step by step, as the admin center's wizard does), reading one and
// changing its name, description, addresses and settings. Members and owners are in
// groups_members.go, the list in groups_list.go, deleting in groups_delete.go and
// Send as / Send on behalf on a group in groups_delegation.go.

// GroupTypes lists the group types in the order Add a group offers them.
var GroupTypes = []GroupType{GroupM365, GroupDistribution, GroupMailSecurity, GroupSecurity}

// ParseGroupType returns the group type named s, or false.
func ParseGroupType(s string) (GroupType, bool) {
	t := GroupType(s)
	return t, slices.Contains(GroupTypes, t)
}

// MailEnabled reports whether groups of the type have an email address. A plain
// security group has none: it can't receive mail or hold Exchange permissions.
func (t GroupType) MailEnabled() bool { return t != GroupSecurity && t != "" }

// OwnersRequired reports whether a group of the type must keep at least one owner:
// Microsoft 365 groups, distribution lists and mail-enabled security groups (whose
// owners Exchange calls ManagedBy). A security group may have none.
func (t GroupType) OwnersRequired() bool { return t.MailEnabled() }

// AllowsContacts reports whether mail contacts may be members: the types Exchange
// calls distribution groups (distribution lists and mail-enabled security groups).
func (t GroupType) AllowsContacts() bool { return t == GroupDistribution || t == GroupMailSecurity }

// NestableTypes are the types of group a group of type t may hold as members:
// distribution lists hold distribution lists and mail-enabled security groups;
// mail-enabled security groups hold mail-enabled security groups (Exchange needs
// security principals there); security groups hold security groups of both kinds;
// Microsoft 365 groups hold people only.
func (t GroupType) NestableTypes() []GroupType {
	switch t {
	case GroupDistribution:
		return []GroupType{GroupDistribution, GroupMailSecurity}
	case GroupMailSecurity:
		return []GroupType{GroupMailSecurity}
	case GroupSecurity:
		return []GroupType{GroupSecurity, GroupMailSecurity}
	}
	return nil
}

// CanManageGroup reports whether the admin may create and change groups of a type:
// Exchange and Global administrators (and Exchange recipient administrators) every
// type; a User administrator, as in Entra, Microsoft 365 groups and security groups.
func CanManageGroup(actor *Admin, t GroupType) bool {
	if actor.Can(ActionManageGroups) {
		return true
	}
	return actor.Can(ActionManageEntraGroups) && (t == GroupM365 || t == GroupSecurity)
}

// CanCreateGroups reports whether the admin may create a group of any type at all.
func CanCreateGroups(actor *Admin) bool {
	return actor.Can(ActionManageGroups) || actor.Can(ActionManageEntraGroups)
}

// MaxDescriptionLength bounds a group's description.
const MaxDescriptionLength = 1024

// GroupStep is a step of Add a group; each checks its own fields.
type GroupStep int

// The steps of Add a group, in order.
const (
	StepGroupType GroupStep = iota
	StepGroupBasics
	StepGroupOwners
	StepGroupSettings
	StepGroupReview
)

// WizardSteps lists the steps of Add a group for a type, as the admin center shows
// them: a security group has no email address, so no settings step.
func (t GroupType) WizardSteps() []GroupStep {
	if t == GroupSecurity {
		return []GroupStep{StepGroupType, StepGroupBasics, StepGroupOwners, StepGroupReview}
	}
	return []GroupStep{StepGroupType, StepGroupBasics, StepGroupOwners, StepGroupSettings, StepGroupReview}
}

// Name is the step's name in message keys and forms.
func (st GroupStep) Name() string {
	return [...]string{"type", "basics", "owners", "settings", "review"}[st]
}

// ParseGroupStep returns the step named s, or the first step.
func ParseGroupStep(s string) GroupStep {
	for st := StepGroupType; st <= StepGroupReview; st++ {
		if st.Name() == s {
			return st
		}
	}
	return StepGroupType
}

// StepOfField is the step of Add a group where a field of NewGroup is entered, so a
// refused create shows the step with the problem.
func StepOfField(field string) GroupStep {
	switch field {
	case "type":
		return StepGroupType
	case "name", "description":
		return StepGroupBasics
	case "owners", "members":
		return StepGroupOwners
	case "alias", "domain":
		return StepGroupSettings
	}
	return StepGroupReview
}

// NewGroup is a group to create.
type NewGroup struct {
	Type        GroupType
	Name        string
	Description string
	// Alias and Domain make the email address of a mail-enabled group.
	Alias  string
	Domain string
	// OwnerIDs are recipient ids of people; MemberIDs of people, contacts or groups.
	OwnerIDs             []uint
	MemberIDs            []uint
	AllowExternalSenders bool
	HiddenFromGAL        bool
	// DuplicateNameAllowed lets the group have a name another recipient has: Microsoft
	// Graph allows that for a group's displayName, Exchange does not (see nameFree).
	DuplicateNameAllowed bool
}

// Normalized is the request as the rules read it: names trimmed, no repeated ids,
// and for a security group no address or mail settings.
func (n NewGroup) Normalized() NewGroup {
	n.Name = strings.TrimSpace(n.Name)
	n.Description = strings.TrimSpace(n.Description)
	n.Alias = strings.TrimSpace(n.Alias)
	n.OwnerIDs = uniqueIDs(n.OwnerIDs)
	n.MemberIDs = uniqueIDs(n.MemberIDs)
	if n.Type == GroupSecurity {
		n.Alias, n.Domain, n.AllowExternalSenders, n.HiddenFromGAL = "", "", false, false
	}
	return n
}

// uniqueIDs drops zero and repeated ids, keeping the order.
func uniqueIDs(ids []uint) []uint {
	var out []uint
	for _, id := range ids {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// CheckGroupStep applies the rules of one step of Add a group to what was entered
// so far, as CreateGroup applies them all: the wizard calls it on Next, so each
// step says what is wrong where the admin is looking. An admin who may not create
// groups of the chosen type gets ErrForbidden.
func (s *Store) CheckGroupStep(ctx context.Context, actor *Admin, req NewGroup, step GroupStep) error {
	if !CanCreateGroups(actor) {
		return ErrForbidden
	}
	req = req.Normalized()
	ve := &ValidationError{}
	if err := s.checkGroupStep(ctx, s.db.WithContext(ctx), actor, req, step, ve); err != nil {
		return err
	}
	return ve.OrNil()
}

func (s *Store) checkGroupStep(ctx context.Context, db *gorm.DB, actor *Admin, req NewGroup, step GroupStep, ve *ValidationError) error {
	switch step {
	case StepGroupType:
		if _, ok := ParseGroupType(string(req.Type)); !ok {
			ve.Add("type", "group.error.type_required", nil)
			return nil
		}
		if !CanManageGroup(actor, req.Type) {
			return ErrForbidden
		}
	case StepGroupBasics:
		checkName(ve, "name", req.Name, "group.error.name_required")
		if _, bad := ve.Fields["name"]; !bad && req.Type.MailEnabled() && !req.DuplicateNameAllowed {
			if err := checkNameFree(db, ve, KindGroup, req.Name); err != nil {
				return err
			}
		}
		checkText(ve, "description", req.Description, true)
		if len(req.Description) > MaxDescriptionLength {
			ve.Add("description", "user.error.too_long", map[string]any{"Max": MaxDescriptionLength})
		}
	case StepGroupOwners:
		if req.Type.OwnersRequired() && len(req.OwnerIDs) == 0 {
			ve.Add("owners", "group.error.owner_required", nil)
		}
		if len(req.OwnerIDs) > 0 {
			people, err := s.trustees(db, req.OwnerIDs)
			if err != nil {
				return err
			}
			for _, id := range req.OwnerIDs {
				if fe := checkOwner(people[id], id); fe != nil {
					ve.Add("owners", fe.Key, fe.Args)
				}
			}
		}
		if len(req.MemberIDs) > 0 {
			ms, err := s.trustees(db, req.MemberIDs)
			if err != nil {
				return err
			}
			for _, id := range req.MemberIDs {
				if fe := checkMember(req.Type, 0, ms[id], id); fe != nil {
					ve.Add("members", fe.Key, fe.Args)
				}
			}
		}
	case StepGroupSettings:
		if req.Type.MailEnabled() {
			_, fe, err := s.AddressAvailable(ctx, req.Alias, req.Domain)
			if err != nil {
				return err
			}
			if fe != nil {
				ve.Add("alias", fe.Key, fe.Args)
			}
		}
	}
	return nil
}

// liveUsers returns which of the recipient ids are people of the organization who
// are not deleted.
func liveUsers(tx *gorm.DB, ids []uint) (map[uint]bool, error) {
	out := map[uint]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var live []uint
	if err := tx.Model(&User{}).Where("recipient_id IN ? AND deleted_at IS NULL", ids).Pluck("recipient_id", &live).Error; err != nil {
		return nil, fmt.Errorf("check people: %w", err)
	}
	for _, id := range live {
		out[id] = true
	}
	return out, nil
}

// checkOwner applies the rule on owners: people of the organization only.
func checkOwner(t trusteeRow, id uint) *FieldError {
	switch {
	case t.ID == 0:
		return &FieldError{Key: "group.error.owner_unknown"}
	case t.Kind != KindUser:
		return &FieldError{Key: "group.error.owner_not_person", Args: map[string]any{"Name": t.DisplayName}}
	}
	return nil
}

// checkMember applies the rules on what a group of a type may hold: people; mail
// contacts in distribution groups; groups of the nestable types, never itself.
func checkMember(t GroupType, self uint, m trusteeRow, id uint) *FieldError {
	args := map[string]any{"Name": m.DisplayName, "Type": string(t)}
	switch {
	case m.ID == 0:
		return &FieldError{Key: "group.error.member_unknown"}
	case m.ID == self:
		return &FieldError{Key: "group.error.member_self", Args: args}
	case m.Kind == KindUser:
		return nil
	case m.Kind == KindContact && !t.AllowsContacts():
		return &FieldError{Key: "group.error.member_contact", Args: args}
	case m.Kind == KindContact:
		return nil
	case m.Kind == KindGroup && !slices.Contains(t.NestableTypes(), m.GroupType):
		args["MemberType"] = string(m.GroupType)
		return &FieldError{Key: "group.error.member_group_type", Args: args}
	case m.Kind == KindGroup:
		return nil
	}
	return &FieldError{Key: "group.error.member_kind", Args: args}
}

// groupAudit is what the audit log records of a group.
type groupAudit struct {
	Name                 string    `json:"name"`
	Type                 GroupType `json:"type"`
	Address              string    `json:"address,omitempty"`
	Description          string    `json:"description,omitempty"`
	Owners               []string  `json:"owners,omitempty"`
	Members              []string  `json:"members,omitempty"`
	AllowExternalSenders bool      `json:"allow_external_senders,omitempty"`
	HiddenFromGAL        bool      `json:"hidden_from_gal,omitempty"`
}

// CreateGroup creates a group of a type with its name, description, email address
// (mail-enabled types), owners, members and settings, checked as Add a group checks
// them step by step. Everything is written in one transaction, or nothing. It
// returns the new group's id.
func (s *Store) CreateGroup(ctx context.Context, actor *Admin, req NewGroup) (uint, error) {
	if !CanCreateGroups(actor) {
		return 0, ErrForbidden
	}
	req = req.Normalized()
	ve := &ValidationError{}
	for step := StepGroupType; step < StepGroupReview; step++ {
		if err := s.checkGroupStep(ctx, s.db.WithContext(ctx), actor, req, step, ve); err != nil {
			return 0, err
		}
		if step == StepGroupType && ve.OrNil() != nil {
			return 0, ve
		}
	}
	if err := ve.OrNil(); err != nil {
		return 0, err
	}
	addr := ""
	if req.Type.MailEnabled() {
		var err error
		if addr, err = s.freeAddress(ctx, req.Alias, req.Domain); err != nil {
			return 0, err
		}
	}
	var id uint
	defer s.groupCounts.forget() // the count of its type's tab
	err := s.write(ctx, func(tx *gorm.DB) error {
		var r *Recipient
		var err error
		if addr != "" {
			if req.DuplicateNameAllowed {
				r, err = s.insertRecipient(ctx, tx, KindGroup, req.Name, req.Alias, addr)
			} else {
				r, err = s.createRecipient(ctx, tx, KindGroup, req.Name, req.Alias, addr)
			}
		} else {
			r, err = createNamedRecipient(tx, KindGroup, req.Name)
		}
		if err != nil {
			return err
		}
		g := Group{RecipientID: r.ID, Type: req.Type, SortName: r.SortName, Description: req.Description,
			AllowExternalSenders: req.AllowExternalSenders, HiddenFromGAL: req.HiddenFromGAL, Version: 1}
		if err := tx.Create(&g).Error; err != nil {
			return fmt.Errorf("create group: %w", err)
		}
		id = g.ID
		// People and members are checked again inside the transaction: someone may
		// have been deleted since the wizard's last step.
		owners, err := s.addOwners(tx, &g, req.OwnerIDs)
		if err != nil {
			return err
		}
		members, err := s.addMembers(tx, &g, r.ID, req.MemberIDs)
		if err != nil {
			return err
		}
		return s.audit(tx, actor, "group.create", &r.ID, req.Name, nil, groupAudit{Name: req.Name, Type: req.Type, Address: addr,
			Description: req.Description, Owners: owners, Members: members, AllowExternalSenders: req.AllowExternalSenders,
			HiddenFromGAL: req.HiddenFromGAL})
	})
	return id, err
}

// createNamedRecipient creates a recipient without an address (a security group),
// indexed for search by its name.
func createNamedRecipient(tx *gorm.DB, kind RecipientKind, name string) (*Recipient, error) {
	r := Recipient{Kind: kind, DisplayName: name, SortName: sortName(name)}
	if err := tx.Create(&r).Error; err != nil {
		return nil, fmt.Errorf("create recipient: %w", err)
	}
	if err := reindex(tx, r.ID); err != nil {
		return nil, err
	}
	return &r, nil
}
