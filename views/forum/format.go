package forumview

import (
	"strconv"
	"strings"
)

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func pageURL(pg Pager, page int) string {
	sep := "?"
	if strings.Contains(pg.BaseURL, "?") {
		sep = "&"
	}
	return pg.BaseURL + sep + "page=" + strconv.Itoa(page)
}

func itoa(n int) string { return strconv.Itoa(n) }
