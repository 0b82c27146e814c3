package demo

var grief = groupSpec{
	slug:        "grief-loss",
	name:        "Grief & Loss",
	description: "For anyone grieving a person, a pet, a relationship or a life they expected. No timelines, no \"should\".",
	rules: `- **There is no right way to grieve.** Please don't tell others how, or for how long.
- **Use content warnings** for details of illness or the circumstances of a death.
- **Anniversaries and holidays are hard.** Feel free to post just to mark a date.
- **In danger right now?** Please open the crisis page first.`,
	staff:   Admin,
	members: []string{"willow_song", "amber_fields", "harbor_lights", "morning_fern", "quiet_river", "lantern_keeper"},
	topics: []topicSpec{
		{welcome: true, title: "Welcome to Grief & Loss",
			body: "This group is for anyone carrying a loss, recent or long ago. You don't need to explain or justify your grief here.\n\n" +
				"Some people post long stories, some post one line on an anniversary, some only read. All of that belongs. " +
				"Please use a content warning when you describe illness or the circumstances of a death, so others can choose when to read."},
		{title: "Lost my dad three weeks ago", warning: "death of a parent",
			body: "He died on a Tuesday morning in hospital after a short illness. I keep picking up my phone to send him the football scores.\n\n" +
				"Everyone has gone back to normal, and I'm still walking round the supermarket seeing his favourite biscuits. " +
				"I don't really know why I'm posting. I think I just needed to write it somewhere.",
			answers: []string{
				"I'm so sorry about your dad. Three weeks is no time at all. Write here whenever you need to.",
			}},
		{title: "The first birthday without her", kind: ahead,
			body: "Mum would have been 70 on Saturday. We'd planned a party. Now my sister wants a small lunch \"in her honour\", " +
				"and I can't decide whether that would help or make it worse. How have you marked birthdays?",
			answers: []string{
				"We did a small lunch for my dad's first birthday after. It was hard and sad, and I'm still glad we did it, because we told stories all afternoon.",
			}},
		{title: "Grieving my dog and feeling silly about it",
			body: "Biscuit was fourteen. I had him longer than any job or relationship. People at work said \"sorry about your pet\" and moved on, " +
				"and I've been crying in the car every lunch break. Is it OK that this is hitting me harder than some human losses did?",
			answers: []string{
				"Pet grief is real grief. He was there every single day. Of course it hurts this much.",
				"Not silly at all. Fourteen years of walks and company is a huge part of a life.",
			}},
		{title: "Clearing out Dad's flat", kind: ahead,
			body: "We have to empty it by the end of the month. Every drawer is a small ambush: his handwriting on a shopping list, the jumper that still smells like him. " +
				"My brother wants it done in a weekend. I need it to be slower.\n\nHow did you decide what to keep?",
			answers: []string{
				"Take your time with the belongings. There's no prize for doing it fast. We kept one box aside to decide about later.",
				"I photographed things I couldn't keep. It helped more than I expected to let them go.",
			}},
		{title: "Nobody says his name any more",
			body: "It's been a year since my husband died, and people have stopped saying his name. I think they're afraid of upsetting me. " +
				"But hearing it is the thing I want most. Has anyone found a way to tell friends this?",
			answers: []string{
				"Say his name here as often as you like. We'd love to hear about him.",
				"People stopping mentioning them was one of the hardest parts for me too. I started saying the name first, and it gave others permission.",
			}},
		{title: "Anger I didn't expect",
			body: "I thought grief would be sadness. Mostly it's anger: at the hospital for the wait, at my uncle for not visiting, " +
				"at my friend for complaining about her mother, who is alive. I'm not proud of it. Did anger come up for you too?",
			answers: []string{
				"Anger was a big part of my grief too. It didn't make me a bad person. It was love with nowhere to go.",
			}},
		{title: "Going back to work after a bereavement", kind: ahead,
			body: "I go back on Monday after four weeks off. I'm dreading the kind looks and the questions in the kitchen. " +
				"I'm also dreading nobody saying anything. What helped you through the first week back?",
			answers: []string{
				"I asked one colleague to tell everyone I'd rather people said \"sorry\" and then talked about normal things. It took the pressure off the kitchen.",
			}},
		{title: "Losing a friend suddenly", warning: "sudden death",
			body: "My best friend from school died in an accident last month. We were 34. We used to message every day, mostly nonsense. " +
				"I keep opening our chat and reading it from the top. I don't know how to carry something this sudden."},
		{title: "Grief at Christmas",
			body: "Everything is fairy lights and adverts about families round a table, and I want to hide until January. " +
				"Last year was the first without Gran and it was awful. Has anyone done the holidays differently in a way that actually helped?"},
		{title: "Dreams about him",
			body: "Three nights in a row I've dreamt that Dad is just in the next room, and waking up is like losing him again. " +
				"Part of me wants the dreams to stop, and part of me never wants them to. Does this happen to others?"},
		{title: "A year today",
			body: "One year since Mum died. I took the day off, walked the coastal path she loved, and ate a terrible ice cream in her honour. " +
				"It was sad and also kind of lovely. Just marking the day here, with people who understand.",
			answers: []string{
				"Thinking of you and your mum today. It sounds like you honoured her beautifully.",
				"A terrible ice cream in her honour is perfect. I hope the walk was kind to you.",
			}},
		{title: "Grieving him while he's still here", warning: "terminal illness",
			body: "My father has weeks, maybe less. I'm grieving him already, and then feeling guilty because he's still here and I should be present. " +
				"I sit by his bed and my mind is planning the funeral. Is it normal to feel both at once?"},
		{title: "Other people's good news hurts right now",
			body: "My cousin announced her engagement and I felt nothing but tired, and then awful for feeling tired. I used to love this stuff. " +
				"Does the ability to be happy for people come back?"},
		{title: "Grief brain is real",
			body: "I put the kettle in the fridge this morning. Last week I missed two appointments and forgot my PIN. I used to be the organised one.\n\n" +
				"Someone told me grief affects memory and concentration, and honestly it helped to hear that it's a thing."},
		{title: "Writing letters to Mum",
			body: "A friend suggested I write to her like I used to when I lived abroad. I've written four now. " +
				"I tell her the little things: the garden, the neighbour's new cat, how my son's exams went. I feel closer to her when I do. Does anyone else do something like this?",
			answers: []string{
				"I do this too, in a notebook I keep by the bed. It feels like keeping a conversation going.",
			}},
		{title: "She raised me, and people say it was 'her time'",
			body: "People treat it as a natural loss because she was 91. But my gran raised me from the age of six; she was my parent in every way that mattered. " +
				"I feel like my grief isn't taken seriously because of her age."},
		{title: "When the cards stop coming",
			body: "For the first month the house was full of flowers and cards and casseroles. Now it's quiet and I'm the only one still in it. " +
				"I don't blame anyone; life goes on. I just wasn't ready for the quiet part."},
		{title: "Is it too soon to laugh?",
			body: "At the pub after the funeral someone told the story of Grandad getting stuck in a deckchair, and we all laughed until we cried. " +
				"Then I felt terrible. My aunt says he'd have loved it. Does laughing at times like this feel OK to you?",
			answers: []string{
				"Laughing after a funeral is one of the most human things there is. It's love too.",
				"Your aunt is right. The best stories make you laugh and cry at once.",
			}},
		{title: "Scattering ashes: how did you decide?", kind: ahead,
			body: "We've had Dad's ashes for eight months. Mum wants the garden, my brother wants the lake where he fished, and I can't choose. " +
				"Does anyone have experience of dividing them, or choosing one place?",
			answers: []string{
				"We divided Mum's, in the end: some in the garden, some at the beach she loved. Nobody had to win.",
			}},
		{title: "Grief and my marriage",
			body: "Since my mum died, my husband and I keep missing each other. He wants to help and keeps trying to fix things; I just want him to sit with me. " +
				"We've started having tense evenings. Has grief strained your relationships?"},
		{title: "The things I didn't say",
			body: "We had a silly argument the last time we spoke — about parking, of all things. I keep replaying it. " +
				"I know she knew I loved her. I still wish I'd said it that day."},
		{title: "Saying goodbye to my cat",
			body: "We had to make the decision yesterday. She was nineteen and very poorly. The house is so quiet without her yelling for breakfast. " +
				"I know it was the kind thing to do, and still.",
			answers: []string{
				"Pet grief is real grief. Nineteen years is a whole lifetime together. I'm so sorry.",
				"The quiet at breakfast time got me too. It was the kind thing to do, and it still hurts. Both are true.",
			}},
		{title: "Has anyone been to an in-person grief group?", kind: ahead,
			body: "There's one at the library on Wednesday evenings. I'm nervous about crying in front of strangers, even though that's kind of the point.",
			answers: []string{
				"I went to one for a year. Everyone cried at some point, and nobody minded. The tea was terrible and the people were wonderful.",
			}},
		{title: "Something good happened and I wanted to tell him", kind: good,
			body: "I got the job. The first thing I did was reach for my phone to call Dad. Then I remembered.\n\n" +
				"I'm happy and gutted at the same time. So I'm telling you all instead.",
			answers: []string{
				"Congratulations on the job. He would have been so proud. I'm sorry he's not at the end of the phone.",
			}},
	},
	replies: []string{
		"I still talk to my mum out loud in the car. Five years on. It helps me.",
		"Grief comes in waves for me. Some days I'm fine for hours, then a song in a shop flattens me. Let the waves come; they do pass.",
		"The first year is full of firsts, and each one is hard in its own way. Be gentle with the dates.",
		"There's no timeline. Anyone who says you should be \"over it\" by now hasn't been here.",
		"My grief counsellor called it \"carrying it differently\" rather than getting over it. That helped me more than anything anyone else said.",
		"Grief is exhausting in a way nobody warns you about. Be gentle with yourself.",
		"I'm so sorry. Thank you for telling us about them.",
	},
}
