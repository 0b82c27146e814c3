package crisis

import (
	"slices"
	"strings"
)

// Line is a help line: a service people can call or text in a crisis.
type Line struct {
	Name   string
	Number string // as people dial it, e.g. "116 123"
	Text   bool   // takes text messages too
	Hours  string
}

// Tel is the number for a tel: link, digits only.
func (l Line) Tel() string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, l.Number)
}

// Region is the help for one country: its emergency number and its national lines.
type Region struct {
	Code      string
	Name      string
	Emergency string
	Lines     []Line
	Directory string // a public directory of lines for everywhere else
}

// International is the default: no one country's lines, a directory of them all.
const International = "international"

// directory lists verified help lines by country; linked, never fetched.
const directory = "https://findahelpline.com"

// regions are well-known national lines, each checked against the public source named beside it.
var regions = []Region{
	{Code: International, Name: "International", Directory: directory},
	{Code: "au", Name: "Australia", Emergency: "000", Directory: directory, Lines: []Line{
		{Name: "Lifeline Australia", Number: "13 11 14", Hours: "24 hours"}, // https://www.lifeline.org.au/
	}},
	{Code: "be", Name: "Belgium", Emergency: "112", Directory: directory, Lines: []Line{
		{Name: "Zelfmoordlijn", Number: "1813", Hours: "24 hours"}, // https://www.zelfmoord1813.be/
	}},
	{Code: "ca", Name: "Canada", Emergency: "911", Directory: directory, Lines: []Line{
		{Name: "9-8-8 Suicide Crisis Helpline", Number: "988", Text: true, Hours: "24 hours"}, // https://988.ca/
	}},
	{Code: "de", Name: "Germany", Emergency: "112", Directory: directory, Lines: []Line{
		{Name: "TelefonSeelsorge", Number: "0800 111 0 111", Hours: "24 hours"}, // https://www.telefonseelsorge.de/
		{Name: "TelefonSeelsorge", Number: "0800 111 0 222", Hours: "24 hours"}, // https://www.telefonseelsorge.de/
	}},
	{Code: "es", Name: "Spain", Emergency: "112", Directory: directory, Lines: []Line{
		{Name: "Línea 024 de atención a la conducta suicida", Number: "024", Hours: "24 hours"}, // https://www.sanidad.gob.es/linea024/
	}},
	{Code: "fr", Name: "France", Emergency: "112", Directory: directory, Lines: []Line{
		{Name: "3114, numéro national de prévention du suicide", Number: "3114", Hours: "24 hours"}, // https://3114.fr/
	}},
	{Code: "ie", Name: "Ireland", Emergency: "112 or 999", Directory: directory, Lines: []Line{
		{Name: "Samaritans", Number: "116 123", Hours: "24 hours"}, // https://www.samaritans.org/how-we-can-help/contact-samaritan/ (UK and Ireland)
	}},
	{Code: "nl", Name: "Netherlands", Emergency: "112", Directory: directory, Lines: []Line{
		{Name: "113 Zelfmoordpreventie", Number: "113", Hours: "24 hours"},       // https://www.113.nl/
		{Name: "113 Zelfmoordpreventie", Number: "0800 0113", Hours: "24 hours"}, // https://www.113.nl/
	}},
	{Code: "nz", Name: "New Zealand", Emergency: "111", Directory: directory, Lines: []Line{
		{Name: "Need to talk? 1737", Number: "1737", Text: true, Hours: "24 hours"}, // https://1737.org.nz/
		{Name: "Lifeline Aotearoa", Number: "0800 543 354", Hours: "24 hours"},      // https://www.lifeline.org.nz/
	}},
	{Code: "uk", Name: "United Kingdom", Emergency: "999", Directory: directory, Lines: []Line{
		{Name: "Samaritans", Number: "116 123", Hours: "24 hours"}, // https://www.samaritans.org/how-we-can-help/contact-samaritan/
	}},
	{Code: "us", Name: "United States", Emergency: "911", Directory: directory, Lines: []Line{
		{Name: "988 Suicide & Crisis Lifeline", Number: "988", Text: true, Hours: "24 hours"}, // https://988lifeline.org/
	}},
}

// Lookup returns the region with that code (case does not matter).
func Lookup(code string) (Region, bool) {
	code = strings.ToLower(strings.TrimSpace(code))
	i := slices.IndexFunc(regions, func(r Region) bool { return r.Code == code })
	if i < 0 {
		return Region{}, false
	}
	return regions[i], true
}

// Codes lists every region's code, for the setting's help and error message.
func Codes() []string {
	out := make([]string, len(regions))
	for i, r := range regions {
		out[i] = r.Code
	}
	return out
}
