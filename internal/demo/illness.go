package demo

var illness = groupSpec{
	slug: "chronic-illness",
	name: "Living with Chronic Illness",
	description: "Pain, fatigue, flares, appointments and the parts of chronic illness nobody sees. " +
		"Any condition, diagnosed or not yet.",
	rules: `- **We don't give medical advice.** Share your experience; treatment decisions belong to you and your care team.
- **Use a content warning** ("medical details") for procedures, symptoms or anything graphic.
- **No cures, supplements or sales.** Posts selling or promising cures are removed.
- **Believe each other.** Invisible illness is real illness.`,
	staff:   Admin,
	members: []string{"morning_fern", "paper_boats", "small_sparrow", "amber_fields", "slow_tide", "willow_song"},
	topics: []topicSpec{
		{welcome: true, title: "Welcome — a few words before you post",
			body: "Welcome to Living with Chronic Illness. Whatever you live with, and whether or not it has a name yet, you're welcome here.\n\n" +
				"This is a peer group: we share what life is like and what has helped us, but we don't tell each other what treatment to take. " +
				"Please use \"medical details\" as a content warning when you describe procedures or symptoms. Rest when you need to; this group will still be here."},
		{title: "Spoons ran out by 10am",
			body: "Shower, breakfast, one email. That's all it took today. I'd planned to do the shopping and see a friend, and now I'm on the sofa under a blanket at 10am " +
				"feeling like I've run a marathon. Tomorrow is another day, I suppose.",
			answers: []string{
				"10am spoon crash club, reporting in. Tomorrow is another day, and today you did three things. That counts.",
			}},
		{title: "Finally got a diagnosis after six years", warning: "medical details",
			body: "After six years, four specialists and more blood tests than I can count, I have a name for it. I expected relief, and I do feel some. " +
				"Mostly I feel tired, and strangely sad for the years I spent being told it was stress.",
			answers: []string{
				"Relief and grief at the same time — that was my diagnosis day too. Those six years of not being believed deserve grieving.",
			}},
		{title: "Explaining invisible illness to my boss", kind: ahead,
			body: "I look fine. That's the problem. My manager saw me laughing at lunch and then questioned why I needed to work from home the next day. " +
				"How do you explain fluctuating energy to people who only see the good hours?",
			answers: []string{
				"I tell people I'm having a low-battery day. It's easier than explaining everything.",
				"I showed my manager the spoon theory once. It changed how she saw my good hours.",
			}},
		{title: "Flare week, checking in",
			body: "Bad flare this week. Mostly in bed, cancelled everything. Not looking for advice, I just don't want to disappear completely. Hope your weeks are kinder.",
			answers: []string{
				"Under a blanket with you in spirit. Flare weeks are brutal.",
			}},
		{title: "Pacing: does it work for you?",
			body: "My physio keeps talking about pacing and I get the idea, but when I have a good day I want to do everything, and then I pay for it for three days. " +
				"How do you stop yourself overdoing it on good days?",
			answers: []string{
				"Pacing is so hard on good days. I set a timer and stop when it goes off, even if I feel fine. Especially if I feel fine.",
			}},
		{title: "Grieving the life I had planned",
			body: "Two years ago I was training for a half marathon. Now a walk to the end of the road is a good day. " +
				"I know I should focus on what I can do, but some days I just miss my old body.",
			answers: []string{
				"Grieving your old life is completely valid. I still miss mine. Both things can be true: I miss it, and I'm building something new.",
			}},
		{title: "Making the most of short appointments", kind: ahead, warning: "medical details",
			body: "Big review next week where they'll decide on the next step in my treatment. I've written my questions down, " +
				"but I always forget half of what they say once I'm in the room. How do you get the most out of a ten-minute slot?",
			answers: []string{
				"Writing questions down helps me, and I ask if I can record the conversation so I can listen again later.",
				"I put my top three questions at the very top of the list. If that's all we get through, it was still worth it.",
			}},
		{title: "The \"but you look so well\" comments",
			body: "If I had a pound for every time. I know people mean well, but it makes me feel like I have to prove I'm ill. What do you say back?",
			answers: []string{
				"I've started saying \"thanks, it's taken a lot of work to look like this\". Usually ends the conversation kindly.",
			}},
		{title: "Brain fog is stealing my words",
			body: "I was mid-sentence at dinner and lost the word for \"spoon\". Everyone laughed kindly, but it frightened me. Foggy days are getting more common. " +
				"Does anyone have small tricks that help?",
			answers: []string{
				"Foggy days are the worst. I keep a notebook and write everything down, however small.",
				"I describe the thing instead when the word won't come: \"the soup shovel\". My family now calls spoons soup shovels.",
			}},
		{title: "Dating with a chronic illness", kind: ahead,
			body: "When do you tell someone? First date feels too soon; third date feels like hiding something. " +
				"I've been single since I got ill and I'm thinking about trying again. Nervous."},
		{title: "Good day! Went to the garden centre", kind: good,
			body: "Sharing a good one. Felt well enough to go out, bought two little tomato plants and had a coffee in the café. Home, tired, happy.",
			answers: []string{
				"Celebrating your good day with you! Tomato plants are a great choice.",
			}},
		{title: "Disability support forms are exhausting",
			body: "The forms ask you to describe your worst days in detail, while you're having them. I've spent hours on it this week. " +
				"Anyone else going through it? Solidarity, mostly.",
			answers: []string{
				"Forms that ask you to describe your worst days are exhausting. Take breaks, and get someone to read it over if you can.",
			}},
		{title: "Losing friends since getting ill",
			body: "I've cancelled plans so many times that the invitations have stopped. I understand. It still hurts. " +
				"Has anyone kept friendships going when you can't show up the way you used to?"},
		{title: "Parenting with chronic pain",
			body: "My son is five and wants to play football in the garden. Some days I can't. He's started asking \"is it a poorly day, Mummy?\" and it breaks my heart. " +
				"How do you handle it with young kids?"},
		{title: "Trying a new routine, week one", kind: ahead,
			body: "Resting before I'm tired, not after. Alarms on my phone to remind me to stop. Week one is going OK-ish. " +
				"Posting so I can come back and see how it went."},
		{title: "Weather changes and flares",
			body: "Is it just me, or does every cold front go straight into my joints? I can predict rain better than the forecast."},
		{title: "Guilt about my partner doing everything",
			body: "He cooks, cleans, drives me to appointments and never complains. I feel like a burden. He says I'm not. How do you handle that imbalance?",
			answers: []string{
				"I carry the \"burden\" guilt too. My partner once told me he'd rather do the washing up forever than not have me. I try to remember that.",
			}},
		{title: "Finally being believed", kind: good,
			body: "For years I was told it was anxiety. A new doctor listened for twenty minutes and said, \"I believe you; let's find out what's going on.\" " +
				"I cried in the car park. Just wanted to share that it can happen."},
		{title: "Going part-time — how did you decide?", kind: ahead,
			body: "I'm thinking about going down to three days. Financially scary, but I'm running on empty every week. Did reducing your hours help?"},
		{title: "Practical things that make life easier",
			body: "Shower stool, a grabber for things on the floor, shopping slots booked ahead, a flask by the bed. What are your small practical helpers?",
			answers: []string{
				"A perching stool in the kitchen. I can cook again.",
				"Pre-chopped frozen veg, no shame.",
				"A basket on each floor of the house so I'm not carrying things up and down the stairs.",
			}},
		{title: "Lonely on bad days",
			body: "When I'm stuck in bed for days, the loneliness is almost worse than the symptoms. Would anyone like to just say hello in this thread? " +
				"I'll start: hello from under a heated blanket.",
			answers: []string{
				"Hello from my sofa! You're not alone under there.",
				"Hello from a hot water bottle and a cup of tea.",
				"Waving from bed. Thanks for starting this.",
			}},
		{title: "New diagnosis, feeling overwhelmed", warning: "medical details",
			body: "Diagnosed last week. I've got a leaflet, a follow-up in three months and a head full of questions. Everything online is either terrifying or selling something. " +
				"How did you cope in the first weeks?"},
		{title: "A full week at work!", kind: good,
			body: "First full working week in months. Exhausted, but I did it. Spent the weekend resting to make up for it, and that's OK."},
		{title: "Accepting help",
			body: "A neighbour offered to do my shopping, and my first instinct was to say no, I'm fine. I said yes. It was hard. Why is accepting help so difficult?",
			answers: []string{
				"It took me years to accept help. Now I think of it as letting people be kind, which they usually want to be.",
			}},
	},
	replies: []string{
		"Invisible illness is so lonely. I believe you.",
		"Rest without guilt, if you can. Your body is doing a lot of work you can't see.",
		"Chronic illness is a full-time job nobody applied for. Go easy on yourself.",
		"Sending gentle thoughts. Some weeks are just about getting through.",
		"I believe you. That matters, and it shouldn't be so rare.",
		"The unpredictability is the hardest part for me too. Plans always come with an asterisk.",
	},
}
