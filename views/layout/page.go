// Package layout holds the page frame every Haven page shares.
package layout

// Page is what the frame needs to know about the request; handlers fill it in.
type Page struct {
	Title   string  // the page's own title; the site name is added
	Viewer  *Viewer // nil when signed out
	CSRF    string  // token for the forms on the page (log-out button)
	CSSPath string  // hashed URL of the stylesheet
	Notice  string  // a one-time message after a redirect ("Your password was changed.")
}

// Viewer is the signed-in member as the frame shows them.
type Viewer struct {
	Username string
	IsAdmin  bool
}
