"""Press releases from real-looking transcripts (issue 14): each corpus transcript is imported, its
speakers confirmed, every suggested point accepted and the draft composed, and the draft is checked by
the rules an editor applies: no first person, no present tense after “said that”, no clause glued to
“and”/“so”/“First,” after “that”, no housekeeping, everyone named in full once, the closing remarks
last, no reporting verb more than twice, and under the Chatham House Rule no name at all.

Each rule is a checker that returns what it found, quoting the sentence; the checkers are tested on
their own (a bad sentence caught, a good one passed) so they cannot pass by saying nothing."""

import re
from collections import Counter

import pytest

from podium.events.models import Participation
from podium.people import naming
from podium.reports import composer, services
from podium.reports.models import Point, Transcript
from podium.reports.transcripts import transcript_read
from tests.reports.corpus import CORPUS, transcript_bytes

# Reading the draft ----------------------------------------------------------------------------------------

QUOTED = re.compile(r"“[^”]*”")
# Abbreviations that end in a stop without ending the sentence: “Dr. Orlov”, “Mr. Tariq”.
ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|Brig|Gen|Lt|Col|Capt|Cdr|Cdre|Adm|Amb|Engr|St|No|vs|etc|[A-Z])\.$")


def sentences_of(paragraph: str) -> list[str]:
    """The paragraph's sentences; a stop inside a quotation or after a title does not end one."""
    sentences, start, depth = [], 0, 0
    for i, char in enumerate(paragraph):
        if char == "“":
            depth += 1
        elif char == "”":
            depth = max(0, depth - 1)
        if depth or char not in ".!?”" or i + 1 >= len(paragraph) or paragraph[i + 1] != " ":
            continue
        if char == "”" and paragraph[i - 1] not in ".!?":
            continue
        if char == "." and ABBREVIATION.search(paragraph[start : i + 1]):
            continue
        sentences.append(paragraph[start : i + 1].strip())
        start = i + 1
    if paragraph[start:].strip():
        sentences.append(paragraph[start:].strip())
    return sentences


def unquoted(sentence: str) -> str:
    """The reporter's own words: what stands inside “…” is the speaker's, quoted."""
    return QUOTED.sub("“…”", sentence)


def all_sentences(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for s in sentences_of(p)]


def reporting_verbs() -> list[str]:
    own = set(composer.SYNONYMS) | {s for synonyms in composer.SYNONYMS.values() for s in synonyms}
    return sorted({*composer.VERBS, *own}, key=len, reverse=True)


VERB = "|".join(re.escape(v) for v in reporting_verbs())
# A reporting verb used: “said that …”, “also noted that …”, “argued, “…””.
VERB_USE = re.compile(rf"\b({VERB})\b(?= that\b|, “)")
# Where a reported clause begins: after “<reporting verb> that” or the composer's “, and that” joining two points.
CLAUSE_START = re.compile(rf"\b(?:(?:{VERB}) that|, and that)\s+")
WORDS = re.compile(r"[A-Za-z][A-Za-z’'-]*")


def reported_clauses(sentence: str) -> list[str]:
    """The clauses a sentence reports (“… said that <clause>, and that <clause>.”), quotations left out."""
    text = unquoted(sentence)
    starts = list(CLAUSE_START.finditer(text))
    clauses = []
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        clauses.append(text[match.end() : end].rstrip(" ."))
    return clauses


def _problem(rule: str, sentence: str, detail: str = "") -> str:
    return f"{rule}{f' ({detail})' if detail else ''}: “{sentence}”"


# The rules ------------------------------------------------------------------------------------------------

# Case matters: “I” only as a capital, and “US” (the country) is not “us”.
FIRST_PERSON = re.compile(
    r"(?<![\w’'-])(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|[Uu]s|[Oo]ur|[Oo]urs|[Oo]urselves|[Ll]et’s|[Ll]et's)"
    r"(?![\w’'-])"
)


def first_person_outside_quotes(paragraphs: list[str]) -> list[str]:
    """First person (I, me, my, we, us, our) in the reporter's own words, not inside “…”."""
    problems = []
    for sentence in all_sentences(paragraphs):
        found = FIRST_PERSON.findall(unquoted(sentence))
        if found:
            problems.append(_problem("First person outside quotation marks", sentence, ", ".join(found)))
    return problems


# Present-tense finite verbs a reported clause must not open with (back-shifted: is → was, will → would).
PRESENT = frozenset(
    """is are am isn't aren't has have hasn't haven't will won't can can't cannot does do doesn't don't shall
    may it's that's there's here's what's they're we're you're i'm they've we've""".replace("'", "’").split()
    + """is are am isn't aren't hasn't haven't won't can't doesn't don't it's that's there's here's what's they're
    we're you're i'm they've we've""".split()
)
# Third-person -s forms of verbs speakers use in claims: “Pakistan needs …”, “the treaty remains …”.
PRESENT_S = frozenset(
    """needs remains depends offers gives matters makes means faces lies seems looks wants requires includes
    provides continues becomes helps stands comes goes takes gets builds creates lacks suggests believes thinks
    knows says exists holds sees pays reaches rests allows affects contributes deserves decides handles sells
    buys produces grows moves""".split()  # not “links”, “costs”, “imports”: more often nouns than verbs
)
# A base form is present only after a subject pronoun: “that they need”, not “the need for”.
BASE = frozenset(
    """need remain depend offer give matter show make mean face lie seem look want require include provide
    continue become help stand come go take get run build link create lack suggest believe think know say
    exist work hold see cost pay reach rest change allow affect deserve decide handle protect""".split()
)
SUBJECT_PRONOUNS = frozenset("i we you they these those".split())
# Finite forms that end the search: the clause has its verb and it is not present.
NOT_PRESENT = frozenset(
    """was were had would could did should might must ought wasn't weren't hadn't wouldn't couldn't didn't
    shouldn't became came went took gave made grew saw thought knew found left led kept brought built began fell
    rose held stood met paid sent spent won lost meant felt got ran sold told""".split()
)


def present_tense_clauses(paragraphs: list[str]) -> list[str]:
    """A reported clause whose first finite verb is in the present (“said that Pakistan is …”)."""
    problems = []
    for sentence in all_sentences(paragraphs):
        for clause in reported_clauses(sentence):
            words = [w.lower().replace("'", "’") for w in WORDS.findall(clause)]
            plain = [w.replace("’", "'") for w in words]
            for n, (word, ascii_word) in enumerate(zip(words, plain, strict=True)):
                if word in NOT_PRESENT or ascii_word in NOT_PRESENT:
                    break
                after_pronoun = n > 0 and plain[n - 1] in SUBJECT_PRONOUNS
                if (
                    word in PRESENT
                    or ascii_word in PRESENT
                    or ascii_word in PRESENT_S
                    or (after_pronoun and ascii_word in BASE)
                ):
                    problems.append(_problem("Reported clause in the present tense", sentence, f"“{ascii_word}”"))
                    break
    return problems


# What speech puts at the start of a clause and print drops.
OPENERS = [
    "and",
    "so",
    "but",
    "or",
    "well",
    "now",
    "okay",
    "ok",
    "yes",
    "um",
    "uh",
    "first",
    "firstly",
    "second",
    "secondly",
    "third",
    "thirdly",
    "fourth",
    "finally",
    "lastly",
    "for example",
    "for instance",
    "you know",
    "i would say",
    "i think",
    "i believe",
    "i want to argue",
    "in my view",
    "in my assessment",
    "let me",
    "sorry",
    "please",
    "briefly",
    "actually",
    "basically",
]
GLUED = re.compile(r"^(" + "|".join(re.escape(o) for o in OPENERS) + r")(?![\w’'-])", re.I)
AFTER_THAT = re.compile(r"\bthat ([A-Z][\w’'-]*)")
CAPITALISED = re.compile(r"(?<![\w’'-])([A-Z][\w’'-]*)")


TITLES = frozenset(h.replace(".", "") for h in naming.HONORIFICS if " " not in h)
MONTHS_AND_DAYS = frozenset(
    """January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday""".split()
)
POSSESSIVE = re.compile(r"[’']s$")
NAME_GOES_ON = re.compile(r"^[.]?\s+[A-Z]")  # “Khyber Pakhtunkhwa”, “Dr. Orlov”: a name of several words


def proper_nouns(paragraphs: list[str], known: frozenset[str] = frozenset()) -> set[str]:
    """Words the draft capitalises mid-sentence, where only a name is capitalised: not at a sentence's
    start, after an opening quotation mark or a colon, nor right after “that” (the case in question);
    and titles, months and days, the first word of a name of several words, and ``known`` names."""
    names = set(known) | MONTHS_AND_DAYS | {t.capitalize() for t in TITLES}
    for sentence in all_sentences(paragraphs):
        for match in CAPITALISED.finditer(sentence):
            word = POSSESSIVE.sub("", match.group(1))
            if NAME_GOES_ON.match(sentence[match.end() :]):
                names.add(word)
            before = sentence[: match.start()].rstrip()
            sentence_start = before.endswith((".", "!", "?")) and not ABBREVIATION.search(before)
            if not before or sentence_start or before.endswith(("“", ":", " that")) or before == "that":
                continue
            names.add(word)
    return names


def demonym(word: str, names: set[str]) -> bool:
    """“Pakistani”, “Russian”, “Chinese”, “Uzbek”: a word that begins as a known name does (four letters or more)."""
    return len(word) > 4 and any(len(name) > 3 and name[:4] == word[:4] for name in names)


def glued_clauses(paragraphs: list[str], known: frozenset[str] = frozenset()) -> list[str]:
    """A reported clause that opens with a conjunction, a discourse marker, an enumerator or a hedge
    (“said that and …”, “that Third, …”, “that I would say …”), or “that” before a capital that is no name.
    ``known``: names the draft may only ever write after “that” (“Article 6”)."""
    problems = []
    names = proper_nouns(paragraphs, known)
    for sentence in all_sentences(paragraphs):
        for clause in reported_clauses(sentence):
            glued = GLUED.match(clause)
            if glued:
                problems.append(_problem("Clause glued to a spoken opener after “that”", sentence, glued.group(1)))
        for match in AFTER_THAT.finditer(unquoted(sentence)):
            word = POSSESSIVE.sub("", match.group(1))
            acronym = len(word) > 1 and word.upper() == word
            if not acronym and word not in names and not demonym(word, names):
                problems.append(_problem("Capital after “that” that is no name or acronym", sentence, word))
    return problems


PROCEDURAL = re.compile(
    r"\bthank(?:s|ed|ing)?\b|\bwelcom(?:e|ed|ing) (?:to|everyone|all|you|back|our|the audience)\b"
    r"|\bhand(?:s|ed|ing)? (?:it )?over\b|\bover to you\b|\bthe floor\b"
    r"|\b(?:invit(?:e|es|ed|ing)|request(?:s|ed|ing)?) (?:our|the next|him|her|you|a participant|(?-i:[A-Z]))"
    r"|\bmicrophones?\b|\bmuted?\b|\bunmute\b|\bhear me\b|\bhear you\b|\baudible\b|\bfroze\b|\bslides?\b"
    r"|\bmy (?:screen|video|camera|connection)\b|\bthe chat\b|\bfrom the audience\b|\bplease\b"
    r"|\bthat is all\b|\bthat is my\b|\bthis concludes\b|\bthe recording\b",
    re.I,
)


REPEATED = re.compile(r"(?<![\w’'-])([A-Za-z]+)\s+\1(?![\w’'-])", re.I)


def repeated_words(paragraphs: list[str]) -> list[str]:
    """A false start left in: the same word twice in a row (“the the railway”), in the reporter's words."""
    problems = []
    for sentence in all_sentences(paragraphs):
        found = REPEATED.search(unquoted(sentence))
        if found:
            problems.append(_problem("A word repeated", sentence, found.group(0)))
    return problems


def procedural_remarks(paragraphs: list[str]) -> list[str]:
    """Housekeeping reported as if it were a claim: thanks, welcomes, hand-overs, microphones, a frozen video."""
    problems = []
    for sentence in all_sentences(paragraphs):
        if not VERB_USE.search(sentence):
            continue  # the lead and the framing sentences are the composer's, not reported speech
        found = PROCEDURAL.search(sentence)
        if found:
            problems.append(_problem("Procedural remark in a reported sentence", sentence, found.group(0)))
    return problems


def participants_not_named_once(paragraphs: list[str], participations: list[Participation]) -> list[str]:
    """Every participant on the agenda named in full (rank and name as the composer styles it) exactly once."""
    body = "\n\n".join(paragraphs)
    problems = []
    for participation in participations:
        full = naming.styled_name(participation.person)
        count = len(re.findall(r"(?<![\w-])" + re.escape(full) + r"(?![\w-])", body))
        if count != 1:
            problems.append(f"{full} ({participation.get_role_display().lower()}) is named in full {count} times")
    return problems


def closing_remarks_not_last(paragraphs: list[str], participations: list[Participation]) -> list[str]:
    """The closing remarks are the last paragraph, and it is the closing speaker's."""
    closing = [p for p in participations if p.role == "closing_remarks"]
    if not closing:
        return []
    last = paragraphs[-1]
    opening = sentences_of(last)[0] if last else ""
    problems = []
    for participation in closing:
        person = participation.person
        if not any(name in opening for name in (naming.styled_name(person), naming.later_mention(person))):
            problems.append(f"The last paragraph is not {naming.styled_name(person)}'s closing remarks: “{last}”")
    return problems


def verbs_used_too_often(paragraphs: list[str]) -> list[str]:
    """No reporting verb used more than twice in the release."""
    uses = Counter(VERB_USE.findall("\n\n".join(paragraphs)))
    return [f"“{verb}” is used {n} times" for verb, n in sorted(uses.items()) if n > composer.MAX_USES]


def names_under_chatham_house(paragraphs: list[str], participations: list[Participation]) -> list[str]:
    """Under the Chatham House Rule no participant is named: not in full, not by family or given name."""
    problems = []
    for sentence in all_sentences(paragraphs):
        for participation in participations:
            person = participation.person
            forms = {
                naming.full_name(person),
                naming.styled_name(person),
                naming.later_mention(person),
                person.family_name,
                *(w for w in person.given_names.split() if len(w) > 2),
            }
            found = sorted(f for f in forms if re.search(r"(?<!\w)" + re.escape(f) + r"(?!\w)", sentence, re.I))
            if found:
                problems.append(_problem("A participant named under the Chatham House Rule", sentence, found[0]))
    return problems


# The checkers catch what they are for, and pass what is fine ----------------------------------------------


@pytest.mark.parametrize(
    "bad, good",
    [
        (
            "Dr. Kazmi said that I would say the the relations were positive.",
            "Dr. Kazmi said, “I would say relations are positive.” She said that the US was a partner.",
        ),
        ("She argued that we must be realistic.", "She argued that Pakistan had to be realistic."),
        ("He noted that our research showed this.", "He noted that the research of NIPS showed this."),
    ],
)
def test_first_person_checker(bad, good):
    assert first_person_outside_quotes([bad]) and "“" in first_person_outside_quotes([bad])[0]
    assert first_person_outside_quotes([good]) == []


@pytest.mark.parametrize(
    "bad, good",
    [
        (
            "Dr. Kazmi highlighted that they are free of disputes.",
            "Dr. Kazmi highlighted that they were free of disputes.",
        ),
        (
            "Mr. Shah said that Pakistan Stream needs a new financing model.",
            "Mr. Shah said that Pakistan Stream needed a new financing model.",
        ),
        (
            "He stated that energy will decide it, and that the treaty remains the best framework.",
            "He stated that energy would decide it, and that the treaty remained the best framework.",
        ),
        ("She observed that there’s no average any more.", "She observed that there was no average any more."),
        ("He noted that they need storage.", "He noted that the need for storage was urgent."),
    ],
)
def test_present_tense_checker(bad, good):
    found = present_tense_clauses([bad])
    assert found and bad in found[0]
    assert present_tense_clauses([good]) == []


def test_present_tense_checker_reads_only_reported_clauses_and_not_quotations():
    text = "Pakistan is landlocked by nothing. He said, “Pakistan is ready.” She noted that the plan was ready."
    assert present_tense_clauses([text]) == []


@pytest.mark.parametrize(
    "bad",
    [
        "Dr. Kazmi argued that and they were moving in the right direction.",
        "He further underlined that Third, Russia faced a serious demographic challenge.",
        "She stated that so the first point was simple.",
        "He noted that for example, the terminals ran below capacity.",
        "She said that I would say the glaciers were the story.",
        "He said that finally, people-to-people links mattered.",
        "She further observed that is exactly how a relationship should be built, and that well, it was slow.",
        "Mr. Shah pointed out that A single digital customs window would remove days of delay.",
    ],
)
def test_glued_clause_checker_catches_spoken_openers_and_stray_capitals(bad):
    found = glued_clauses([bad])
    assert found and bad in found[0]


def test_glued_clause_checker_passes_names_acronyms_and_plain_clauses():
    text = (
        "The webinar was about Pakistan and Russia. Dr. Kazmi argued that Russia faced a demographic challenge, "
        "and that CASA-1000 would link the regions. She said that the first point was simple. He noted that "
        "Khyber Pakhtunkhwa saw the roads, that Dr. Qamar was right and that August was wet, and that Pakistani "
        "and Uzbek firms traded."
    )
    assert glued_clauses([text]) == []
    known = "He considered that Article 6 of the Paris Agreement allowed it."
    assert glued_clauses([known]) and glued_clauses([known], frozenset({"Article"})) == []


@pytest.mark.parametrize(
    "bad",
    [
        "Brig (Retd) Amir Yaqub said that he now invited Dr. Orlov to speak.",
        "He noted that Dr. Orlov froze for a moment.",
        "She stated, “Please keep your microphones muted.”",
        "He added that he thanked the NIPS team for organising the webinar.",
        "Mr. Shah remarked, “Okay, can everyone see my slide?”",
        "He said, “That is all from my side.”",
    ],
)
def test_procedural_remark_checker(bad):
    found = procedural_remarks([bad])
    assert found and bad in found[0]


def test_procedural_remark_checker_passes_claims_and_the_composers_framing():
    text = (
        "The webinar, part of the NIPS Lecture Series, was moderated by Brig (Retd) Amir Yaqub, Director NIPS. "
        "Dr. Kozin proposed that Pakistan could take part in the exercises, which Russia would welcome."
    )
    assert procedural_remarks([text]) == []


@pytest.fixture
def three(organisation, make_event, add_speaker):
    event = make_event()
    moderator = add_speaker(
        event, role="moderator", order=1, honorific="Brig", retired=True, given_names="Amir", family_name="Yaqub"
    )
    speaker = add_speaker(
        event, role="main_speaker", order=2, honorific="Dr.", given_names="Atia Ali", family_name="Kazmi"
    )
    closing = add_speaker(
        event, role="closing_remarks", order=3, honorific="Dr.", given_names="Ashfaque Hasan", family_name="Khan"
    )
    return [moderator, speaker, closing]


def test_named_once_checker(three):
    once = [
        "Moderated by Brig (Retd) Amir Yaqub.",
        "Dr. Atia Ali Kazmi said that it was so.",
        "Delivering the closing remarks, Dr. Ashfaque Hasan Khan said that it was.",
    ]
    assert participants_not_named_once(once, three) == []
    twice = [*once, "Dr. Atia Ali Kazmi added that it was."]
    missing = once[:2]
    assert participants_not_named_once(twice, three) == ["Dr. Atia Ali Kazmi (main speaker) is named in full 2 times"]
    assert participants_not_named_once(missing, three) == [
        "Dr. Ashfaque Hasan Khan (closing remarks) is named in full 0 times"
    ]


def test_closing_remarks_checker(three):
    last = ["Dr. Atia Ali Kazmi said that it was so.", "Delivering the closing remarks, Dr. Ashfaque Hasan Khan said."]
    assert closing_remarks_not_last(last, three) == []
    found = closing_remarks_not_last(list(reversed(last)), three)
    assert found and "Dr. Atia Ali Kazmi said that it was so." in found[0]
    assert closing_remarks_not_last(last, three[:2]) == []  # no closing remarks on the agenda, nothing to check


def test_verb_checker():
    thrice = ["He said that it was. She said that it was not. He said, “It is.” He also argued that it was."]
    assert verbs_used_too_often(thrice) == ["“said” is used 3 times"]
    assert verbs_used_too_often(["He said that it was. She said that it was not. He argued that it was."]) == []


def test_chatham_house_checker(three):
    assert names_under_chatham_house(["One speaker said that it was so."], three) == []
    found = names_under_chatham_house(["One speaker said that Dr. Kazmi was right.", "Atia was right."], three)
    assert len(found) == 2 and "Dr. Kazmi was right" in found[0]


def test_repeated_word_checker():
    found = repeated_words(["Dr. Kazmi observed that the the railway could cut transit times."])
    assert found and "the the railway" in found[0]
    # Inside a quotation the words are the speaker's; the reporter's “that that” is caught, the sentence quoted.
    sentence = "She said that it could; that that was so was clear, “the the”."
    assert repeated_words([sentence]) == [f"A word repeated (that that): “{sentence}”"]
    assert repeated_words(["Dr. Kazmi observed that the railway could cut transit times."]) == []


def test_sentences_do_not_end_at_a_title_or_inside_a_quotation():
    paragraph = "Dr. Orlov said, “It is so. It was.” Mr. Tariq noted that it was. Brig (Retd) Amir Yaqub spoke."
    assert sentences_of(paragraph) == [
        "Dr. Orlov said, “It is so. It was.”",
        "Mr. Tariq noted that it was.",
        "Brig (Retd) Amir Yaqub spoke.",
    ]


# The corpus -----------------------------------------------------------------------------------------------


def build_event(name: str, make_event, add_speaker) -> tuple:
    """The corpus entry's event and its agenda, made the way the tests make events and speakers."""
    entry = CORPUS[name]
    event = make_event(title=entry["title"], format=entry["format"], attribution=entry["attribution"])
    agenda = {}
    for order, row in enumerate(entry["agenda"], start=1):
        fields = {k: v for k, v in row.items() if k not in ("key", "role")}
        agenda[row["key"]] = add_speaker(event, role=row["role"], order=order, **fields)
    return event, agenda


def import_and_confirm(name: str, event, agenda) -> Transcript:
    """Import the transcript and confirm each label as the corpus says: a participation, or nobody."""
    transcript = services.transcript_import(event=event, filename=CORPUS[name]["file"], data=transcript_bytes(name))
    labels = CORPUS[name]["labels"]
    assignments = {}
    for speaker in transcript.speakers.all():
        key = labels[speaker.label]  # a label the corpus does not describe is a reading error: KeyError
        assignments[speaker.pk] = agenda[key].pk if key else None
    services.transcript_mapping_confirm(transcript=transcript, assignments=assignments)
    return transcript


def accept_suggestions(*, transcript: Transcript) -> None:
    services.transcript_accept_suggestions(transcript=transcript)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_corpus_transcript_reads_whole_with_every_label_described(name, organisation, make_event, add_speaker):
    """The corpus itself is sound: every label is described, every agenda participant speaks, and the
    transcript is a realistic length. Kept apart from the rules so a broken corpus is never an xfail."""
    cues = transcript_read(data=transcript_bytes(name))
    assert {t.speaker for t in cues} == set(CORPUS[name]["labels"])
    event, agenda = build_event(name, make_event, add_speaker)
    transcript = import_and_confirm(name, event, agenda)
    spoken = {s.participation_id for s in transcript.speakers.all() if s.participation_id}
    assert spoken == {p.pk for p in agenda.values()}
    assert all(s.confirmed for s in transcript.speakers.all())
    assert transcript.turns.count() >= 10 and transcript.word_count > 450
    accept_suggestions(transcript=transcript)
    pointed = set(Point.objects.filter(event=event).values_list("participation_id", flat=True))
    assert pointed and pointed <= {p.pk for p in agenda.values()}  # askers and the host account give no points


RULES = [first_person_outside_quotes, present_tense_clauses, procedural_remarks, repeated_words, verbs_used_too_often]
NAMED_RULES = [participants_not_named_once, closing_remarks_not_last]


def release_problems(*, transcript: Transcript, participations: list[Participation], names=()) -> tuple[list[str], str]:
    """Every rule the event's composed release breaks, and the release to read beside them."""
    event = transcript.event
    draft = services.report_draft(event=event)
    paragraphs = draft.paragraphs[1:]  # after the lead, which the composer writes from the event alone
    problems = [problem for rule in RULES for problem in rule(paragraphs)]
    # Names as the speakers said them: what the transcript capitalises mid-sentence, and the corpus's own list.
    spoken = list(transcript.turns.values_list("text", flat=True))
    problems += glued_clauses(paragraphs, frozenset(names) | proper_nouns(spoken))
    if event.policy.redacts_names:
        problems += names_under_chatham_house(draft.paragraphs, participations)
    else:
        problems += [problem for rule in NAMED_RULES for problem in rule(draft.paragraphs, participations)]
    return problems, f"{draft.headline}\n\n" + "\n\n".join(draft.paragraphs)


def problems_message(problems: list[str], draft: str) -> str:
    return f"{len(problems)} problems:\n- " + "\n- ".join(problems) + f"\n\nThe draft:\n{draft}"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_accepting_every_suggestion_gives_a_release_an_editor_would_send(name, organisation, make_event, add_speaker):
    event, agenda = build_event(name, make_event, add_speaker)
    transcript = import_and_confirm(name, event, agenda)
    accept_suggestions(transcript=transcript)
    assert Point.objects.filter(event=event).exists()
    problems, draft = release_problems(
        transcript=transcript, participations=list(agenda.values()), names=CORPUS[name].get("names", ())
    )
    assert not problems, f"{name}: {problems_message(problems, draft)}"


def test_the_demos_sample_transcript_gives_a_release_an_editor_would_send(db):
    """The transcript the demo ships for its upcoming webinar, its speakers as Podium guesses them."""
    from podium.core.selectors import organisation_forget
    from podium.demo.loader import demo_load
    from podium.events.models import Event
    from podium.reports.views import SAMPLE_TRANSCRIPT

    demo_load()
    organisation_forget()
    event = Event.objects.get(slug="pakistan-central-asia-connectivity")
    transcript = services.transcript_import(
        event=event, filename=SAMPLE_TRANSCRIPT.name, data=SAMPLE_TRANSCRIPT.read_bytes()
    )
    guesses = {s.pk: s.participation_id for s in transcript.speakers.all()}
    assert sorted(p for p in guesses.values() if p) == sorted(event.participations.values_list("pk", flat=True))
    services.transcript_mapping_confirm(transcript=transcript, assignments=guesses)
    accept_suggestions(transcript=transcript)
    problems, draft = release_problems(transcript=transcript, participations=list(event.participations.all()))
    assert not problems, f"The demo's sample transcript: {problems_message(problems, draft)}"


def test_the_release_from_rapporteur_notes_passes_every_rule(db):
    """The demo's published release, composed from notes already in reported speech, is what the rules
    call good: they pass it whole, so a failure on a transcript's release is the release's, not the rules'."""
    from podium.core.selectors import organisation_forget
    from podium.demo.loader import demo_load
    from podium.events.models import Event

    demo_load()
    organisation_forget()
    event = Event.objects.get(slug="pakistan-russia-relations")
    draft = services.report_draft(event=event)
    participations = list(event.participations.all())
    paragraphs = draft.paragraphs[1:]
    problems = [problem for rule in [*RULES, glued_clauses] for problem in rule(paragraphs)]
    problems += [problem for rule in NAMED_RULES for problem in rule(draft.paragraphs, participations)]
    assert not problems, problems_message(problems, f"{draft.headline}\n\n" + "\n\n".join(draft.paragraphs))
