// Package paths builds every URL Haven links to, so a link cannot drift from its route: the web
// package's tests check each one here against the router (web/routes.go).
package paths

import (
	"net/url"
	"strconv"
	"strings"
)

// Pages and forms without a parameter.
const (
	Home                       = "/"
	Crisis                     = "/crisis"
	Privacy                    = "/privacy"
	PrivacyPolicy              = "/privacy/policy"
	PrivacyConsent             = "/privacy/consent"
	PrivacyErase               = "/privacy/erase"
	PrivacyRetention           = "/privacy/retention"
	PrivacyActivity            = "/privacy/activity"
	PrivacyExport              = "/privacy/export"
	PrivacyExportPage          = PrivacyExport + "?format=html" // the same export, as a page to read
	PrivacyActivityDeleteRange = "/privacy/activity/delete"
	PrivacyReadPositionsDelete = "/privacy/read-positions/delete" // every read position
	Welcome                    = "/welcome"
	SignUp                     = "/signup"
	SignUpCodes                = "/signup/codes" // the new member's recovery codes, shown once
	LogIn                      = "/login"
	LogOut                     = "/logout"
	Recover                    = "/recover"
	Account                    = "/account"
	AccountPassword            = "/account/password"
	AccountLogOutEverywhere    = "/account/logout-everywhere"
	AccountRecoveryCodes       = "/account/recovery-codes"
	AccountMutes               = "/account/mutes"
	AccountHiddenWarnings      = "/account/hidden-warnings"
	AccountTimeZone            = "/account/time-zone"
	AccountDelete              = "/account/delete"
	AccountModeration          = "/account/moderation"
	AccountFollowing           = "/account/following"
	AccountFollowReplies       = "/account/follow-replies"
	Groups                     = "/groups"
	Search                     = "/search"
	SuggestionsHow             = "/suggestions/how"
	Notifications              = "/notifications"
	Bookmarks                  = "/bookmarks"
	AccountProfile             = "/account/profile"
	NotificationSettings       = "/notifications/settings"
	NotificationsClear         = "/notifications/clear"
	Mod                        = "/mod"
	ModLog                     = "/mod/log"
	Admin                      = "/admin"
	AdminGroups                = "/admin/groups"
	AdminSettings              = "/admin/settings"
	AdminWatchedWords          = "/admin/watched-words"
	GPCStatement               = "/.well-known/gpc.json"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// Page is base with ?page=n, or &page=n when base already has a query.
func Page(base string, n int) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "page=" + strconv.Itoa(n)
}

// LogInThen is the log-in page that returns to next (a path on this site) afterwards.
func LogInThen(next string) string { return LogIn + "?next=" + url.QueryEscape(next) }

// SignUpThen is the sign-up page that, once the new member is welcomed, brings them to next.
func SignUpThen(next string) string { return SignUp + "?next=" + url.QueryEscape(next) }

// Groups and invitations.

func Group(slug string) string                       { return "/g/" + url.PathEscape(slug) }
func GroupJoin(slug string) string                   { return Group(slug) + "/join" }
func GroupLeave(slug string) string                  { return Group(slug) + "/leave" }
func GroupRequest(slug string) string                { return Group(slug) + "/request" }
func GroupRequestAnswer(slug string, r int64) string { return Group(slug) + "/requests/" + id(r) }
func GroupInvites(slug string) string                { return Group(slug) + "/invites" }
func GroupInsights(slug string) string               { return Group(slug) + "/insights" }
func GroupNewTopic(slug string) string               { return Group(slug) + "/new" }
func GroupTopics(slug string) string                 { return Group(slug) + "/topics" }
func Invite(token string) string                     { return "/invite/" + url.PathEscape(token) }

// Topics and posts.

func Topic(topic int64) string         { return "/t/" + id(topic) }
func TopicReplies(topic int64) string  { return Topic(topic) + "/replies" }
func TopicFollow(topic int64) string   { return Topic(topic) + "/follow" }
func Post(post int64) string           { return "/p/" + id(post) }
func PostEdit(post int64) string       { return Post(post) + "/edit" }
func PostDelete(post int64) string     { return Post(post) + "/delete" }
func PostReact(post int64) string      { return Post(post) + "/react" }
func PostRevisions(post int64) string  { return Post(post) + "/revisions" }
func PostReveal(post int64) string     { return Post(post) + "/reveal" }
func PostReport(post int64) string     { return Post(post) + "/report" }
func PostBookmark(post int64) string   { return Post(post) + "/bookmark" }
func NotInterested(topic int64) string { return "/suggestions/" + id(topic) + "/not-interested" }

// Profile is a member's profile page.
func Profile(username string) string { return "/u/" + url.PathEscape(username) }

// Moderation.

func ModPostHide(post int64) string      { return "/mod/posts/" + id(post) + "/hide" }
func ModPostUnhide(post int64) string    { return "/mod/posts/" + id(post) + "/unhide" }
func ModPostDelete(post int64) string    { return "/mod/posts/" + id(post) + "/delete" }
func ModPostApprove(post int64) string   { return "/mod/posts/" + id(post) + "/approve" }
func ModPostEscalate(post int64) string  { return "/mod/posts/" + id(post) + "/escalate" }
func ModTopicLock(topic int64) string    { return "/mod/topics/" + id(topic) + "/lock" }
func ModTopicPin(topic int64) string     { return "/mod/topics/" + id(topic) + "/pin" }
func ModTopicSlow(topic int64) string    { return "/mod/topics/" + id(topic) + "/slow" }
func ModTopicMove(topic int64) string    { return "/mod/topics/" + id(topic) + "/move" }
func ModReportDismiss(item int64) string { return "/mod/reports/" + id(item) + "/dismiss" }
func AccountAppeal(action int64) string  { return AccountModeration + "/" + id(action) + "/appeal" }

// ModMemberAction is a moderator's action (warn, mute, ban, …) on a member of a group.
func ModMemberAction(slug, username, action string) string {
	return "/mod/groups/" + url.PathEscape(slug) + "/members/" + url.PathEscape(username) + "/" + url.PathEscape(action)
}

// Site admin.

func AdminGroup(slug string) string           { return AdminGroups + "/" + url.PathEscape(slug) }
func AdminGroupArchive(slug string) string    { return AdminGroup(slug) + "/archive" }
func AdminGroupModerators(slug string) string { return AdminGroup(slug) + "/moderators" }
func AdminGroupHold(slug string) string       { return AdminGroup(slug) + "/hold" }
func AdminWatchedWordDelete(word int64) string {
	return AdminWatchedWords + "/" + id(word) + "/delete"
}
func AdminSuspend(username string) string {
	return "/admin/members/" + url.PathEscape(username) + "/suspend"
}

// The member's privacy dashboard.

func PrivacyActivityDelete(event int64) string { return PrivacyActivity + "/" + id(event) + "/delete" }
func PrivacyReadPositionDelete(topic int64) string {
	return "/privacy/read-positions/" + id(topic) + "/delete"
}
func PrivacyInterestDelete(group int64) string {
	return "/privacy/inferences/groups/" + id(group) + "/delete"
}
func PrivacyNotInterestedDelete(topic int64) string {
	return "/privacy/inferences/not-interested/" + id(topic) + "/delete"
}
func PrivacyReceipt(receipt string) string { return "/privacy/receipts/" + url.PathEscape(receipt) }

// PrivacyReceiptPage is a receipt as a page to read; PrivacyReceipt is its JSON.
func PrivacyReceiptPage(receipt string) string { return PrivacyReceipt(receipt) + "?format=html" }

// PrivacyEraseWhat is the confirmation of an erase: everything, or what one purpose recorded.
func PrivacyEraseWhat(purpose string) string {
	return PrivacyErase + "?purpose=" + url.QueryEscape(purpose)
}
