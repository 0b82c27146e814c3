package privacyview

import (
	"strconv"
	"strings"
)

func retentionLabel(days int) string {
	switch days {
	case 365:
		return "1 year"
	case 90:
		return "90 days (default)"
	}
	return strconv.Itoa(days) + " days"
}

// Items says how many items, in words that read right for one.
func Items(n int64) string {
	if n == 1 {
		return "1 item"
	}
	return strconv.FormatInt(n, 10) + " items"
}

// capitalize upper-cases the first letter of an ASCII phrase ("you read" → "You read").
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// deleteLabel names a record line's delete button by what it deletes, so that a list of them
// does not read "Delete, Delete, Delete".
func deleteLabel(it ActivityItem) string {
	label := "Delete: " + strings.ToLower(it.Kind) + " “" + it.TopicTitle + "”"
	if n := it.Times(); n > 1 {
		label += " (" + strconv.Itoa(n) + " times)"
	}
	return label
}

// slugOf makes an id from a heading: "Consent records" → "consent-records".
func slugOf(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), "-")
}

func positionsWord(n int) string {
	if n == 1 {
		return "read position"
	}
	return "read positions"
}
