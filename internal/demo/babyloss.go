package demo

var babyLoss = groupSpec{
	slug: "pregnancy-infant-loss",
	name: "Pregnancy & Infant Loss",
	description: "A private group for anyone who has lost a pregnancy or a baby, and their partners. " +
		"Members join by invitation or by asking the moderators.",
	rules: `- **What's said here stays here.** This group is private; please don't share its posts outside it.
- **Every loss counts,** at any stage. No comparing.
- **Pregnancy news needs a content warning** ("pregnancy after loss").
- **Use content warnings** for medical details.`,
	staff:   Moderator,
	private: true,
	members: []string{"willow_song", "small_sparrow", "paper_boats", "slow_tide"},
	topics: []topicSpec{
		{welcome: true, title: "Welcome to this private group",
			body: "This is a private group: only members can read it, and new members join by invitation or by asking the moderators. " +
				"Share as much or as little as you want.\n\nEvery loss counts, whatever stage it happened at. " +
				"Please use the content warning \"pregnancy after loss\" for pregnancy news, and \"medical details\" where needed, so everyone can look after themselves."},
		{title: "Our loss at 10 weeks", warning: "miscarriage",
			body: "We found out at the scan that there was no heartbeat. Everyone keeps saying \"at least it was early\". It didn't feel early to us; we'd already picked names.\n\n" +
				"I needed to write that somewhere people wouldn't say \"at least\".",
			answers: []string{
				"I'm so sorry. There's no \"at least\" about it. You'd already picked names; that baby was already yours.",
			}},
		{title: "Due date coming up", kind: ahead,
			body: "It would have been my due date next Thursday. I've taken the day off and I don't know what to do with it. Did you mark the date in any way?",
			answers: []string{
				"We marked our due date with a walk and a candle. It didn't make it easy, but it made it ours.",
			}},
		{title: "Partners grieve too",
			body: "My wife lost our baby in March and everyone asks how she is. Rightly. But nobody asks me, and I don't feel I'm allowed to fall apart. " +
				"Any other dads or partners here?",
			answers: []string{
				"Partner here too. Thank you for saying it. I felt invisible for months.",
			}},
		{title: "Baby showers and announcements",
			body: "Three pregnancy announcements on my feed this week, and an invitation to a baby shower. I'm happy for them, truly. " +
				"I also had to put my phone in a drawer. How are you handling these?",
			answers: []string{
				"Muting people for a while isn't unkind. It's looking after yourself.",
			}},
		{title: "Remembering our son", warning: "stillbirth",
			body: "Our son was stillborn at 37 weeks, a year ago this month. We have his handprints framed in the hallway. Some visitors look away from them. " +
				"We want people to see him. He was here.",
			answers: []string{
				"His handprints in your hallway are love. Other people's discomfort isn't yours to carry.",
				"Thank you for telling us about him. He was here, and he matters.",
			}},
		{title: "Going back to work after our loss", kind: ahead,
			body: "My colleagues knew I was pregnant. Now I'm going back and they'll all know. I'm dreading the silence more than the questions."},
		{title: "Trying again — terrified", kind: ahead, warning: "pregnancy after loss",
			body: "We've decided to try again. I'm excited and absolutely terrified at the same time. I don't know how to hope without bracing for the worst. How did you cope?"},
		{title: "\"Do you have kids?\"",
			body: "A new colleague asked me this at lunch and I froze. Yes, I do, she died? No, I don't — which feels like erasing her. What do you say?",
			answers: []string{
				"These days I say \"yes, one, she isn't with us\". Some days I just say no, and that's OK too.",
			}},
		{title: "The hospital bag is still in the cupboard",
			body: "I can't unpack it. Tiny vests, the blanket my mum knitted. It's been four months. I open the cupboard and close it again."},
		{title: "Our third loss", warning: "miscarriage",
			body: "I'm starting to feel like my body is broken. The doctors are running tests. I'm tired of being hopeful and then not. Has anyone else been through recurrent loss?"},
		{title: "Memory box ideas", kind: ahead,
			body: "I want to make a memory box for our daughter. So far: the scan pictures, her hospital bracelet, a card from the midwife. What have others put in theirs?",
			answers: []string{
				"Our memory box has the tiny hat from the hospital and the cards people sent. I open it on hard days and on good ones.",
				"We added a letter from each of us, and a pressed flower from the day.",
			}},
		{title: "My mum doesn't understand",
			body: "She said \"you're young, you can try again\", and I had to leave the room. I know she's trying. It still felt like she was saying our baby was replaceable."},
		{title: "Our rainbow baby is here", kind: good, warning: "pregnancy after loss",
			body: "Sharing carefully, with a warning on: our little girl arrived safely last month. She doesn't replace her brother, and we talk to her about him every day.\n\n" +
				"Thank you for holding us through the frightening months."},
		{title: "Angry at my body",
			body: "I know it's irrational. I'm angry at my body for failing at the one thing I wanted it to do. Has that feeling eased for anyone?"},
		{title: "Wave of light on the 15th", kind: ahead,
			body: "We're lighting a candle at 7pm for Baby Loss Awareness Week. Anyone else joining? It's comforting to think of all the candles at once.",
			answers: []string{
				"Lighting a candle at seven with you.",
				"We'll be there too, for our Rosie.",
			}},
		{title: "Counselling together after loss", kind: ahead,
			body: "We grieve so differently. He wants to talk about it; I want to be left alone with it. We've booked a counsellor. Did it help the two of you find each other again?",
			answers: []string{
				"Counselling helped us understand that grieving differently wasn't the same as grieving less.",
			}},
		{title: "Six months on",
			body: "Six months today. Some days I feel almost normal, then I see a pram and I'm back at the start. I'm told this is how it goes. Checking in."},
		{title: "Naming the babies we lost",
			body: "We didn't name our first, because it felt too early. Now I wish we had. Is it strange to give a name later?",
			answers: []string{
				"It's never too late to name a baby. We named ours a year later.",
			}},
		{title: "Grateful for this space", kind: good,
			body: "I couldn't talk about it anywhere else without someone trying to cheer me up. Here I can just say it. Thank you for being here."},
	},
	replies: []string{
		"Every loss counts, at any stage. Nobody gets to measure it for you.",
		"Holding you in my thoughts. This group held me when I couldn't hold myself.",
		"Your baby mattered, and so does your grief.",
		"I'm so sorry. Thank you for trusting us with this.",
		"There's no timeline for this. Be as gentle with yourself as you would be with a friend.",
	},
}
