"""The press-release draft in the house style of institute press releases, composed from the event,
its agenda and the points each speaker made, honouring the event's attribution rule.

Pure functions over model instances already loaded (nothing here touches the database), so a draft
of a two-hour event composes in milliseconds and the style can be tested sentence by sentence.
"""

import hashlib
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from podium.events.models import Event, Participation, Role
from podium.people import naming
from podium.reports import speech
from podium.reports.content import long_date

# Reporting verbs in the order a draft reaches for them; none is used more than twice in a report.
VERBS = [
    "said",
    "highlighted",
    "stated",
    "opined",
    "pointed out",
    "argued",
    "observed",
    "emphasised",
    "noted",
    "remarked",
    "considered",
    "underlined",
    "stressed",
    "maintained",
    "explained",
    "added",
]
MAX_USES = 2
NOT_BEFORE_A_QUOTE = frozenset({"opined", "considered"})
# When a point's own verb has had its share, a near synonym says the same.
SYNONYMS = {
    "proposed": ["suggested", "recommended"],
    "suggested": ["proposed", "recommended"],
    "recommended": ["proposed", "suggested"],
    "warned": ["cautioned"],
    "cautioned": ["warned"],
    "urged": ["called for"],
    "welcomed": ["appreciated"],
}
# A point that names its own verb keeps it: “proposed that Pakistan could …”.
OWN_VERB = re.compile(
    r"^(proposed|suggested|recommended|warned|cautioned|urged|called for|welcomed|"
    r"" + "|".join(re.escape(v) for v in VERBS) + r")\b\s*(?:that\s+)?",
    re.I,
)
PRONOUNS = {"he": "He", "she": "She", "they": "They"}
# Words that may start a point but are not names, so they lose their capital after “said that”.
# Besides these, any word the points themselves also write in lower case (“Energy is …” when “energy”
# appears elsewhere); a word only ever written with a capital (Pakistan, Pakistani) keeps it.
COMMON_START = frozenset(
    """the a an there this that these those it its both given more most greater deeper
closer all any some many much each every one no not while although though if when as despite since because what
how why whether""".split()
)
LOWER_WORD = re.compile(r"(?<![\w’'-])([a-z][a-z’'-]*)")


@dataclass(frozen=True)
class Omission:
    speaker: str  # as the workspace names them
    text: str
    reason: str


@dataclass
class Draft:
    headline: str
    paragraphs: list[str]
    omitted: list[Omission] = field(default_factory=list)  # points the composer left out, and why

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class _Verbs:
    """Hands out reporting verbs so they vary and none exceeds its share."""

    used: Counter = field(default_factory=Counter)
    last: str = ""

    def take(self, own: str | None = None, *, quote: bool = False) -> str:
        choices = [own.lower(), *SYNONYMS.get(own.lower(), [])] if own else []
        fitting = [v for v in choices if self.used[v] < MAX_USES]
        if fitting:
            verb = fitting[0]
        else:
            # “opined, ‘…’” and “considered, ‘…’” do not introduce a quotation.
            usable = [v for v in VERBS if not (quote and v in NOT_BEFORE_A_QUOTE)]
            candidates = [v for v in usable if self.used[v] < MAX_USES and v != self.last] or usable
            # The least used first, in the list's order: variety reads natural; “said” leads.
            verb = min(candidates, key=lambda v: (self.used[v], VERBS.index(v)))
        self.used[verb] += 1
        self.last = verb
        return verb


KINDS = ("roundtable", "round table", "seminar", "webinar", "workshop", "lecture", "conference", "dialogue")


def _kind_and_topic(event: Event) -> tuple[str, str, str]:
    """What the event was (“webinar”), its topic for the headline, and its title for the lead:
    “Roundtable: CPEC's Second Phase” is a roundtable on “CPEC's Second Phase”."""
    title = event.title.strip()
    head, sep, rest = title.partition(":")
    if sep and head.strip().lower() in KINDS:
        return head.strip().lower().replace("round table", "roundtable"), rest.strip(), rest.strip()
    return event.format_noun, (head.strip() if sep else title), title


SMALL_WORDS = frozenset("a an and as at but by for in of on or the to with".split())


def _title_case(text: str) -> str:
    """Headline case: “NIPS Holds High-Level Webinar on …”; small words stay small, names keep their case."""

    def up(word: str) -> str:
        return word[:1].upper() + word[1:] if word[:1].islower() else word

    words = text.split(" ")
    return " ".join(
        w if (i and w.lower() in SMALL_WORDS) else "-".join(up(part) for part in w.split("-"))
        for i, w in enumerate(words)
    )


def common_words(texts: Sequence[str]) -> frozenset[str]:
    """Words these texts write in lower case somewhere, with the usual sentence openers."""
    return COMMON_START | frozenset(word for text in texts for word in LOWER_WORD.findall(text))


def clause(point: str, common: frozenset[str] = COMMON_START) -> str:
    """A point as the clause after “said that”: no trailing stop, no leading “that”, and a small first
    letter when the first word is a common word (``common``), never for a name or an acronym."""
    text = " ".join(point.split()).rstrip(" .;")
    # “that relations were …” as staff write a point; not “that was exactly how …”, where “that” is the subject.
    if text.lower().startswith("that ") and text.split()[1].lower() not in speech.FINITE:
        text = text[5:]
    first = re.split(r"[\s,;:]", text, maxsplit=1)[0]
    if first[:1].isupper() and first[1:] == first[1:].lower() and first.lower() in common:
        text = text[0].lower() + text[1:]
    return text


def _sentence(subject: str, verb: str, point: str, common: frozenset[str], *, quote: bool, that: bool = True) -> str:
    if quote:
        quoted = " ".join(point.split()).strip()
        if not speech.QUOTATION.match(quoted):
            quoted = speech.quotation(quoted)
        return f"{subject} {verb}, {quoted}"
    if not that:  # “recommended a joint science park”: the verb takes a thing, not a clause
        return f"{subject} {verb} {clause(point, common)}."
    return f"{subject} {verb} that {clause(point, common)}."


# “urged the government to prioritise …”: someone, then what they should do.
SOMEONE_TO_DO = re.compile(r"^(?:[\w’'-]+\s+){1,4}to\s+[a-z]+\b")


def _takes_clause(own: re.Match, rest: str) -> bool:
    """Whether a point's own verb is followed by a clause (“proposed that …”) or by a thing or a person
    and what they should do (“recommended a science park”, “urged the government to act”)."""
    if "that" in own.group(0).lower():
        return True
    return speech.has_verb(rest) and not SOMEONE_TO_DO.match(rest.strip())


def _chunks(points: Sequence[str], size: int) -> list[list[str]]:
    """Points in groups of ``size`` for one sentence each; a quotation always stands alone."""
    chunks: list[list[str]] = []
    for point in points:
        if (
            speech.QUOTATION.match(point)
            or not chunks
            or len(chunks[-1]) >= size
            or speech.QUOTATION.match(chunks[-1][0])
        ):
            chunks.append([point])
        else:
            chunks[-1].append(point)
    return chunks


def _printable(
    speakers: Sequence[tuple[Participation, Sequence[str]]],
) -> tuple[list[tuple[Participation, list[str]]], list[Omission]]:
    """Each point as the composer prints it (``speech.finish``), and the ones it leaves out, with why."""
    printable, omitted = [], []
    for participation, points in speakers:
        kept = []
        for point in points:
            finished = speech.finish(point)
            if finished.kind == speech.LEFT_OUT:
                omitted.append(Omission(naming.styled_name(participation.person), point, finished.reason))
            else:
                kept.append(finished.text)
        printable.append((participation, kept))
    return printable, omitted


def _join_points(points: Sequence[str], common: frozenset[str]) -> str:
    if len(points) == 1:
        return points[0]
    return ", and that ".join(clause(p, common) for p in points)


class _Speaker:
    """How one participant is named in the report: full form first, then the short form or a pronoun."""

    def __init__(self, participation: Participation):
        self.person = participation.person
        self.mentions = 0

    @property
    def designations(self):
        return list(self.person.designations.all())

    def full(self) -> str:
        styled = naming.styled_name(self.person)
        designation = naming.designations_text(self.designations)
        return f"{styled}, {designation}," if designation else styled

    def name(self) -> str:
        """The subject of the next sentence about this speaker."""
        self.mentions += 1
        if self.mentions == 1:
            return self.full()
        pronoun = PRONOUNS.get(self.person.pronoun)
        # Alternate: short form, pronoun, short form … so a paragraph neither repeats a name nor loses it.
        if pronoun and self.mentions % 2 == 1:
            return pronoun
        return naming.later_mention(self.person)


def _speaker_sentences(
    speaker: _Speaker, points: Sequence[str], verbs: _Verbs, group: int, common: frozenset[str], opening: str = ""
) -> list[str]:
    sentences = []
    for index, chunk in enumerate(_chunks(points, group)):
        text = _join_points(chunk, common)
        own = OWN_VERB.match(text.strip())
        # A quotation is the speaker's own words, printed as said; a question among them was asked.
        quote = not own and len(chunk) == 1 and bool(speech.QUOTATION.match(text.strip()))
        that = True
        if own:
            verb, text = verbs.take(own.group(1)), text.strip()[own.end() :]
            that = _takes_clause(own, text)
        else:
            verb = verbs.take("asked" if quote and text.strip().endswith("?”") else None, quote=quote)
        # A first mention with a designation ends in a comma: “Dr. X, Director NIPS, said that …”.
        subject = speaker.name()
        if index == 0 and opening:
            subject = f"{opening}, {subject}"
        elif index and subject in PRONOUNS.values():
            verb = ("also " if index % 2 else "further ") + verb
        sentences.append(_sentence(subject, verb, text, common, quote=quote, that=that))
    return sentences


def compose(
    *,
    event: Event,
    organisation,
    speakers: Sequence[tuple[Participation, Sequence[str]]],
    redact: Mapping[str, str] | None = None,
) -> Draft:
    """The draft press release. ``speakers`` is the agenda in order with each speaker's points;
    ``redact`` maps the names and affiliations a Chatham House report must not carry, should a
    point mention them, to what stands in their place (“a participant”, “an organisation”)."""
    speakers, omitted = _printable(speakers)
    draft = _compose(event=event, organisation=organisation, speakers=speakers, redact=redact)
    draft.omitted = omitted
    return draft


def _compose(
    *,
    event: Event,
    organisation,
    speakers: Sequence[tuple[Participation, Sequence[str]]],
    redact: Mapping[str, str] | None,
) -> Draft:
    kind, topic, title = _kind_and_topic(event)
    org_name = organisation.name if organisation else ""
    short = (organisation.short_name if organisation else "") or org_name
    org_intro = f"{org_name} ({organisation.short_name})" if organisation and organisation.short_name else org_name
    # The city and release date head every export (the dateline); the lead says when the event was.
    when = long_date(day=event.starts_at.astimezone(event.zone).date())
    purpose = f" {event.purpose.strip().rstrip('.')}" if event.purpose.strip() else ""

    if event.policy.statement_only:
        return Draft(
            headline=_title_case(f"{short} holds {kind} on {topic}"),
            paragraphs=[
                f"{org_intro} held a {kind} on “{title}” on {when}. "
                f"The discussion was off the record: no account of it is published."
            ],
        )

    anonymous = event.policy.redacts_names
    headline = _title_case(f"{short} holds high-level {kind} on {topic}")
    lead = f"{org_intro} held a high-level {kind} on “{title}” on {when}{purpose}."
    if anonymous:
        lead += (
            f" The {kind} was held under the Chatham House Rule: what was said is reported here without "
            f"naming any speaker or participant, or their affiliation."
        )
        return Draft(headline=headline, paragraphs=[lead, *_unattributed(event, kind, speakers, redact)])
    paragraphs = [lead]

    moderators = [p for p, _ in speakers if p.role == Role.MODERATOR]
    others = [(p, pts) for p, pts in speakers if p.role not in (Role.MODERATOR, Role.CLOSING_REMARKS)]
    closing = [(p, pts) for p, pts in speakers if p.role == Role.CLOSING_REMARKS]
    moderator_points = [(p, pts) for p, pts in speakers if p.role == Role.MODERATOR and pts]

    total_points = sum(len(pts) for _, pts in speakers)
    capacity = len(VERBS) * MAX_USES
    group = max(1, math.ceil(total_points / capacity))
    verbs = _Verbs()
    common = common_words([p for _, pts in speakers for p in pts] + [event.abstract, event.purpose])
    people = {}

    def speaker_for(participation):
        if participation.pk not in people:
            people[participation.pk] = _Speaker(participation)
        return people[participation.pk]

    series = event.series
    framing = []
    if moderators:
        # The moderator's first mention, full form, is here: “… was moderated by Brig (Retd) Amir Yaqub, Director NIPS.”
        moderator_names = " and ".join(speaker_for(m).full().rstrip(",") for m in moderators)
        for m in moderators:
            speaker_for(m).mentions = 1
        framing.append(f"The {kind}{_series_clause(series)} was moderated by {moderator_names}.")
    elif series:
        framing.append(f"The {kind} was part of the {series.name}.")
    if series and series.intended_audience.strip():
        framing.append(f"The {series.name} brings together {series.intended_audience.strip().rstrip('.')}.")
    for participation, points in moderator_points:
        framing.extend(_speaker_sentences(speaker_for(participation), points, verbs, group, common))
    if framing:
        paragraphs.append(" ".join(framing))

    for participation, points in others:
        if points:
            paragraphs.append(" ".join(_speaker_sentences(speaker_for(participation), points, verbs, group, common)))
    # Everyone on the agenda is named, even before their points are in: the draft shows who is missing.
    silent = [p for p, pts in others if not pts]
    if silent:
        names = [speaker_for(p).full().rstrip(",") for p in silent]
        if len(names) == 1:
            # The first mention's appositive closes with its comma: “Dr. X, Professor, LUMS, also spoke.”
            paragraphs.append(f"{speaker_for(silent[0]).full()} also spoke.")
        else:
            # Semicolons: each name carries commas of its own designation.
            paragraphs.append(f"Also speaking were {'; '.join(names[:-1])}; and {names[-1]}.")
    for participation, points in closing:
        if points:
            paragraphs.append(
                " ".join(
                    _speaker_sentences(
                        speaker_for(participation),
                        points,
                        verbs,
                        group,
                        common,
                        opening="Delivering the closing remarks",
                    )
                )
            )
        else:
            paragraphs.append(f"{speaker_for(participation).full()} delivered the closing remarks.")
    return Draft(headline=headline, paragraphs=paragraphs)


# Under the Chatham House Rule no remark may be traced to a person. The agenda is public, so neither
# roles (“the main speaker”) nor the agenda's order may show in the report: points from everyone are
# reported in an order of their own (by a hash of their text: stable, unrelated to who spoke when),
# each with a subject that names no one, so two sentences cannot even be tied to the same speaker.
UNATTRIBUTED = ["One speaker", "Another participant", "It was", "A participant", "Another speaker", "It was also"]
SENTENCES_PER_PARAGRAPH = 3


def _unattributed(
    event: Event, kind: str, speakers: Sequence[tuple[Participation, Sequence[str]]], redact: Mapping[str, str] | None
) -> list[str]:
    paragraphs = []
    series = event.series
    if series:
        framing = f"The {kind} was part of the {series.name}."
        if series.intended_audience.strip():
            framing += f" The {series.name} brings together {series.intended_audience.strip().rstrip('.')}."
        paragraphs.append(framing)
    points = _redacted([p for _, pts in speakers for p in pts], redact)
    points.sort(key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    common = common_words([*points, event.abstract, event.purpose])
    group = max(1, math.ceil(len(points) / (len(VERBS) * MAX_USES)))
    verbs = _Verbs()
    sentences = []
    for index, chunk in enumerate(_chunks(points, group)):
        text = _join_points(chunk, common)
        own = OWN_VERB.match(text.strip())
        quote = not own and len(chunk) == 1 and bool(speech.QUOTATION.match(text.strip()))
        verb = verbs.take(
            own.group(1) if own else ("asked" if quote and text.strip().endswith("?”") else None), quote=quote
        )
        that = True
        if own:
            text = text.strip()[own.end() :]
            that = _takes_clause(own, text)
        subject = UNATTRIBUTED[index % len(UNATTRIBUTED)]
        if subject.startswith("It was"):
            if quote:
                subject = "A participant"  # a quotation needs someone saying it, if only “a participant”
            else:
                sentences.append(_sentence(subject, verb, text, common, quote=False, that=that))
                continue
        sentences.append(_sentence(subject, verb, text, common, quote=quote, that=that))
    for start in range(0, len(sentences), SENTENCES_PER_PARAGRAPH):
        paragraphs.append(" ".join(sentences[start : start + SENTENCES_PER_PARAGRAPH]))
    return paragraphs


def _series_clause(series) -> str:
    return f", part of the {series.name}," if series else ""


# “a participant of an organisation”, left by replacing “Mr. Farooq of the Trade Council”, says no more
# than “a participant”.
STAND_INS = re.compile(
    r"\ba participant(?:(?:,? (?:of|from|at|with) (?:the )?| and )"
    r"(?:a participant|an organisation)|’s|'s)+"
)


def terms_pattern(terms: Mapping[str, str] | Sequence[str]) -> re.Pattern:
    """Any of these terms as a whole word or phrase, any case, the longest first."""
    return re.compile(
        r"(?<!\w)(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?!\w)", re.I
    )


def _redacted(points: Sequence[str], terms: Mapping[str, str] | None) -> list[str]:
    if not terms:
        return list(points)
    folded = {term.casefold(): stand_in for term, stand_in in terms.items()}
    pattern = terms_pattern(terms)
    redacted = [pattern.sub(lambda m: folded[m.group(0).casefold()], p) for p in points]
    return [STAND_INS.sub("a participant", p) for p in redacted]
