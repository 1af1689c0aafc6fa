"""Matching a transcript's speaker labels (“Kozin”, “Dr Vladimir Kozin”, “V. Kozin (MGIMO)”) to the
event's participants, tolerant of ranks, initials and spelling variants; staff confirm the result."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Generic, TypeVar

# Words that say rank or courtesy, not who someone is; dropped from both sides before comparing.
TITLES = frozenset(
    """
    dr doctor prof professor mr mrs ms miss sir dame madam hon honourable he excellency his her
    amb ambassador retd retired r gen general maj major lt lieutenant col colonel brig brigadier capt captain
    cdr commander adm admiral air marshal vice rear cmdr sqn ldr wg wing grp group cdre commodore
    justice senator minister engr engineer syed sheikh mian
""".split()
)
WORD = re.compile(r"[^\W\d_]+", re.U)
BRACKETS = re.compile(r"\([^)]*\)|\[[^]]*\]")

# A label must score this well, and clearly better than the next candidate, to be suggested.
THRESHOLD = 0.72
MARGIN = 0.08


Candidate = TypeVar("Candidate")  # a participation, or whatever the caller matches labels to


@dataclass(frozen=True)
class Match(Generic[Candidate]):
    candidate: Candidate | None  # None when unsure
    score: float


def name_tokens(text: str) -> list[str]:
    """Lower-case, unaccented name words without titles: “Maj Gen (Retd) Inam-ul-Haque” → inam, ul, haque."""
    text = BRACKETS.sub(" ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return [w for w in WORD.findall(text) if w not in TITLES]


# Transliterated names are spelt many ways (Yaqub, Yaqoob, Yakub; Kazmi, Kazmee; Haque, Haq):
# compare their rough sound as well as their letters.
SOUNDS = [
    ("que", "k"),
    ("ph", "f"),
    ("q", "k"),
    ("ck", "k"),
    ("w", "v"),
    ("ee", "i"),
    ("oo", "u"),
    ("ou", "u"),
    ("aa", "a"),
    ("ii", "i"),
    ("uu", "u"),
    ("y", "i"),
    ("z", "s"),
    ("dh", "d"),
    ("th", "t"),
]


def _sound(token: str) -> str:
    for spelt, sound in SOUNDS:
        token = token.replace(spelt, sound)
    return token[:-1] if len(token) > 3 and token.endswith(("e", "h")) else token


def _token_score(label_token: str, name: Sequence[str]) -> float:
    best = 0.0
    for token in name:
        if label_token == token:
            return 1.0
        if len(label_token) == 1 and token.startswith(label_token):
            best = max(best, 0.85)  # an initial: “V Kozin”
        elif len(label_token) > 2 and len(token) > 2:
            if _sound(label_token) == _sound(token):
                best = max(best, 0.95)
                continue
            ratio = SequenceMatcher(None, _sound(label_token), _sound(token)).ratio()
            if ratio >= 0.75:  # other spelling variants: Ashfaq for Ashfaque
                best = max(best, ratio * 0.9)
    return best


def label_score(label: str, *, given: str, family: str, other_forms: Sequence[str] = ()) -> float:
    """How surely a label names this person, from 0 to 1. The family name must be there (or
    an alternative form, such as a later-mention override); given names and initials add to it."""
    words = name_tokens(label)
    if not words:
        return 0.0
    family_words = name_tokens(family)
    given_words = name_tokens(given)
    everything = family_words + given_words
    scores = [_token_score(w, everything) for w in words]
    family_hit = max((_token_score(w, family_words) for w in words), default=0.0)
    for form in other_forms:
        form_words = name_tokens(form)
        if form_words and form_words == words:
            return 1.0
    if family_hit < 0.7:
        # “Vladimir” alone could be anyone called Vladimir: only a weak guess.
        return min(sum(scores) / len(scores), 1.0) * 0.6
    return 0.6 * (sum(scores) / len(scores)) + 0.4 * family_hit


def match_label(label: str, candidates: Sequence[Candidate], *, person=lambda c: c.person) -> Match[Candidate]:
    """The candidate a label most likely names, or none when no one is a clear best."""
    scored = []
    for candidate in candidates:
        p = person(candidate)
        forms = [p.later_mention_override] if p.later_mention_override else []
        scored.append((label_score(label, given=p.given_names, family=p.family_name, other_forms=forms), candidate))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if not scored or scored[0][0] < THRESHOLD:
        return Match(None, scored[0][0] if scored else 0.0)
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN and person(scored[0][1]) != person(scored[1][1]):
        return Match(None, scored[0][0])
    return Match(scored[0][1], scored[0][0])
