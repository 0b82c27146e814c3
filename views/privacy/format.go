package privacyview

import "strconv"

func retentionLabel(days int) string {
	switch days {
	case 365:
		return "1 year"
	case 90:
		return "90 days (default)"
	}
	return strconv.Itoa(days) + " days"
}
