// Package layout holds the page frame every Haven page shares.
package layout

import "fmt"

// Page is what the frame needs to know about the request; handlers fill it in.
type Page struct {
	Title   string  // the page's own title; the site name is added
	Viewer  *Viewer // nil when signed out
	CSRF    string  // token for the forms on the page (log-out button)
	CSSPath string  // hashed URL of the stylesheet
	Notice  string  // a one-time message after a redirect ("Your password was changed.")
	// NoticeAt is the id of what the member acted on (a post, a switch): the notice shows there,
	// where the redirect brings their eyes, not at the top of the page.
	NoticeAt string
}

// Viewer is the signed-in member as the frame shows them.
type Viewer struct {
	Username  string
	IsAdmin   bool
	New       bool // signed up in this session: greeted with "Welcome", not "Welcome back"
	Moderates bool // moderates a group, or is a site admin: the header links to the queue
	Waiting   int  // queue items waiting for them
	AtRisk    int  // of which about someone who may be at risk
	Unread    int  // notifications since they last opened /notifications
}

// NotificationsLabel is the notifications link's accessible name, with the unread count.
func (v Viewer) NotificationsLabel() string {
	return fmt.Sprintf("Notifications, %d unread", v.Unread)
}

// ModerationLabel is the queue link's accessible name: people at risk first, then the total.
func (v Viewer) ModerationLabel() string {
	if v.AtRisk > 0 {
		return fmt.Sprintf("Moderation, %d at risk, %d waiting", v.AtRisk, v.Waiting)
	}
	return fmt.Sprintf("Moderation, %d waiting", v.Waiting)
}
