package accounts

import (
	"context"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // zones load the same on any machine, with or without the system's zoneinfo

	"github.com/haven-forum/haven/internal/apperr"
)

// DefaultTimeZone is the zone times are shown in until a member chooses one (and for visitors).
const DefaultTimeZone = "UTC"

// TimeZones are the zones a member may choose at /account: IANA names, one or more per
// offset people live at, so nobody has to pick a city on the far side of their world.
var TimeZones = []string{
	"UTC",
	"Africa/Abidjan", "Africa/Accra", "Africa/Algiers", "Africa/Cairo", "Africa/Casablanca", "Africa/Johannesburg",
	"Africa/Lagos", "Africa/Nairobi", "Africa/Tunis",
	"America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Caracas", "America/Chicago",
	"America/Denver", "America/Edmonton", "America/Halifax", "America/Havana", "America/Lima", "America/Los_Angeles",
	"America/Mexico_City", "America/Montevideo", "America/New_York", "America/Panama", "America/Phoenix",
	"America/Puerto_Rico", "America/Santiago", "America/Sao_Paulo", "America/St_Johns", "America/Toronto",
	"America/Vancouver", "America/Winnipeg",
	"Asia/Almaty", "Asia/Baghdad", "Asia/Bangkok", "Asia/Dhaka", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta",
	"Asia/Jerusalem", "Asia/Karachi", "Asia/Kathmandu", "Asia/Kolkata", "Asia/Manila", "Asia/Riyadh", "Asia/Seoul",
	"Asia/Shanghai", "Asia/Singapore", "Asia/Taipei", "Asia/Tashkent", "Asia/Tehran", "Asia/Tokyo", "Asia/Yangon",
	"Atlantic/Azores", "Atlantic/Reykjavik",
	"Australia/Adelaide", "Australia/Brisbane", "Australia/Darwin", "Australia/Hobart", "Australia/Melbourne",
	"Australia/Perth", "Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels", "Europe/Bucharest", "Europe/Budapest",
	"Europe/Dublin", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv", "Europe/Lisbon", "Europe/London",
	"Europe/Madrid", "Europe/Moscow", "Europe/Oslo", "Europe/Paris", "Europe/Prague", "Europe/Rome",
	"Europe/Stockholm", "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich",
	"Pacific/Auckland", "Pacific/Fiji", "Pacific/Guam", "Pacific/Honolulu", "Pacific/Kiritimati", "Pacific/Pago_Pago",
	"Pacific/Tongatapu",
}

var zones = sync.OnceValue(func() map[string]*time.Location {
	out := make(map[string]*time.Location, len(TimeZones))
	for _, name := range TimeZones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic("accounts: time zone " + name + " does not load: " + err.Error())
		}
		out[name] = loc
	}
	return out
})

// Location returns the zone named name, or UTC for a name that is not one of TimeZones.
func Location(name string) *time.Location {
	if loc, ok := zones()[name]; ok {
		return loc
	}
	return time.UTC
}

// SetTimeZone saves the zone the member reads times in; it must be one of TimeZones.
func (s *Service) SetTimeZone(ctx context.Context, memberID int64, zone string) error {
	if _, ok := zones()[zone]; !ok {
		return apperr.Invalid(map[string]string{"time_zone": "Choose a time zone from the list."})
	}
	if err := s.db.WithContext(ctx).Model(&memberRow{}).Where("id = ?", memberID).Update("time_zone", zone).Error; err != nil {
		return fmt.Errorf("accounts: unable to save time zone: %w", err)
	}
	return nil
}
