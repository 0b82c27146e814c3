package demo

var anxiety = groupSpec{
	slug: "anxiety-panic",
	name: "Anxiety & Panic",
	description: "For panic attacks, constant worry, health anxiety and the days when everything feels like too much. " +
		"Share what's happening and what helps.",
	rules: `- **Be kind.** Everyone here is doing their best on a hard day.
- **Share experience, not prescriptions.** Say what helped you; don't tell anyone what to take or stop taking.
- **Use content warnings** for anything graphic, and for self-harm.
- **In danger right now?** Please open the crisis page first: moderators are volunteers and may not see your post in time.`,
	staff:   Moderator,
	members: []string{"quiet_river", "north_light", "paper_boats", "small_sparrow", "blue_kettle", "steady_oak"},
	topics: []topicSpec{
		{welcome: true, title: "Welcome, and how this group works",
			body: "Hi everyone, I'm one of the volunteer moderators here.\n\n" +
				"This is a space to talk about anxiety and panic as you actually live it: the racing heart in the supermarket queue, " +
				"the 3am what-ifs, the days you cancel everything. A few things keep it safe:\n\n" +
				"- share what helped *you*, rather than telling people what to do;\n" +
				"- use a content warning when a post touches on hurting yourself, or anything graphic;\n" +
				"- if you are in danger right now, the crisis page comes first.\n\n" +
				"Introduce yourself below if you like, or just read for a while. Both are fine."},
		{title: "First panic attack in a supermarket, still shaky",
			body: "It happened in the checkout queue of all places. My chest went tight, my hands went numb and I was sure everyone was staring. " +
				"I left my basket and sat in the car for forty minutes.\n\nI'm home now and still feel wobbly. Is it normal to feel wiped out for the rest of the day?",
			answers: []string{
				"The exhaustion afterwards is so real. My whole body feels like it's been through a storm. Be extra kind to yourself for the rest of the day.",
				"Panic lies. It tells you you're in danger when you're in a supermarket queue. You got through it, and that's proof for next time.",
			}},
		{title: "The 3am what-ifs",
			body: "Every night around three I wake up and my brain starts a list: what if I lose my job, what if that headache is something, " +
				"what if I said the wrong thing at dinner. By morning none of it feels real, but at 3am it's all I can think about.\n\nHow do you all get back to sleep?",
			answers: []string{
				"The what-ifs at night are the worst. I keep a notebook by the bed and write them down so my brain believes they'll still be there in the morning. Sounds daft, but it helps me let go of them.",
				"3am brain is a liar. Nothing I've ever worried about at that hour looked the same after breakfast.",
			}},
		{title: "Small win: I made the phone call", kind: good,
			body: "I've been putting off calling the bank for three weeks because phone calls make my stomach drop. " +
				"Today I wrote down exactly what to say, put it on the table in front of me and did it. Took four minutes.\n\n" +
				"I'm weirdly proud, and also a bit embarrassed that it was such a big deal.",
			answers: []string{
				"I'm the same with phone calls. Writing a script first is my secret weapon. Nobody has ever noticed.",
				"Four minutes after three weeks of dread — I know that feeling exactly. Well done.",
			}},
		{title: "Health anxiety spiral after searching online", warning: "health worries",
			body: "I found a lump on my arm that turned out to be nothing — the doctor said so twice — but I spent a whole weekend reading about worst cases first. " +
				"I know searching makes it worse. I still can't stop checking it.\n\nHas anyone found a way of breaking the checking habit?"},
		{title: "Going back to the office after two years at home", kind: ahead,
			body: "My team is going back three days a week from next month. I got used to working from my kitchen, where nobody can see my face when a wave hits. " +
				"The commute alone is costing me sleep already. Anyone been through the switch back?",
			answers: []string{
				"Could you do a practice run of the commute one day before you start, with no pressure to go in? That helped me a lot.",
			}},
		{title: "Breathing exercises make it worse for me?",
			body: "Everyone says slow breathing helps, and I'm sure it does for lots of people, but when I focus on my breath I notice every tiny hitch and it sets me off. " +
				"Is that just me? What do you do instead?",
			answers: []string{
				"Not just you! Focusing on my breath makes me hyper-aware too. Counting things I can see works better for me.",
				"Same. I hum instead. It sounds silly, but it slows everything down without me having to watch my breathing.",
			}},
		{title: "Telling my partner what panic actually feels like", kind: ahead,
			body: "We've been together four years and I've never properly explained it. He thinks it's like being nervous before an exam. " +
				"I want him to understand without frightening him. How did you describe it to the people close to you?",
			answers: []string{
				"I told mine it's like the feeling when you miss a step on the stairs, except it doesn't stop for ten minutes. Something clicked for him then.",
			}},
		{title: "Cancelled on my friends again",
			body: "Third time this month. I got dressed, got as far as the front door and just couldn't. I sent a vague message about feeling unwell.\n\n" +
				"Now I'm sitting here feeling guilty and also relieved, which makes me feel worse. I'm scared they'll stop inviting me.",
			answers: []string{
				"The guilt and relief at the same time — yes. A friend of mine now says \"come if you can, no explanations needed\", and it has made it so much easier to actually turn up.",
			}},
		{title: "The school gate is the hardest ten minutes of my day",
			body: "All the parents standing in little groups, chatting. I smile, hand over the book bags and leave as fast as I can. " +
				"Does anyone else find the school run this hard?"},
		{title: "Old urges coming back", warning: "mentions of self-harm", crisis: true,
			body: "I want to be honest somewhere. It's been over two years since the last time I hurt myself, and this week the urge to self-harm came back " +
				"during a really bad stretch of panic.\n\nI haven't acted on it. I called my sister last night and I've put the things away at her place. " +
				"I'm posting because saying it out loud makes it smaller. I don't think I need advice, I just needed someone to know.",
			thread: []replySpec{
				{byStaff, "Thank you for telling us, and for telling your sister. Calling her and moving things out of the house were real, strong steps, " +
					"and you took them in the middle of a hard week. I'm glad you're here.\n\n" +
					"If it ever feels like it's getting closer, the crisis page has numbers that answer day and night — please use it rather than waiting for a reply here. " +
					"How are you doing this morning?"},
				{"", "Two years is something you built, and one hard week doesn't erase it. I'm really glad you said it out loud. Sending you strength."},
				{"", "The same thing happened to me after a long gap, and the surprise of it was the worst part. It did pass. You did everything right by reaching out."},
				{byAuthor, "Thank you, all of you. I slept a bit better. My sister is coming over tonight and I've booked a session with my counsellor for Thursday. " +
					"Reading this helped more than I expected."},
			}},
		{title: "Does anyone else rehearse conversations for hours?",
			body: "Before any call or meeting I run through every possible version in my head: what they'll say, what I'll say, what happens if I stumble. " +
				"By the time it happens I'm exhausted. Afterwards I replay it all again, checking for mistakes.",
			answers: []string{
				"I rehearse too. My counsellor suggested giving myself a time limit: ten minutes of worrying, then something with my hands. Some days it works.",
				"And then the replay afterwards! I've started telling myself that nobody else is replaying it. They really aren't.",
			}},
		{title: "Panic on the motorway", kind: ahead,
			body: "I had to pull onto the hard shoulder yesterday because my vision went strange and my heart was pounding. I've driven for fifteen years and never had this. " +
				"Now I don't want to drive anywhere.\n\nHas anyone got back behind the wheel after something like this?",
			answers: []string{
				"I went back to driving by doing the same short route every day for two weeks, with a friend at first. Boring, and it worked for me.",
			}},
		{title: "Things that help me on bad days (add yours)",
			body: "I thought a list might be useful to have in one place. Mine:\n\n" +
				"- cold water on my wrists\n- naming five things I can see\n- a playlist I only use for bad days\n" +
				"- texting one friend the word \"wobbly\" so she knows without me explaining\n\nWhat's on yours?",
			answers: []string{
				"Holding an ice cube until it melts. Sounds odd, works for me.",
				"A very boring podcast. The more boring the better.",
				"Stroking the cat and counting her purrs. She doesn't mind.",
				"Writing \"this will pass\" on my hand. Then I see it every time I look down.",
			}},
		{title: "Started therapy, first session was strange", kind: ahead,
			body: "I finally went. I expected to cry or have some big breakthrough, and instead I mostly talked about my job and felt awkward. " +
				"She said the first few sessions are often like that. Did it feel odd for you at the start?",
			answers: []string{
				"For what it's worth, the first few sessions felt awkward for me too. It got easier once I stopped trying to be a good patient.",
			}},
		{title: "Anxious for no reason at all",
			body: "Nothing is wrong today. Work is fine, home is fine, the sun is out. And still there's that hum under everything, like I've forgotten something terrible. " +
				"It's almost harder when I can't point at a cause.",
			answers: []string{
				"The hum under everything — yes. I call it the background noise. Some days it's louder for no reason at all.",
			}},
		{title: "How much do you tell people at work?", kind: ahead,
			body: "I need to leave meetings sometimes when it builds up. My manager is decent, but I don't know how much to say. " +
				"\"I have anxiety\" feels both too much and not enough. What have you told employers, if anything?",
			answers: []string{
				"It helped me to tell one person at work, just one, so someone understood if I slipped out of a meeting.",
				"I said \"I have a health condition that sometimes means I need a short break\". No one has asked for more.",
			}},
		{title: "Six months without a full-blown attack", kind: good,
			body: "I noticed today that it's been six months. I still get the flutters and still avoid some places, but no full attacks. A year ago I couldn't take the bus.\n\n" +
				"Posting this for anyone in the thick of it right now: it does shift."},
		{title: "Caffeine and me: a breakup story",
			body: "I switched to decaf three weeks ago after noticing my worst mornings came right after my second coffee. The first week was grim. " +
				"I'm not saying it's the answer for anyone else, but my mornings are quieter now. Has anyone else noticed patterns like this?"},
		{title: "Scared of the dentist (properly scared)", kind: ahead,
			body: "I have an appointment on Friday and I'm already not sleeping. Last time I walked out of the waiting room. " +
				"I've told the receptionist this time, which is a start. How do you get through appointments like this?",
			answers: []string{
				"Telling the receptionist is a big step. Mine let me agree a hand signal with the dentist for \"stop\", and knowing I could stop made it bearable.",
			}},
		{title: "Bridesmaid with social anxiety", kind: ahead,
			body: "My sister's wedding is in five weeks. I'm a bridesmaid, and there will be a speech, photos and 120 people. " +
				"I love her and I want to be there fully. I'm planning breaks. Any ideas for getting through a long day like this?",
			answers: []string{
				"Could you ask one person at the wedding to be your check-in buddy? Someone who knows to come and find you if you disappear for a bit.",
			}},
		{title: "Worried my kids are picking this up from me", kind: ahead,
			body: "My daughter is nine, and I saw her checking the door locks twice last night. It might be nothing. But I do that, and I'm scared she's learning my worry. " +
				"How do you talk to kids about this without passing it on?"},
		{title: "Weekends are the hardest",
			body: "During the week, work gives me structure. On Saturdays the hours stretch out and my mind fills every gap with worry. " +
				"I've started planning one small thing for each weekend morning. Anyone else find unstructured time harder?"},
		{title: "I said no to something and the world didn't end", kind: good,
			body: "A colleague asked me to take on another project, and instead of saying yes and panicking later I said I didn't have room. " +
				"My heart was going like mad. She just said \"fair enough\". That was it.\n\nSharing because it felt huge."},
		{title: "Checking in after a rough week",
			body: "Not much to say really. It's been a lot of tight chest and short sleep. Got through it. " +
				"Making soup tonight and going to bed early. Hope everyone here is being gentle with themselves."},
	},
	replies: []string{
		"When it builds, I hold something cold and name five things I can see. It doesn't stop it, but it gives the wave something to break against.",
		"I had to learn that avoiding things made the anxiety bigger — but also to go slowly. Tiny steps, not heroic ones.",
		"You're not overreacting. Anxiety makes ordinary things feel enormous, and you still did them.",
		"Anxiety is so physical, and people forget that. Of course you're worn out.",
		"Someone once told me courage is doing the thing while shaking. You're doing it.",
		"I recognise this so much. The body reacts long before the head catches up.",
	},
}
