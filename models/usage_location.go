package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// A person's usage location is the country or region where they use their
// licensed services: Graph's usageLocation, Entra's "Usage location", an ISO 3166-1
// alpha-2 code kept in upper case (User.UsageLocation; empty when none was set).
//
// Microsoft 365 refuses to assign a licence to someone without one ("License
// assignment cannot be done for user with invalid usage location."). That rule is
// not enforced here: the admin center's Add user page, its licence panels, the
// bulk jobs and the seeded people never set a location, so enforcing it would
// break every flow that licenses people today.

// iso3166 are the officially assigned ISO 3166-1 alpha-2 codes.
const iso3166 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

var usageLocations = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(iso3166) {
		m[c] = true
	}
	return m
}()

// UsageLocation reads a usage location as typed: an ISO 3166-1 alpha-2 code in any
// case, returned in upper case; "" clears it. A code that isn't one is a
// ValidationError on the field "usage_location".
func UsageLocation(typed string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(typed))
	if code != "" && !usageLocations[code] {
		return "", Invalid("usage_location", "user.error.usage_location", map[string]any{"Code": typed})
	}
	return code, nil
}

// setUsageLocation changes a person's usage location inside the caller's write
// transaction, with an audit entry; the code has been read by UsageLocation.
func (s *Store) setUsageLocation(tx *gorm.DB, actor *Admin, u *User, code string) error {
	if u.UsageLocation == code {
		return nil
	}
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("usage_location", code).Error; err != nil {
		return fmt.Errorf("set usage location: %w", err)
	}
	before := u.UsageLocation
	u.UsageLocation = code
	return s.audit(tx, actor, "user.usage_location", &u.RecipientID, personName(u),
		map[string]any{"usage_location": before}, map[string]any{"usage_location": code})
}
