package components

import "strings"

// firstNumber is the first of "112 or 999".
func firstNumber(s string) string {
	first, _, _ := strings.Cut(s, " or ")
	return first
}

// digits is the first number's digits, for a tel: link.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, firstNumber(s))
}
