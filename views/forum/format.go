package forumview

import (
	"strconv"

	"github.com/haven-forum/haven/internal/paths"
)

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func pageURL(pg Pager, page int) string { return paths.Page(pg.BaseURL, page) }

func itoa(n int) string { return strconv.Itoa(n) }
