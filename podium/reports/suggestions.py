"""Suggested points: for each speaker, the sentences that say most of what they said (extractive,
offline: word weights from the transcript itself, no model, no network).

Never what only manages the session (greetings, thanks, hand-overs, housekeeping, “can you hear me”:
`speech.procedural`), nor a moderator's introductions of others; a sentence that leans on the one before
(“They are focused on …”, or a fragment without a verb) is suggested together with it."""

import math
import re
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from podium.reports import speech

Speaker = TypeVar("Speaker", bound=Hashable)  # whatever the caller keys speakers by

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
# “Dr. Kazmi” and “Mr. Shah” do not end a sentence.
ABBREVIATIONS = frozenset("dr mr mrs ms prof gen lt col brig maj capt cdr adm amb retd st no vs etc hon sr jr".split())
WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)?", re.U)
# Short key sentences count (“Russia is a reliable partner.”); a passage of two sentences may be longer.
MIN_WORDS, MAX_WORDS = 4, 90
MODERATING = re.compile(
    r"\b(?:(?:first|next|last|another|one more|a) question (?:is )?from|(?:he|she|they) asks?|is asking|"
    r"are asking|one is from|from the audience|in the chat)\b",
    re.I,
)
# A sentence sharing this much of its words with one already chosen says the same claim again.
SAME_CLAIM = 0.34

STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can cannot could did do does doing don't down during each few for from further had has have
having he her here hers herself him himself his how i i'm if in into is isn't it it's its itself just let's me
more most my myself no nor not now of off on once only or other ought our ours ourselves out over own same she
should so some such than that that's the their theirs them themselves then there there's these they they're
this those through to too under until up very was we we're were what when where which while who whom why will
with would you your yours yourself yourselves yes okay ok well really actually thank thanks think know going
get got like just say said says mean lot things thing kind sort much many one two way very also even still
""".split()
)


@dataclass(frozen=True)
class Sentence:
    text: str  # as spoken: one sentence, or two when the second leans on the first
    start: float | None  # seconds into the recording, from the turn it came from
    score: float = 0.0
    parts: tuple[str, ...] = ()  # the sentences of ``text``


def sentences_of(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for boundary in SENTENCE_END.finditer(text):
        before = text[start : boundary.start()].rstrip(".").rsplit(None, 1)
        if (
            before
            and boundary.start() > 0
            and text[boundary.start() - 1] == "."
            and (before[-1].lower() in ABBREVIATIONS or len(before[-1]) == 1)
        ):
            continue  # an abbreviation or an initial
        sentences.append(text[start : boundary.start()].strip())
        start = boundary.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _words(text: str) -> list[str]:
    return [w for w in (m.lower() for m in WORD.findall(text)) if len(w) > 2 and w not in STOPWORDS]


def passages(turns: Sequence[tuple[str, float | None]]) -> list[tuple[tuple[str, ...], float | None]]:
    """A speaker's sentences in order, procedural ones dropped, each sentence that leans on the one
    before (a dangling “they …”, a fragment without a verb) joined to it. A fragment with nothing to
    join (“Third, debt-for-climate swaps.”) is a heading: the next sentence's “they” becomes its subject."""
    result: list[tuple[tuple[str, ...], float | None]] = []
    previous_kept = False
    heading = ""
    for text, start in turns:
        for sentence in sentences_of(text):
            if speech.procedural(sentence):
                previous_kept, heading = False, ""
                continue
            if speech.fragment(sentence):
                if previous_kept and len(result[-1][0]) < 3 and speech.continues(sentence):
                    result[-1] = ((*result[-1][0], sentence), result[-1][1])
                else:
                    previous_kept, heading = False, speech.topic(sentence)
                continue
            if speech.dangling(sentence):
                if heading:
                    result.append(((speech.with_topic(sentence, heading),), start))
                elif previous_kept and len(result[-1][0]) < 3:
                    result[-1] = ((*result[-1][0], sentence), result[-1][1])
                else:  # it leans on something not kept (a hand-over, another speaker): left out
                    previous_kept = False
                    continue
            else:
                result.append(((sentence,), start))
            previous_kept, heading = True, ""
    return result


def suggest(
    *,
    turns_by_speaker: Mapping[Speaker, Sequence[tuple[str, float | None]]],
    per_speaker: int = 5,
    exclude: frozenset[str] = frozenset(),
    introducers: frozenset = frozenset(),
    names: Sequence[str] = (),
) -> dict[Speaker, list[Sentence]]:
    """The most representative sentences of each speaker, in the order they were said.

    A sentence scores by the words it shares with the rest of its speaker's talk (how often the
    speaker uses them), weighted by how particular those words are to this speaker compared with the
    others (so “Pakistan”, said by everyone, counts less than “Zapad”), and divided by the square
    root of its length so long sentences do not win by size alone. Each speaker's distinct claims come
    first: a sentence that repeats much of a chosen one is skipped. Sentences already made into points
    (``exclude``) are skipped, and so are sentences of ``introducers`` (the moderators) that name one of
    ``names`` (the other speakers): the moderator's framing of the topic counts, his introductions do not."""
    named = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.I) if names else None
    sentences: dict[Speaker, list[tuple[tuple[str, ...], float | None, list[str]]]] = {}
    speaker_words: dict[Speaker, Counter] = {}
    for speaker, turns in turns_by_speaker.items():
        found = []
        counts: Counter = Counter()
        for parts, start in passages(turns):
            passage = " ".join(parts)
            words = _words(passage)
            counts.update(set(words))
            n = len(passage.split())
            if not MIN_WORDS <= n <= MAX_WORDS or passage in exclude or parts[0].endswith("?"):
                continue
            # A moderator naming a speaker, speaking to one (“you”) or reading out the audience's questions is
            # running the session.
            if speaker in introducers and (
                (named and named.search(passage)) or speech.SECOND_PERSON.search(passage) or MODERATING.search(passage)
            ):
                continue
            found.append((parts, start, words))
        sentences[speaker], speaker_words[speaker] = found, counts

    speakers = len(turns_by_speaker) or 1
    used_by: Counter = Counter()
    for counts in speaker_words.values():
        used_by.update(counts.keys())

    result: dict[Speaker, list[Sentence]] = {}
    for speaker, found in sentences.items():
        counts = speaker_words[speaker]
        weight = {w: math.log1p(c) * math.log(1 + speakers / used_by[w]) for w, c in counts.items()}
        scored = []
        for index, (parts, start, words) in enumerate(found):
            distinct = set(words)
            if not distinct:
                continue
            score = sum(weight[w] for w in distinct) / math.sqrt(sum(len(p.split()) for p in parts))
            scored.append((score, index, parts, start, distinct))
        scored.sort(key=lambda item: (-item[0], item[1]))
        chosen: list[tuple[int, Sentence, set[str]]] = []
        for score, index, parts, start, distinct in scored:
            if any(len(distinct & other) / len(distinct | other) > SAME_CLAIM for _, _, other in chosen):
                continue
            chosen.append((index, Sentence(" ".join(parts), start, round(score, 3), parts), distinct))
            if len(chosen) == per_speaker:
                break
        result[speaker] = [s for _, s, _ in sorted(chosen, key=lambda item: item[0])]
    return result
