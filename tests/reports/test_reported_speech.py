"""Spoken words into the reported speech of a press release, sentence by sentence (issue 14).

Each row: who speaks, what they said, and what the release prints: a clause after “said that”, a
quotation, or nothing (left out, with a reason the workspace shows). The rows include the sentences an
outside walkthrough saw printed wrongly (“argued that and they are …”, “underlined that Third, …”,
“observed that is exactly how …”, “pointed out that A single …”)."""

import pytest

from podium.events.models import Role
from podium.live.models import Note
from podium.reports import composer, selectors, services, speech
from podium.reports.models import Point
from podium.reports.speech import LEFT_OUT, QUOTED, REPORTED, Voice, render
from podium.reports.suggestions import suggest

CONTEXT = "Pakistan–Russia Relations: Prospects of Bilateral Cooperation"
HE = Voice(pronoun="he", country="Pakistan", organisations=("NIPS",), context=CONTEXT)
SHE = Voice(pronoun="she", country="Pakistan", organisations=("NIPS",), context=CONTEXT)
RU = Voice(pronoun="he", country="Russia", organisations=("MGIMO",), context=CONTEXT, foreign=True)
THEY = Voice(pronoun="", context="Water Security in South Asia")

ROWS = [
    (SHE, "And they are moving in the right direction.", "quoted", "“They are moving in the right direction.”"),
    (
        HE,
        "Third, Russia faces a serious demographic challenge.",
        "reported",
        "Russia faced a serious demographic challenge",
    ),
    (
        SHE,
        "That is exactly how a relationship like this should be built.",
        "quoted",
        "“That is exactly how a relationship like this should be built.”",
    ),
    (
        HE,
        "A single digital customs window for transit cargo would remove days of delay at every border.",
        "reported",
        "a single digital customs window for transit cargo would remove days of delay at every border",
    ),
    (HE, "I now invite our first discussant, Ambassador Shahid Amin.", "left out", ""),
    (
        HE,
        "I would say that Pakistan and Russia are free of disputes.",
        "reported",
        "Pakistan and Russia were free of disputes",
    ),
    (
        HE,
        "In my view, the relationship is dynamic and multi-domain.",
        "reported",
        "the relationship was dynamic and multi-domain",
    ),
    (
        HE,
        "For example, the railway could cut transit times from weeks to days.",
        "reported",
        "the railway could cut transit times from weeks to days",
    ),
    (
        SHE,
        "In my assessment, Pakistan needs a deep understanding of the Russian establishment.",
        "reported",
        "Pakistan needed a deep understanding of the Russian establishment",
    ),
    (
        HE,
        "I want to argue that the two countries are free of disputes.",
        "reported",
        "the two countries were free of disputes",
    ),
    (HE, "So, Russia is a reliable partner.", "reported", "Russia was a reliable partner"),
    (HE, "But the region lacks a single market.", "reported", "the region lacked a single market"),
    (
        HE,
        "Well, the corridor has changed the economy of Balochistan.",
        "reported",
        "the corridor had changed the economy of Balochistan",
    ),
    (HE, "Now, energy cooperation is the second pillar.", "reported", "energy cooperation was the second pillar"),
    (HE, "First, trade is far below its potential.", "reported", "trade was far below its potential"),
    (HE, "Second, the banking channel remains closed.", "reported", "the banking channel remained closed"),
    (HE, "Finally, people-to-people links matter.", "reported", "people-to-people links mattered"),
    (HE, "Secondly, visa facilitation will help students.", "reported", "visa facilitation would help students"),
    (HE, "And so, the SCO gives Pakistan a forum.", "reported", "the SCO gave Pakistan a forum"),
    (
        HE,
        "Okay, so, the first thing is the railway, which can cut costs.",
        "reported",
        "the first thing was the railway, which could cut costs",
    ),
    (HE, "I think the corridor will shape the region.", "reported", "the corridor would shape the region"),
    (
        HE,
        "I believe that Afghanistan remains the hinge of every corridor.",
        "reported",
        "Afghanistan remained the hinge of every corridor",
    ),
    (HE, "In my opinion, the banks are too cautious.", "reported", "the banks were too cautious"),
    (HE, "Trade, I think, is the key to the relationship.", "reported", "trade was the key to the relationship"),
    (
        HE,
        "It seems to me that the West is losing interest in the region.",
        "reported",
        "the West was losing interest in the region",
    ),
    (
        HE,
        "What I want to say is that the SCO has become more relevant.",
        "reported",
        "the SCO had become more relevant",
    ),
    (
        HE,
        "Frankly, the pipeline has been delayed for too long.",
        "reported",
        "the pipeline had been delayed for too long",
    ),
    (
        HE,
        "For instance, Uzbek cotton can reach Karachi in a week.",
        "reported",
        "Uzbek cotton could reach Karachi in a week",
    ),
    (HE, "Um, the the corridor is, you know, a long-term project.", "reported", "the corridor was a long-term project"),
    # “we” that no country or organisation in the sentence names is quoted, as said
    (HE, "Uh, we, we need to invest in ports.", "quoted", "“We need to invest in ports.”"),
    (HE, "In Pakistan, we need to invest in ports.", "reported", "Pakistan needed to invest in ports"),
    (SHE, "The railway — the railway will cut costs by half.", "reported", "the railway would cut costs by half"),
    (
        HE,
        "Pakistan is is ready to expand trade with Russia.",
        "reported",
        "Pakistan was ready to expand trade with Russia",
    ),
    (HE, "I have worked in Moscow for ten years.", "reported", "he had worked in Moscow for ten years"),
    (
        SHE,
        "My research shows that students want more exchanges.",
        "reported",
        "her research showed that students wanted more exchanges",
    ),
    (SHE, "I am convinced that the region needs water diplomacy.", "reported", "the region needed water diplomacy"),
    (
        HE,
        "I was in Tashkent last month and the mood has changed.",
        "reported",
        "he was in Tashkent last month and the mood had changed",
    ),
    (HE, "Our two countries have never been at war.", "reported", "the two countries had never been at war"),
    (HE, "Both our countries are members of the SCO.", "reported", "the two countries were members of the SCO"),
    (
        RU,
        "We are ready to welcome Pakistani observers at the Zapad exercises.",
        "reported",
        "Russia was ready to welcome Pakistani observers at the Zapad exercises",
    ),
    (
        HE,
        "Our research at NIPS shows that transport costs are the main barrier.",
        "reported",
        "research at NIPS showed that transport costs were the main barrier",
    ),
    (HE, "In Pakistan, we need a predictable trade policy.", "reported", "Pakistan needed a predictable trade policy"),
    (HE, "We must put our own house in order.", "quoted", "“We must put our own house in order.”"),
    (HE, "In Pakistan we must put our own house in order.", "reported", "Pakistan must put its own house in order"),
    (HE, "Our relationship is free of disputes.", "reported", "the relationship was free of disputes"),
    (THEY, "We should share data on the rivers.", "quoted", "“We should share data on the rivers.”"),
    (
        RU,  # a visiting speaker's “we” beside the host country is his own
        "Together we and Pakistan can build an early-harvest project.",
        "reported",
        "together Russia and Pakistan could build an early-harvest project",
    ),
    (
        HE,
        "Pakistan offers the shortest route to the sea.",
        "reported",
        "Pakistan offered the shortest route to the sea",
    ),
    (
        HE,
        "Both projects depend on stability in Afghanistan.",
        "reported",
        "both projects depended on stability in Afghanistan",
    ),
    (
        HE,
        "The two countries share a long history of cooperation.",
        "reported",
        "the two countries shared a long history of cooperation",
    ),
    (HE, "Relations have improved since 2014.", "reported", "relations had improved since 2014"),
    (HE, "Russia has become a major energy supplier.", "reported", "Russia had become a major energy supplier"),
    (HE, "Central Asia is landlocked.", "reported", "Central Asia was landlocked"),
    (HE, "The SCO will hold its summit in Islamabad.", "reported", "the SCO would hold its summit in Islamabad"),
    (
        HE,
        "Pakistan can become a gateway to Central Asia.",
        "reported",
        "Pakistan could become a gateway to Central Asia",
    ),
    (
        HE,
        "The relationship does not depend on any third country.",
        "reported",
        "the relationship did not depend on any third country",
    ),
    (
        HE,
        "It's a partnership that doesn't threaten anyone.",
        "quoted",
        "“It’s a partnership that doesn’t threaten anyone.”",  # a quotation keeps the speaker's words
    ),
    (
        HE,
        "There's huge potential in science and technology.",
        "reported",
        "there was huge potential in science and technology",
    ),
    (HE, "Pakistan won't choose between its friends.", "reported", "Pakistan would not choose between its friends"),
    (
        HE,
        "Industrial zones in Balochistan need water before they can attract investors.",
        "reported",
        "industrial zones in Balochistan needed water before they could attract investors",
    ),
    (HE, "The trade talks were held in Tashkent in 2019.", "reported", "the trade talks were held in Tashkent in 2019"),
    (
        HE,
        "The railway could cut transit times from weeks to days.",
        "reported",
        "the railway could cut transit times from weeks to days",
    ),
    (
        HE,
        "Moving beyond zero-sum thinking would let major powers find more room for cooperation.",
        "reported",
        "moving beyond zero-sum thinking would let major powers find more room for cooperation",
    ),
    (
        HE,
        "Russia's demographic challenge could lead to novel forms of cooperation.",
        "reported",
        "Russia’s demographic challenge could lead to novel forms of cooperation",
    ),
    (
        HE,
        "Why should Pakistan wait for perfect conditions?",
        "quoted",
        "“Why should Pakistan wait for perfect conditions?”",
    ),
    (HE, "What a remarkable turnaround this has been!", "quoted", "“What a remarkable turnaround this has been!”"),
    (HE, "Dynamic and multi-domain.", "left out", ""),
    (HE, "Can you hear me?", "left out", ""),
    (HE, "Sorry, I think you froze for a moment.", "left out", ""),
    (HE, "Please keep your microphones muted.", "left out", ""),
    (HE, "Thank you, Brigadier Yaqub, and thank you all for joining.", "left out", ""),
    (HE, "Good afternoon, ladies and gentlemen.", "left out", ""),
    (HE, "Mr. Shah, your thoughts please.", "left out", ""),
    (HE, "Can everyone see my slide?", "left out", ""),
    (HE, "That is all from my side, thank you.", "left out", ""),
    (HE, "May I now request Dr. Khan to give the closing remarks.", "left out", ""),
    (HE, "Yes.", "left out", ""),
    (
        HE,
        "I would propose that Pakistan join the exercises as an observer.",
        "reported",
        "proposed that Pakistan join the exercises as an observer",
    ),
    (
        HE,
        "I would recommend a joint science park in Islamabad.",
        "reported",
        "recommended a joint science park in Islamabad",
    ),
    (
        HE,
        "I want to warn that the sanctions regime could hurt Pakistani banks.",
        "reported",
        "warned that the sanctions regime could hurt Pakistani banks",
    ),
    (HE, "Energy is the second pillar.", "reported", "energy was the second pillar"),
    (HE, "The US is not a party to these talks.", "reported", "the US was not a party to these talks"),
    (HE, "CPEC has entered its second phase.", "reported", "CPEC had entered its second phase"),
    (HE, "China is a partner of both countries.", "reported", "China was a partner of both countries"),
    # filler: the comma the sentence needs stays, the speaker's pause goes
    (
        HE,
        "The problem is freight and insurance, you know, not the price of the oil itself.",
        "reported",
        "the problem was freight and insurance, not the price of the oil itself",
    ),
    (
        HE,
        "The basin is under pressure from climate change, population and, uh, poor management.",
        "reported",
        "the basin was under pressure from climate change, population and poor management",
    ),
    # nouns that look like verbs, and verbs that look like nouns
    (
        HE,
        "So the economics change every time freight rates change.",
        "reported",
        "the economics changed every time freight rates changed",
    ),
    (
        HE,
        "The harvest of power plants and roads is complete.",
        "reported",
        "the harvest of power plants and roads was complete",
    ),
    (HE, "Strategic stability rests on one thing.", "reported", "strategic stability rested on one thing"),
    (
        HE,
        "The second phase depends on private firms, not state banks.",
        "reported",
        "the second phase depended on private firms, not state banks",
    ),
    (
        HE,
        "Kazakh oil and Turkmen gas reach Pakistan through Afghanistan.",
        "reported",
        "Kazakh oil and Turkmen gas reached Pakistan through Afghanistan",
    ),
    (
        HE,
        "The fund exists now, but its money is tiny, and countries like Pakistan have to push for it.",
        "reported",
        "the fund existed now, but its money was tiny, and countries like Pakistan had to push for it",
    ),
    (HE, "Pakistan needs a science and technology park.", "reported", "Pakistan needed a science and technology park"),
    # from an outside walkthrough
    (RU, "We consider Pakistan a strategic partner.", "reported", "Russia considered Pakistan a strategic partner"),
    (
        HE,
        "According to our data, Pakistan's exports are small.",
        "quoted",
        "“According to our data, Pakistan’s exports are small.”",
    ),
    (HE, "I told the Ministry this in May.", "reported", "he told the Ministry this in May"),
    (HE, "Colonel sahib, I partly agree.", "left out", ""),
    (HE, "Let us open the floor now.", "left out", ""),
    (HE, "We have a great panel today.", "left out", ""),
    (
        HE,
        "Less than a third has actually been, sort of, disbursed.",
        "reported",
        "less than a third had actually been disbursed",
    ),
    (
        HE,
        "The question is whether the two can actually meet in the middle.",
        "reported",
        "the question was whether the two could actually meet in the middle",
    ),
    (
        HE,
        "The glaciers are losing, they are losing mass faster than the global average.",
        "reported",
        "the glaciers were losing mass faster than the global average",
    ),
    (HE, "Pension funds, insurance companies, banks.", "left out", ""),  # a list with no verb: a heading
    (
        HE,
        "I would urge the government to prioritise the arrears.",
        "reported",
        "urged the government to prioritise the arrears",
    ),
    (
        HE,
        "The basic point I want to make is that the model has to change.",
        "reported",
        "the model had to change",
    ),
    (HE, "I have worked on this for twenty years, so let me speak from the ground.", "left out", ""),
]


@pytest.mark.parametrize(("voice", "spoken", "kind", "printed"), ROWS, ids=[row[1][:48] for row in ROWS])
def test_a_spoken_sentence_prints_as_an_institute_reports_it(voice, spoken, kind, printed):
    rendering = render(spoken, voice=voice)
    assert (rendering.kind, rendering.text) == (kind, printed)
    if kind == LEFT_OUT:
        assert rendering.reason  # the workspace says why


def test_the_table_is_long_enough_to_mean_something():
    assert len(ROWS) >= 60
    assert {kind for _, _, kind, _ in ROWS} == {REPORTED, QUOTED, LEFT_OUT}


@pytest.mark.parametrize(
    ("first", "then", "printed"),
    [
        # a fragment that goes on from the sentence before joins it
        (
            "Current relations are largely positive and free of disputes.",
            "Dynamic and multi-domain.",
            "current relations were largely positive and free of disputes, dynamic and multi-domain",
        ),
        # a sentence that leans on the one before is attached to it
        (
            "Pakistan and Russia have built trust over the last decade.",
            "They are moving in the right direction.",
            "Pakistan and Russia had built trust over the last decade; they were moving in the right direction",
        ),
        # a quotation stays a quotation, cleaned of filler
        (
            "We should, um, ask for grants.",
            "That is the the real test.",
            "“We should ask for grants. That is the real test.”",
        ),
    ],
)
def test_a_sentence_that_leans_on_the_one_before_is_printed_with_it(first, then, printed):
    joined = speech.join(render(first, voice=THEY), render(then, voice=THEY, alone=False))
    assert joined.text == printed


def test_a_heading_gives_the_next_sentence_its_subject():
    assert speech.fragment("Third, debt-for-climate swaps.") and not speech.continues("Third, debt-for-climate swaps.")
    assert speech.continues("Dynamic and multi-domain.")
    assert speech.fragment("Second, the the loss and damage fund.")  # “fund” is no verb here
    heading = speech.topic("Third, debt-for-climate swaps.")
    sentence = speech.with_topic("They are complicated, but they reduce debt.", heading)
    assert render(sentence, voice=HE).text == "debt-for-climate swaps were complicated, but they reduced debt"


def test_the_composers_last_look_strips_what_speech_adds_and_leaves_out_session_talk():
    assert speech.finish("And, third, Russia is facing a demographic challenge").text == (
        "Russia was facing a demographic challenge"
    )
    # Only auxiliaries move at this stage: a written point's nouns are never read as verbs.
    note = "a joint science and technology park in Pakistan bringing together both sides' strengths"
    assert speech.finish(note).text == note
    assert speech.finish("I now invite our first discussant.").kind == LEFT_OUT
    # Notes already in reported speech are printed as written.
    note = "there was huge potential to expand cooperation between the two countries"
    assert speech.finish(note).text == note
    assert speech.finish("We are ready.").kind == QUOTED


def test_suggestions_skip_session_talk_and_the_moderators_introductions_and_cover_distinct_claims():
    turns = {
        "moderator": [
            (
                "Good afternoon and welcome. Please keep your microphones muted. Today we ask whether the corridor "
                "can survive the slowdown in Chinese lending. Our main speaker is Dr. Kazmi, and our discussant is "
                "Mr. Shah. Dr. Kazmi, over to you.",
                0.0,
            )
        ],
        "kazmi": [
            (
                "Thank you. Can you hear me? The corridor has changed the economy of Balochistan. The corridor has "
                "changed the economy of Balochistan in many ways. Chinese lending has slowed since 2019. "
                "Russia is a reliable partner.",
                10.0,
            )
        ],
    }
    found = suggest(
        turns_by_speaker=turns, per_speaker=5, introducers=frozenset({"moderator"}), names=["Kazmi", "Shah"]
    )
    moderator = [s.text for s in found["moderator"]]
    assert moderator == ["Today we ask whether the corridor can survive the slowdown in Chinese lending."]
    kazmi = [s.text for s in found["kazmi"]]
    # the short key sentence is kept; the second sentence on the same claim is not
    assert "Russia is a reliable partner." in kazmi
    assert sum("economy of Balochistan" in s for s in kazmi) == 1
    assert not any(s.startswith(("Thank", "Can you")) for s in kazmi)


@pytest.fixture
def webinar(organisation, make_event, add_speaker):
    event = make_event(title="Pakistan–Russia Relations")
    moderator = add_speaker(
        event,
        role=Role.MODERATOR,
        order=1,
        honorific="Brig",
        retired=True,
        given_names="Amir",
        family_name="Yaqub",
        pronoun="he",
        country="Pakistan",
        designations=[("Director", "NIPS", False)],
    )
    kazmi = add_speaker(
        event,
        role=Role.DISCUSSANT,
        order=2,
        honorific="Dr.",
        given_names="Atia Ali",
        family_name="Kazmi",
        pronoun="she",
        country="Pakistan",
        designations=[("Senior Policy Analyst", "NIPS", True)],
    )
    shah = add_speaker(
        event,
        role=Role.DISCUSSANT,
        order=3,
        honorific="Mr.",
        given_names="Ali",
        family_name="Shah",
        pronoun="he",
        country="Pakistan",
        designations=[("Head of Research", "NIPS", True)],
    )
    return event, moderator, kazmi, shah


def test_the_walkthroughs_sentences_print_as_an_editor_would_send_them(webinar):
    event, moderator, kazmi, shah = webinar
    for participation, spoken in [
        (moderator, "I now invite our first discussant, Dr. Kazmi."),
        (kazmi, "And they are moving in the right direction."),
        (kazmi, "In my view, relations are not transactional."),
        (shah, "Third, Russia faces a serious demographic challenge."),
        (shah, "A single digital customs window would remove days of delay."),
        (shah, "Why should Pakistan wait for perfect conditions?"),
    ]:
        try:
            services.point_from_spoken(event=event, participation=participation, spoken=spoken)
        except Exception as error:  # the hand-over is refused, saying why
            assert "hand-over" in str(error)
    points = dict(Point.objects.filter(event=event).values_list("spoken", "text"))
    assert "I now invite our first discussant, Dr. Kazmi." not in points
    draft = services.report_draft(event=event)
    body = " ".join(draft.paragraphs)
    for wrong in ("that and", "that Third", "that is exactly", "that A single", "In my view", "I now invite"):
        assert wrong not in body, body
    assert "that relations were not transactional" in body
    assert "that Russia faced a serious demographic challenge" in body
    assert "that a single digital customs window would remove days of delay" in body
    assert "asked, “Why should Pakistan wait for perfect conditions?”" in body
    assert "“They are moving in the right direction.”" in body  # alone, it is quoted, not reported as a claim


def test_a_point_that_only_manages_the_session_is_left_out_and_listed(client, webinar, django_user_model):
    event, moderator, kazmi, _ = webinar
    services.point_add(event=event, participation=kazmi, text="relations were positive")
    left = services.point_add(event=event, participation=moderator, text="please keep your microphones muted")
    draft = services.report_draft(event=event)
    assert "microphones" not in " ".join(draft.paragraphs)
    assert [(o.text, o.reason) for o in draft.omitted] == [
        ("please keep your microphones muted", "It is housekeeping, not something the speaker argued.")
    ]
    assert selectors.points_left_out(speakers=selectors.points_by_speaker(event=event)) == {
        left.pk: "It is housekeeping, not something the speaker argued."
    }
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw"))
    page = client.get(f"/staff/events/{event.pk}/report/").content.decode()
    assert "1 point will be left out of the draft" in page
    assert "Left out of the draft: It is housekeeping" in page
    # the browser stops a point at the length the service takes, so a refusal never loses what was typed
    assert page.count(f'maxlength="{services.MAX_POINT}"') >= 2


def test_a_rapporteur_note_that_starts_with_a_name_goes_to_that_speaker_without_the_label(webinar):
    event, moderator, kazmi, _ = webinar
    note = Note.objects.create(event=event, speaker=moderator, text="Dr. Kazmi: CASA-1000 would bring summer power")
    point = services.note_to_point(note=note)
    assert (point.participation, point.text) == (kazmi, "CASA-1000 would bring summer power")
    plain = Note.objects.create(event=event, speaker=moderator, text="First: our relations are old")
    assert services.note_to_point(note=plain).participation == moderator  # not a speaker's name
    # typed after the event, the same: the label says whose point it is
    typed = services.point_add(event=event, participation=moderator, text="Kazmi: TAPI would follow the power line")
    assert (typed.participation, typed.text) == (kazmi, "TAPI would follow the power line")


def test_a_point_made_from_a_suggestion_keeps_the_words_spoken_beside_what_it_prints(webinar):
    event, _, kazmi, _ = webinar
    point = services.point_from_spoken(
        event=event, participation=kazmi, spoken="Um, I would say that our two countries are free of disputes."
    )
    assert point.spoken == "Um, I would say that our two countries are free of disputes."
    assert point.text == "the two countries were free of disputes"
    assert point.source == Point.Source.TRANSCRIPT


def test_own_verbs_are_kept_with_or_without_a_clause(webinar):
    event, _, kazmi, _ = webinar
    for spoken in (
        "I would recommend a joint science park in Islamabad.",
        "I would propose that Pakistan joins the exercises as an observer.",
    ):
        services.point_from_spoken(event=event, participation=kazmi, spoken=spoken)
    body = " ".join(services.report_draft(event=event).paragraphs)
    assert "recommended a joint science park in Islamabad." in body
    assert "proposed that Pakistan joined the exercises as an observer." in body
    assert composer.clause("that was exactly how") == "that was exactly how"


def test_make_every_suggestion_a_point_from_the_transcript_page(client, webinar, django_user_model):
    event = webinar[0]
    vtt = (
        b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:09.000\nAmir Yaqub: Good afternoon, and welcome. Today we ask whether "
        b"the corridor can survive the slowdown in lending. Dr. Kazmi, over to you.\n\n"
        b"2\n00:00:10.000 --> 00:00:30.000\nAtia Kazmi: Thank you. Can you hear me? Um, I would say that our two "
        b"countries are free of disputes. Chinese lending has slowed since 2019, and the railway needs new money.\n\n"
        b"3\n00:00:31.000 --> 00:00:50.000\nAli Shah: Third, Russia faces a serious demographic challenge. That is all "
        b"from my side, thank you.\n"
    )
    transcript = services.transcript_import(event=event, filename="t.vtt", data=vtt)
    services.transcript_mapping_confirm(
        transcript=transcript, assignments={s.pk: s.participation_id for s in transcript.speakers.all()}
    )
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw"))
    page = client.get(f"/staff/events/{event.pk}/transcript/").content.decode()
    assert "Make every suggestion a point" in page and "Prints" in page
    response = client.post(f"/staff/events/{event.pk}/transcript/{transcript.pk}/accept/", follow=True)
    assert response.redirect_chain[-1][0].endswith("#points")
    printed = dict(Point.objects.filter(event=event).values_list("spoken", "text"))
    assert printed == {
        "Today we ask whether the corridor can survive the slowdown in lending.": (
            "today the webinar asked whether the corridor could survive the slowdown in lending"
        ),
        "Um, I would say that our two countries are free of disputes.": "the two countries were free of disputes",
        "Chinese lending has slowed since 2019, and the railway needs new money.": (
            "Chinese lending had slowed since 2019, and the railway needed new money"
        ),
        "Third, Russia faces a serious demographic challenge.": "Russia faced a serious demographic challenge",
    }
    assert f"{len(printed)} suggestions are now points." in response.content.decode()
    again = client.post(f"/staff/events/{event.pk}/transcript/{transcript.pk}/accept/", follow=True)
    assert "No suggestions left to make points of." in again.content.decode()
    assert Point.objects.filter(event=event).count() == len(printed)
