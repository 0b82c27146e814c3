package demo

// The demo's people and the words they share across groups. Each group's own topics and
// replies are in a file named after it.

// Demo sign-ins. Every demo account has the same password, printed at start.
const (
	Password  = "haven-demo-password"
	Admin     = "demo_admin"
	Moderator = "demo_moderator"
)

// demoMembers are the ordinary members, with warm pseudonyms as people choose here.
var demoMembers = []string{
	"quiet_river", "north_light", "willow_song", "slow_tide", "amber_fields", "paper_boats",
	"morning_fern", "steady_oak", "harbor_lights", "small_sparrow", "blue_kettle", "lantern_keeper",
}

// demoGroups in the order they are created.
var demoGroups = []*groupSpec{&anxiety, &grief, &recovery, &illness, &caregivers, &babyLoss}

// groupSpec is one demo group and what is written in it.
type groupSpec struct {
	slug, name, description, rules string
	private, anonymous             bool
	staff                          string   // Moderator moderates the group; Admin joins it to welcome people
	members                        []string // join (a private group: by the moderator's invite)
	topics                         []topicSpec
	replies                        []string // in this group's voice, fit for any of its topics
}

// topicSpec is a topic's first post, and optionally its whole thread.
type topicSpec struct {
	title, body, warning string
	kind                 string // "" for a hard time, good for good news, ahead for something coming up
	anonymous            bool
	welcome              bool        // written by the group's staff and pinned
	crisis               bool        // contains a crisis phrase on purpose, so moderators see the concern flag
	answers              []string    // replies to this topic only, given before any drawn reply
	thread               []replySpec // a written thread instead of drawn replies
}

// Kinds of topic, which decide the replies they draw.
const (
	good  = "good"
	ahead = "ahead"
)

// replySpec is one reply of a written thread: by the topic's author, the group's staff, or anyone.
type replySpec struct{ by, text string }

const (
	byAuthor = "author"
	byStaff  = "staff"
)

// neutralReplies fit any topic in any group.
var neutralReplies = []string{
	"Just wanted to say I read this, and you're not alone.",
	"Thank you for sharing this. Reading it made me feel less strange about my own week.",
	"Your post made me cry a bit, in a good way. Thank you.",
	"I'm saving this post. I needed to read it today.",
	"Thank you. I've read this three times now.",
	"I don't post much, but this one got me. Thank you for writing it.",
	"I used to think I was the only one. Posts like this are how I found out I wasn't.",
}

// goodReplies answer good news.
var goodReplies = []string{
	"That's a real win. Take a moment to actually feel it before you move on to the next thing.",
	"This made my day. Thank you for sharing a good one — we need those here too.",
	"I'm proud of you, if that's OK to say from a stranger.",
	"Congratulations! That's worth celebrating properly.",
	"Saving this for the next time I need proof that things can shift.",
	"Small steps still count, and this isn't even a small one.",
	"Love this. Go easy on yourself tonight; big days take it out of you, even the good ones.",
	"Reading this gave me hope. Thank you.",
	"You should be really proud. I remember how hard that felt for me.",
	"Cheering you on from here!",
}

// aheadReplies answer someone facing a decision or an event.
var aheadReplies = []string{
	"I'd love to hear how it goes, if you feel like updating us.",
	"You've clearly thought about this so carefully. Trust yourself a little.",
	"I don't think there's a right answer. Whatever you choose, you'll have chosen it with love.",
	"Please keep us posted. We're rooting for you.",
	"Having a plan already is a big part of it. Could you give yourself permission to leave early if you need to?",
	"Whatever happens, you can come back here and tell us about it.",
	"It's OK to go slowly with this. There's no deadline except the ones we set ourselves.",
	"I was in a similar spot last year. It was less awful than my head had told me it would be.",
}

// hardReplies answer someone having a hard time, in any group.
var hardReplies = []string{
	"I hear you. Thank you for putting this into words — I think a lot of us recognise it.",
	"Sending you strength today. You don't have to have it all figured out.",
	"This took courage to post. I'm really glad you did.",
	"Me too, more than I'd like to admit. It helps to see someone else say it.",
	"No advice, just a hand on your shoulder from across the internet.",
	"Be gentle with yourself this week. That's not nothing; right now it's the whole job.",
	"What you're feeling makes complete sense given everything you've described.",
	"I've been where you are. It didn't stay this heavy forever for me, though it took longer than I wanted.",
	"Small steps still count. Honestly, some weeks they're the only steps there are.",
	"I don't have answers, but I'm here and I'm listening.",
	"That sounds exhausting. Is there one small thing that might make tonight a bit easier?",
	"You did the hard thing by writing it down. Maybe rest now?",
	"Hugs if you want them. If not, a cup of tea and a quiet nod.",
	"You're allowed to feel two things at once. I'm learning that slowly.",
	"This community is good at holding things like this. Keep posting if it helps.",
	"It's not weakness to find this hard. It *is* hard.",
	"Checking back in on this thread — how are you doing today?",
	"Same here. Some days I'm fine, and then something small knocks me flat.",
	"You put it so clearly. I've never managed to explain it that well to anyone.",
	"One thing that helped me was writing a short list each night of three things that got done, however tiny. It made the days feel less like a blur.",
	"I wish I could make it easier. I can't, but I can say this: you're doing better than you think.",
	"There's no wrong way through this. Whatever gets you to tomorrow counts.",
	"Sitting with you in this for a moment.",
	"I had a similar week. What got me through: early nights, simple food, and not answering the phone when I didn't have it in me.",
	"Thank you for being honest. It makes it easier for the rest of us to be honest too.",
	"Rest is productive. I have to remind myself of that every single day.",
	"You matter, and what you're going through matters.",
	"I hope tomorrow is kinder to you.",
	"I've no wise words, but I didn't want to read and run.",
	"It's OK not to be OK here. That's kind of what this place is for.",
	"Reading this on the bus with a lump in my throat. You're not on your own.",
	"It took me a long time to stop apologising for how I felt. You don't owe anyone an apology for this.",
	"Do you have someone near you who you can tell some of this to? Even one person made a difference for me.",
	"Some of the kindest people I know have been through exactly this. You're in good company, even if it doesn't feel like it.",
	"That sounds really lonely. I'm glad you brought it here.",
	"I recognise so much of this. It's strange how alike our hard days are.",
	"Thinking of you. No need to reply.",
	"The fact that you care this much says a lot about you.",
	"It might not feel like it, but posting here is a step. A real one.",
	"I'm in a similar place. Maybe we can check in on each other here?",
	"Gentle reminder to drink some water and eat something today.",
	"All of this is so valid.",
	"What helped me most was lowering the bar for a while. On hard days, good enough really is enough.",
	"Sending a quiet \"me too\" and a lot of warmth.",
	"Ten minutes at a time, if a whole day is too much.",
	"You've got more people in your corner than you know, including a bunch of strangers here.",
	"Whatever today looks like, I hope there's one moment of rest in it for you.",
	"It's a lot to carry. Put some of it down here with us for a while.",
	"I felt this in my chest. You're describing something so many of us know and rarely say.",
}

// followUps are the topic author coming back to their own thread, by the kind of topic.
var followUps = map[string][]string{
	"": {
		"Thank you, everyone. I read every reply, some of them twice. It helps more than I can say.",
		"Update: today was a bit better. Not fixed, but better.",
		"Thank you for replying. It means more than you know.",
		"Reading this thread again tonight. You lot are kind.",
		"I think I've been holding myself to a standard I'd never expect of anyone else.",
		"Still here. Still wobbly. Thank you for checking in.",
		"That helps to hear. I'll try to go easier on myself.",
		"Coming back to say thank you. I slept properly last night for the first time in a week.",
		"Honestly, just knowing I'm not the only one makes a difference.",
		"I'll take it one day at a time. Thank you for the reminder.",
		"I hadn't thought of it that way. Thank you.",
	},
	ahead: {
		"Thank you for the ideas. I'm going to try a couple of them this week, and I'll report back.",
		"Small update for anyone who finds this later: I did it, and it was less awful than I'd built it up to be.",
		"I'm saving this thread. Thank you for taking the time.",
		"I told someone close to me, like a few of you suggested. It went better than I feared.",
		"I hadn't thought of it that way. Thank you.",
		"Reading this thread again tonight. You lot are kind.",
	},
	good: {
		"Thank you, everyone. I read every reply, some of them twice.",
		"You lot are the best. Thank you for celebrating with me.",
		"Thank you! I wasn't sure whether to post this, and I'm so glad I did.",
		"Thank you! Holding onto this feeling for the next hard day.",
	},
}

// quoteReplies follow a quoted line from earlier in the thread.
var quoteReplies = []string{
	"This is exactly it.",
	"I read this line three times. Thank you.",
	"Yes. I don't think I could have put it better.",
	"This bit really stayed with me.",
	"Writing this on a sticky note for my fridge.",
	"Needed to hear this today.",
	"So true, and so hard to remember in the moment.",
	"This. Exactly this.",
}

// mentionReplies name someone who replied earlier; %s is their username.
var mentionReplies = []string{
	"@%s said it better than I could, but I wanted to add my voice: you're not alone in this.",
	"Agree with @%s. Go easy on yourself.",
	"What @%s said. And sending strength.",
	"@%s, I had the same thought reading this.",
	"I keep coming back to what @%s wrote. It's so true.",
}

// mentionAuthor address the topic's author; %s is their username.
var mentionAuthor = []string{
	"@%s, thank you for writing this. It helped me feel less alone.",
	"@%s, how are you doing now? Thinking of you.",
	"@%s, sending you a lot of warmth today.",
}
