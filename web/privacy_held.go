package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/export"
	"github.com/haven-forum/haven/internal/paths"
	privacyview "github.com/haven-forum/haven/views/privacy"
)

// count writes n with the word that fits: "1 session", "3 sessions".
func count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(int64(n), one, many))
}

// say builds a line of text and times (each time.Time is shown as a time, the rest as text).
func say(parts ...any) privacyview.Line {
	out := make(privacyview.Line, len(parts))
	for i, p := range parts {
		switch v := p.(type) {
		case time.Time:
			out[i] = privacyview.Part{At: v}
		default:
			out[i] = privacyview.Part{Text: fmt.Sprint(v)}
		}
	}
	return out
}

// heldWords says in words what export.Gather read: the same items the download carries.
func heldWords(h export.Held) []privacyview.HeldGroup {
	group := func(id int64) string {
		if id == 0 {
			return "the whole site"
		}
		return h.GroupNames[id]
	}
	var out []privacyview.HeldGroup

	signIn := privacyview.HeldGroup{Anchor: "sign-in", Title: "Your sign-in",
		About: "When you last set your password, your sign-in sessions and how many recovery codes you have left. A session keeps only when it began and when it ends: no device, browser or address.",
		Lines: []privacyview.Line{say("Password last set ", h.SignIn.PasswordChangedAt, "."),
			say(count(h.SignIn.RecoveryCodesLeft, "recovery code", "recovery codes") + " left.")}}
	for _, s := range h.SignIn.Sessions {
		signIn.Lines = append(signIn.Lines, say("A session signed in ", s.CreatedAt, ", ending ", s.ExpiresAt, "."))
	}
	out = append(out, signIn)

	flags := privacyview.HeldGroup{Anchor: "at-risk", Title: "Automatic at-risk flags on your posts",
		About: "A check looks for phrases that can mean someone is at risk, so a moderator can reach out. It flags the post, never you.",
		Empty: "None of your posts is flagged."}
	for _, id := range h.FlaggedPosts {
		flags.Lines = append(flags.Lines, say(fmt.Sprintf("Your post #%d is flagged as possibly at risk.", id)))
	}
	out = append(out, flags)

	queue := privacyview.HeldGroup{Anchor: "queue", Title: "Items about you in the moderators' queue",
		About: "Reports about your posts (never who made them), automatic flags, held posts, appeals and escalations.",
		Empty: "There are none."}
	for _, q := range h.QueueItems {
		what := map[string]string{"report": "A report", "concern": "An automatic at-risk flag", "held": "A post held for approval",
			"appeal": "Your appeal", "escalation": "An escalation to the site admins"}[q.Kind]
		rest := ""
		if q.PostID != nil {
			rest += fmt.Sprintf(", about post #%d", *q.PostID)
		}
		if q.AtRisk {
			rest += ", marked at risk"
		}
		if q.Status == "handled" && q.HandledAction != nil {
			rest += fmt.Sprintf("; handled (%s)", *q.HandledAction)
		} else {
			rest += "; waiting for a moderator"
		}
		queue.Lines = append(queue.Lines, say(fmt.Sprintf("%s in %s, ", what, group(q.GroupID)), q.CreatedAt, rest+"."))
	}
	out = append(out, queue)

	sanctions := privacyview.HeldGroup{Anchor: "sanctions", Title: "Sanctions on you",
		About: "Mutes and bans in a group, and suspensions from the site, with when they end.", Empty: "There are none."}
	for _, s := range h.Sanctions {
		what := map[string]string{"mute": "Muted", "ban": "Banned", "suspension": "Suspended"}[s.Kind]
		line := say(fmt.Sprintf("%s in %s since ", what, group(s.GroupID)), s.CreatedAt, ", until a moderator lifts it.")
		if s.Until != nil {
			line = say(fmt.Sprintf("%s in %s since ", what, group(s.GroupID)), s.CreatedAt, ", until ", *s.Until, ".")
		}
		sanctions.Lines = append(sanctions.Lines, line)
	}
	out = append(out, sanctions)

	reports := privacyview.HeldGroup{Anchor: "reports", Title: "Reports you filed",
		About: "Seen by the group's moderators, who are never told who reported.", Empty: "You have not reported anything."}
	for _, r := range h.Reports {
		rest := ", because: " + r.Reason
		if r.Details != "" {
			rest += fmt.Sprintf(". Your note: “%s”", r.Details)
		}
		reports.Lines = append(reports.Lines, say(fmt.Sprintf("Post #%d, ", r.PostID), r.CreatedAt, rest+"."))
	}
	out = append(out, reports)

	appeals := privacyview.HeldGroup{Anchor: "appeals", Title: "Your appeals", About: "What you wrote when you appealed an action on you.",
		Empty: "You have not appealed anything."}
	for _, a := range h.Appeals {
		appeals.Lines = append(appeals.Lines, say(a.CreatedAt, fmt.Sprintf(", against action #%d: “%s”.", a.LogID, a.Text)))
	}
	out = append(out, appeals)

	mod := privacyview.HeldGroup{Anchor: "as-moderator", Title: "What you did as a moderator or admin",
		About: "Your entries in the moderation record, the queue items you took on, and the invitation links you made.",
		Empty: "Nothing: you have not moderated."}
	if n := len(h.ModActions); n > 0 {
		var kinds []string
		seen := map[string]bool{}
		for _, a := range h.ModActions {
			if !seen[a.Action] {
				seen[a.Action] = true
				kinds = append(kinds, a.Action)
			}
		}
		mod.Lines = append(mod.Lines, say(fmt.Sprintf("%s in the moderation record (%s).", count(n, "action", "actions"), strings.Join(kinds, ", "))))
	}
	if h.HandledItems > 0 {
		mod.Lines = append(mod.Lines, say(count(int(h.HandledItems), "queue item", "queue items")+" assigned to or handled by you."))
	}
	for _, i := range h.Invites {
		mod.Lines = append(mod.Lines, say(fmt.Sprintf("An invitation link to %s made ", group(i.GroupID)), i.CreatedAt, ", valid until ", i.ExpiresAt, "."))
	}
	out = append(out, mod)

	out = append(out, profileWords(h))
	follows := privacyview.HeldGroup{Anchor: "following", Title: "Topics you follow",
		About: "Topics you chose to follow, by their button, by starting them or by replying: a reply in one notifies you. " +
			"See and unfollow each on your account's following page (" + paths.AccountFollowing + ")."}
	follows.Lines = append(follows.Lines, say(count(h.Follows.Topics, "topic you follow", "topics you follow")+"."))
	if h.Follows.FollowReplied {
		follows.Lines = append(follows.Lines, say("Replying to a topic follows it (your choice on your account page)."))
	} else {
		follows.Lines = append(follows.Lines, say("Replying to a topic does not follow it (you switched that off on your account page)."))
	}
	if h.Follows.SeenUpTo > 0 {
		follows.Lines = append(follows.Lines, say("Which of your notifications you have seen: Haven keeps only the newest one shown when you last opened them, never when you looked."))
	}
	out = append(out, follows)

	list := privacyview.HeldGroup{Anchor: "erasure-list", Title: "The erasure list",
		About: "What you erased or took back, and when, never what it said: so that restoring a backup cannot bring it back.",
		Empty: "There are no entries about you."}
	for _, e := range h.Erasures {
		list.Lines = append(list.Lines, say(e.CreatedAt, ": "+strings.ReplaceAll(e.Kind, "_", " ")+"."))
	}
	if !h.ErasedBefore.IsZero() {
		list.Lines = append(list.Lines, say("You erased your whole record ", h.ErasedBefore,
			": nothing you did before then is used for you, and topic opens from before then are never written."))
	}
	out = append(out, list)
	return out
}

// profileWords says what the member gave for their profile and which posts they bookmarked.
func profileWords(h export.Held) privacyview.HeldGroup {
	g := privacyview.HeldGroup{Anchor: "profile", Title: "Your profile and bookmarks",
		About: "What you chose to show other members on your profile, and the posts you bookmarked (only you see those). Change them on your account page and under each post; they go when you delete your account.",
		Empty: "You have written no bio, your post list shows on your profile, and you have no bookmarks."}
	if !h.Profile.UpdatedAt.IsZero() {
		if h.Profile.Bio != "" {
			g.Lines = append(g.Lines, say(fmt.Sprintf("Your bio: “%s”.", h.Profile.Bio)))
		}
		if h.Profile.HidePosts {
			g.Lines = append(g.Lines, say("Your post list is hidden from your profile."))
		}
	}
	for _, b := range h.Bookmarks {
		g.Lines = append(g.Lines, say(fmt.Sprintf("A bookmark of post #%d (topic #%d), made ", b.PostID, b.TopicID), b.CreatedAt, "."))
	}
	return g
}
