package demo

var caregivers = groupSpec{
	slug:        "caregivers",
	name:        "Caregivers",
	description: "For those caring for a parent, partner, child or friend. Your needs matter too.",
	rules: `- **This is your space.** Vent, ask, celebrate: you don't have to be a perfect carer here.
- **Protect the privacy of the person you care for.** Leave out names and identifying details.
- **Use content warnings** for medical details or end-of-life care.
- **Share experience, not instructions.** What worked for you might not fit someone else.`,
	staff:   Admin,
	members: []string{"harbor_lights", "amber_fields", "lantern_keeper", "north_light", "morning_fern", "blue_kettle"},
	topics: []topicSpec{
		{welcome: true, title: "Welcome, carers",
			body: "Caring for someone you love can be full of meaning and utterly exhausting, often in the same hour. This is a place to say both.\n\n" +
				"Please protect the privacy of the person you care for — no names or identifying details — and use a content warning for medical details or end-of-life care. " +
				"We're glad you found us."},
		{title: "Mum doesn't recognise me some days", warning: "dementia",
			body: "Today she asked who I was and whether I'd come to fix the boiler. I said yes, and made her a cup of tea instead. " +
				"An hour later she knew me perfectly. I don't know how to prepare for the days when she won't come back.",
			answers: []string{
				"Playing along and making the tea was such a kind thing to do. I don't think anyone can really prepare for those days; you're doing it with love.",
			}},
		{title: "Carer burnout is real",
			body: "I haven't slept more than four hours in a row for months. I snapped at Dad for spilling his tea and then cried in the bathroom. " +
				"I love him, I chose this, and I'm running on empty. How do you get breaks?",
			answers: []string{
				"Snapping and then crying in the bathroom — I've done exactly that. It doesn't make you a bad carer. It means you need a break.",
			}},
		{title: "Respite care: did you feel guilty?", kind: ahead,
			body: "We've been offered a week of respite care for my husband. Everyone says take it. All I can think is that he'll feel abandoned. " +
				"If you've used respite, how did it go?",
			answers: []string{
				"Please take the respite. You can't pour from an empty cup, and you matter too.",
				"We used respite for the first time last spring. I felt awful for a day and then slept for two. He was fine, and I came back a better carer.",
			}},
		{title: "Caring for my partner and losing myself",
			body: "My wife has MS and I'm her main carer. I love her. But I can't remember the last thing I did just for me. " +
				"My hobbies have gone and my friends are distant. How do you keep some of yourself?"},
		{title: "The sibling who doesn't help",
			body: "I live ten minutes from Dad. My brother lives two hours away, visits twice a year, and then tells me what I'm doing wrong. " +
				"I'm so angry. Anyone else dealing with this?",
			answers: []string{
				"Oh, the twice-a-year expert. My sister is the same. I'm sorry; it's so unfair.",
			}},
		{title: "Juggling work and caring",
			body: "Three calls from Dad's care agency during one meeting today. My boss was fine, but I'm sure people are noticing. " +
				"How do you manage work and caring without burning out at both?"},
		{title: "A small moment of joy", kind: good,
			body: "Dad's been quiet for weeks. Today I put on the old records he used to play, and he sang along to every word. " +
				"For three minutes he was completely himself. I'm holding onto that.",
			answers: []string{
				"Moments like the records are the ones I hold onto as well. They're real, even when they're brief.",
			}},
		{title: "Parenting a child with complex needs",
			body: "My son is seven and needs care through the night. People say \"I don't know how you do it\". Honestly, neither do I. " +
				"Is anyone here parenting a child with complex needs? I'd love to hear from you."},
		{title: "Moving Mum into a care home", kind: ahead,
			body: "We've made the decision. The home is lovely and the staff are kind. I still feel like I'm failing her: years ago she made me promise she'd never go into a home. " +
				"Has anyone else had to break a promise like that?",
			answers: []string{
				"Breaking that promise doesn't make you a bad daughter. Keeping her safe is its own way of keeping a promise.",
			}},
		{title: "Hospital discharge chaos", kind: ahead,
			body: "Dad is being discharged tomorrow with no care plan in place, and I'm on my own with it. I've been on the phone all day. " +
				"Has anyone been through this and got things sorted?",
			answers: []string{
				"Ask for the discharge coordinator by name, and keep a note of who you spoke to and when. It helped me push for a plan.",
			}},
		{title: "The anger nobody talks about",
			body: "Sometimes I feel furious at my husband for being ill. It's not his fault, I know that, and I'd never say it to him. " +
				"But the anger is there, and then the guilt. Please tell me I'm not the only one.",
			answers: []string{
				"The anger and the guilt — I know them both. Neither means you love him any less.",
			}},
		{title: "Carer's assessment — worth it?", kind: ahead,
			body: "Someone at the surgery mentioned I could ask for a carer's assessment. Has anyone had one? Did it lead to any real support?",
			answers: []string{
				"The assessment didn't solve everything for me, but it got me two afternoons a week, and those afternoons kept me going.",
			}},
		{title: "Caring from 300 miles away",
			body: "Mum lives 300 miles away. I do everything by phone and visit once a month. I feel guilty all the time: " +
				"guilty when I'm there and not at home, guilty when I'm home and not there."},
		{title: "Nights are the hardest",
			body: "He wakes every couple of hours, confused and frightened, and I'm awake with him. By morning I'm a ghost. What helps you get through the nights?",
			answers: []string{
				"Nights are the hardest for me too. I nap when he naps, even if the house is a mess.",
			}},
		{title: "My own health is slipping",
			body: "I've been ignoring my own appointments for a year, too busy with Mum's. My back is bad and I keep getting colds. " +
				"How do you make space for your own health?",
			answers: []string{
				"Your health matters as much as hers. Book the appointment — for her as much as for you.",
			}},
		{title: "Young carer, now grown up",
			body: "I cared for my mum from the age of twelve. I'm 29 now and only just realising how much it shaped me. Any other former young carers here?",
			answers: []string{
				"Former young carer here. It shapes you in ways you only see later. Be gentle with that younger you.",
			}},
		{title: "He's here, and he's changed",
			body: "My husband had a stroke last year. He's here, he's alive, and he's a different person: quieter, sometimes sharp with me. " +
				"I'm grieving someone who is still sitting next to me.",
			answers: []string{
				"I'm grieving someone who is still here too. It's such a lonely kind of grief. You're not alone in it.",
			}},
		{title: "Funny things the people we care for say", kind: good,
			body: "Need some light in here. My gran, 94, told the nurse today that she's \"only pretending to be old for the attention\". What's made you laugh this week?",
			answers: []string{
				"That made me laugh out loud. Thank you. My dad calls his walking frame \"the Ferrari\".",
				"My mum told the GP she'd \"only come for the biscuits\". She was not wrong.",
				"My husband introduced me to his nurse as \"the management\".",
			}},
		{title: "Caring for Dad at home at the end", warning: "end-of-life care",
			body: "We've brought Dad home for his last weeks. The nurses come twice a day; the rest is us. " +
				"It's the hardest thing I've ever done, and I wouldn't be anywhere else."},
		{title: "When friends don't understand",
			body: "My friends ask if I want to come out on Friday, as if I can just leave. I've stopped explaining. Do you have people who get it?"},
		{title: "A day off, finally", kind: good,
			body: "My sister took over for a whole Saturday. I slept until ten, walked by the river and read a book in a café. " +
				"I felt guilty for the first hour, and then I didn't. Recommended."},
		{title: "Caring for a parent who was hard on me",
			body: "Dad wasn't a kind father. Now he needs me for everything. I do it, but there's so much old hurt tangled up in it. " +
				"Is anyone else caring for someone they have a complicated history with?",
			answers: []string{
				"Sending strength. Caring for someone who hurt you is a whole other layer.",
			}},
		{title: "Keeping track of medicines and appointments",
			body: "Nine medicines, four specialists, and a hospital that keeps changing appointment times. I've started a shared calendar with my brother. What systems work for you?",
			answers: []string{
				"I keep a shared notes app with my sister for medicines and appointments. It stops me carrying everything in my head.",
				"A big paper calendar on the fridge. Low-tech, but everyone who visits can see it.",
			}},
		{title: "Thank you to this group", kind: good,
			body: "I've been reading here for months without posting. Tonight I just want to say thank you. Knowing there are people carrying the same thing makes it lighter."},
	},
	replies: []string{
		"Carers hold so much that nobody sees. I see it, and I'm sorry it's this heavy.",
		"You're doing an incredibly hard job, and you're doing it with love.",
		"Please make sure someone is looking after you too.",
		"Caring is relentless. Any break you can get, take it without guilt.",
		"The love in this post is so clear, even on a hard day.",
		"I'm caring for my dad too. Some days the only thing that helps is knowing other people are in it as well.",
	},
}
