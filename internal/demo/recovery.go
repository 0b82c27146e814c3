package demo

var recovery = groupSpec{
	slug: "recovery",
	name: "Recovery",
	description: "Recovery from alcohol, drugs, gambling or other addictions — whatever path you're on. " +
		"Counting days or not counting at all, you're welcome. Anonymous posts are allowed.",
	rules: `- **Anonymous posts are welcome here.** Tick "post anonymously" and other members see "Anonymous member" instead of your name.
- **No judgement about paths.** Twelve steps, SMART, therapy, going it alone: all welcome.
- **No talk of amounts or sources,** and a content warning on anything that describes using in detail.
- **Relapse is part of many stories.** Meet it with kindness.`,
	staff:     Moderator,
	anonymous: true,
	members:   []string{"slow_tide", "steady_oak", "lantern_keeper", "blue_kettle", "north_light", "harbor_lights"},
	topics: []topicSpec{
		{welcome: true, title: "Welcome to Recovery — please read",
			body: "Hi all. Whether you're on day one or year ten, whatever you're recovering from and however you're doing it, you belong here.\n\n" +
				"You can post anonymously in this group: other members will see \"Anonymous member\" instead of your name. " +
				"Please put a content warning on posts that describe using in detail, so people early on can choose what to read.\n\n" +
				"And celebrate the small things. Three days matters."},
		{title: "Day 1 again", anonymous: true,
			body: "I made it 47 days and then had a bad night on Friday. I'm back at day one and I feel like an idiot. " +
				"I know what people say about relapse being part of it. Right now it just feels like failing.\n\nTrying again today.",
			answers: []string{
				"A slip doesn't wipe out what you learned in those 47 days. You came back here, and that counts for a lot.",
				"Proud of you. Day one takes real courage, especially when it isn't your first day one.",
			}},
		{title: "100 days alcohol free", kind: good,
			body: "Never thought I'd write that. Sleeping through the night, saving money, my hands don't shake in the morning. " +
				"It hasn't been easy and some evenings are still long. But 100 days.\n\nThank you to everyone here who answered my posts on the bad nights.",
			answers: []string{
				"100 days! That's incredible. Remember how this feels the next time a night is long.",
			}},
		{title: "How do you handle \"just have one\"?", kind: ahead,
			body: "Work party next week. Half the team know I've stopped; the other half will push a glass at me. " +
				"I have my soda water plan, but I'd love some lines to say that don't invite a whole conversation.",
			answers: []string{
				"Soda water with lime in a nice glass. Nobody asks questions. It saved me at work parties.",
				"\"No thanks, I'm driving\" has got me out of more conversations than I can count.",
			}},
		{title: "Telling my kids", kind: ahead, anonymous: true,
			body: "My teenagers know something has changed. They've seen me go to meetings and come home early from things. " +
				"I want to be honest with them in a way that's right for their age. Has anyone had this conversation?",
			answers: []string{
				"I told mine that I'd been unwell with drinking and was getting help, and that none of it was their fault. They had more questions later, in their own time.",
			}},
		{title: "Deleted the betting apps, now what?", kind: ahead,
			body: "I deleted everything and set up gambling blocks on my bank account yesterday. It's the evenings that scare me: the boredom, the phone in my hand. " +
				"What did you fill that time with in the first weeks?",
			answers: []string{
				"I filled the evenings with walking, terrible TV and, weirdly, baking. My colleagues have never been so well fed.",
				"Giving my phone to my partner for the first hour after dinner helped me in the early weeks. Sounds extreme; it worked.",
			}},
		{title: "Cravings at 6pm every day",
			body: "Like clockwork. Kids in bed or not, work done or not, 6pm hits and my whole body wants a drink. " +
				"I've been going for a walk at quarter to six to get ahead of it. Some days it works. What times are hard for you?",
			answers: []string{
				"I'm 14 months in. The evenings got easier around month three for me. Hang in there.",
				"Mine was 5pm, the end of the working day. A very cold fizzy drink and a change of clothes helped me mark the switch.",
			}},
		{title: "One year clean", kind: good, anonymous: true,
			body: "One year today. I wasn't sure I'd see this. I'm not going to write a long post; I just wanted to put it somewhere it means something.\n\n" +
				"If you're on day one: I was too.",
			answers: []string{
				"One year. Thank you for posting this; I'm on day nine and I needed to see it.",
			}},
		{title: "Friends who only knew me drinking",
			body: "Most of my social life was the pub. Now I'm sober those friendships feel thin. Some are great about it, some just stopped texting. " +
				"Did you have to rebuild your social life?"},
		{title: "Sober and bored",
			body: "Nobody warned me how boring evenings would be at first. I used to think drinking was a hobby. Now I have all this time and no idea what I enjoy. " +
				"I've tried jigsaws. What have you got into?",
			answers: []string{
				"I filled the evenings with walking, terrible TV and, weirdly, baking. My colleagues have never been so well fed.",
				"Jigsaws are a gateway. I'm now on my fourth thousand-piece one and I regret nothing.",
			}},
		{title: "Slipped after three years", warning: "relapse", anonymous: true,
			body: "I'm ashamed to write this. After three years I drank last weekend, at a funeral. Just the once, but it shook me. " +
				"I haven't told my sponsor yet. I'm scared that everything I built is gone.",
			answers: []string{
				"Three years don't disappear because of one night. What you built is still there. Tell your sponsor; they have heard this before, and they will help.",
			}},
		{title: "Meetings: online or in person?",
			body: "I've only done online meetings so far, camera off. There's an in-person one near me on Tuesdays. " +
				"For those who've done both, what's the difference? I'm nervous about being recognised."},
		{title: "Dealing with the shame",
			body: "The cravings I can manage most days now. It's the shame that gets me: things I said, things I missed, money I lost. " +
				"How do you live with the past without drowning in it?",
			answers: []string{
				"Shame was the heaviest part for me too. Talking about it in meetings slowly made it lighter.",
			}},
		{title: "My partner still drinks",
			body: "I've been sober eight months and my partner still has wine with dinner. She's supportive and asks if it's OK, but having it in the house is hard some nights. " +
				"How have others handled this at home?"},
		{title: "Sleep in early recovery",
			body: "Two weeks in and I'm sleeping terribly. For years I relied on a drink to switch off. I know it's meant to get better. " +
				"For those further along: roughly how long did it take for you?"},
		{title: "Found an old photo of me from the bad years", anonymous: true,
			body: "I barely recognised myself. Puffy, grey, that fixed smile. I sat on the floor of the spare room and cried. " +
				"Then I put it in my wallet as a reminder. Not sure if that's healthy, but it felt right."},
		{title: "First sober holiday", kind: good,
			body: "Just back from a week away with my family: the first trip in a decade without a drink. The mornings were the best part. " +
				"I watched the sunrise three times. Wanted to share a good one."},
		{title: "Making amends — when is the right time?", kind: ahead,
			body: "I want to apologise to my brother for the things I said when I was drinking. My sponsor says not to rush it. " +
				"I'm scared he won't want to hear it. How did you know when you were ready?",
			answers: []string{
				"There's no rush with amends. When you do it, do it for you, not for the reaction.",
			}},
		{title: "Weekend plans that don't involve drinking", kind: good,
			body: "Share yours! Mine: parkrun on Saturday morning (walking it), and a film with my son. Not exciting. But I'll remember it.",
			answers: []string{
				"Car boot sale on Sunday morning, then a roast. Early night.",
				"Taking my niece to the swimming pool. I'll be the one who's tired.",
				"Finishing a book I started in January. Ambitious, I know.",
			}},
		{title: "Quitting vaping is harder than I thought",
			body: "Six days without. I'm irritable, snacking constantly, and I snapped at my partner over the washing up. " +
				"Anyone got through this? I keep telling myself the first week is the worst."},
		{title: "What I wish I'd known on day one",
			body: "Two years in. If I could tell day-one me anything, it would be: the first weeks aren't what the rest feels like. " +
				"Curious what others would say to their day-one self."},
		{title: "Gambling debts, and telling my partner", kind: ahead, anonymous: true,
			body: "She doesn't know how bad it got. I've stopped for two months and I'm paying it back, but I'm carrying this on my own. " +
				"I know I have to tell her. I don't know how to start.",
			answers: []string{
				"Telling my partner was the hardest conversation of my life, and it was the start of things getting better. I wrote it down first.",
			}},
		{title: "Free bar at my cousin's wedding", kind: ahead,
			body: "My first thought was excitement and my second was dread. The plan: drive myself, leave after the speeches, bring my own fizzy drinks. " +
				"Anything I'm missing?",
			answers: []string{
				"Soda water with lime in a nice glass. Nobody asks questions. It saved me at work parties.",
				"Sounds like a solid plan. Maybe text someone from here when you leave, so you're not alone with the drive home.",
			}},
		{title: "Small wins thread", kind: good,
			body: "Post your small wins, however small. I'll start: I went to the shop and walked past the wine aisle without going down it. " +
				"Took three seconds. Felt like a marathon.",
			answers: []string{
				"I made it through a whole football match without a beer. Didn't even notice until half-time.",
				"Three weeks without placing a bet. I bought my daughter new trainers with what I'd saved.",
				"Went to my first in-person meeting. Sat at the back. Still counts.",
			}},
		{title: "Is it OK not to count days?",
			body: "Everyone here seems to count. For me, counting made every slip feel like starting from zero. I stopped, and now I just try to do today well. " +
				"Is anyone else like that?",
			answers: []string{
				"I don't count days either. Some people need the number, some people need to put it down. Both are recovery.",
			}},
	},
	replies: []string{
		"One day at a time sounds like a cliché until you're in it. Then it's the only thing that makes sense.",
		"Keep coming back. You're doing the work, and it shows.",
		"Every day you choose this again is a day that counts.",
		"Thank you for being honest here. Honesty is most of the work.",
		"Some evenings are still long for me too, years in. They do pass.",
		"Be kind to yourself. Recovery is a long road, and nobody walks it in a straight line.",
	},
}
