package forumview

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
)

// Avatar is a member's generated picture: their initials on a colour derived from their
// username. Nothing is uploaded and nothing is fetched.
type Avatar struct {
	Initials string
	Colour   string // hsl(): dark enough for white text to read at any hue
}

// AvatarFor returns the avatar of username: the first letters of its first two parts
// ("quiet_river" → "QR"), or its first two characters.
func AvatarFor(username string) Avatar {
	parts := strings.FieldsFunc(username, func(r rune) bool { return r == '_' || r == '-' })
	var initials []rune
	for _, p := range parts {
		if len(initials) == 2 {
			break
		}
		initials = append(initials, []rune(p)[0])
	}
	if len(initials) < 2 {
		if r := []rune(strings.Join(parts, "")); len(r) >= 2 {
			initials = r[:2]
		}
	}
	if len(initials) == 0 { // a name of only "_" and "-"
		initials = []rune{'#'}
	}
	for i := range initials {
		initials[i] = unicode.ToUpper(initials[i])
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(username)))
	return Avatar{Initials: string(initials), Colour: fmt.Sprintf("hsl(%d, 55%%, 30%%)", h.Sum32()%360)}
}
