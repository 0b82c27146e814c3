package export

// Coverage says, for every column of the schema that names a member, where the member's
// export carries those rows (a key path of the document) or, after "not exported:", why not.
// A test walks the schema and fails on a column missing here, so a new table that names a
// member cannot be left out of the export.
var Coverage = map[string]string{
	"members.id":                      "member",
	"recovery_codes.member_id":        "sign_in.recovery_codes_left",
	"sessions.member_id":              "sign_in.sessions",
	"group_members.member_id":         "memberships",
	"join_requests.member_id":         "memberships",
	"group_invites.created_by":        "as_moderator.invites_created",
	"topics.author_id":                "posts",
	"posts.author_id":                 "posts",
	"topics.last_post_author_id":      "posts", // a copy of the last visible post's author, for topic lists
	"reactions.member_id":             "reactions",
	"member_mutes.member_id":          "member.settings.muted_members",
	"member_mutes.muted_id":           "not exported: that someone muted you is their private choice, and they are never named",
	"hidden_warnings.member_id":       "member.settings.hidden_content_warnings",
	"notifications.member_id":         "notifications",
	"notifications.actor_id":          "not exported: a notification in another member's inbox is theirs; what you did is in posts",
	"notification_optouts.member_id":  "member.settings.notifications_switched_on",
	"reply_follow_optouts.member_id":  "member.settings.follow_topics_i_reply_to",
	"notifications_seen.member_id":    "notifications", // each item's "read"
	"topic_follows.member_id":         "followed_topics",
	"moderation_log.actor_id":         "as_moderator.actions",
	"moderation_log.target_member_id": "moderation",
	"consents.member_id":              "consents.current",
	"consent_records.member_id":       "consents.history",
	"activity_events.member_id":       "activity",
	"read_positions.member_id":        "read_positions",
	"privacy_settings.member_id":      "consents.reading_history_retention_days",
	"queue_items.member_id":           "moderation_about_you.queue_items",
	"queue_items.assigned_to":         "as_moderator.queue_items_assigned_or_handled",
	"queue_items.handled_by":          "as_moderator.queue_items_assigned_or_handled",
	"reports.reporter_id":             "reports_you_filed",
	"group_sanctions.member_id":       "moderation_about_you.sanctions",
	"suspensions.member_id":           "moderation_about_you.sanctions",
	"appeals.member_id":               "appeals",
	"erasures.member_id":              "erasure_list",
	"not_interested.member_id":        "inferences",
	"member_profiles.member_id":       "profile",
	"bookmarks.member_id":             "bookmarks",
}
