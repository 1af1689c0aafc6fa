"""One spreadsheet row made into directory values, or the problems with it in plain words.

Pure functions, no database: the dry run and the import both call `row_clean`, so the problems
the staff read before importing are the ones the import skips.
"""

import re
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from podium.core.text import NAME_TEXT_MESSAGE, has_unsafe_characters
from podium.people.models import Segment
from podium.people.naming import honorific_split, name_split

# Longest values the directory holds (Person and Designation fields, Tag.name).
MAX_LENGTH = {
    "email": 254,
    "honorific": 80,
    "given_names": 150,
    "family_name": 150,
    "post_nominals": 80,
    "position": 200,
    "organisation": 300,
    "country": 100,
    "time_zone": 64,
    "tag": 80,
}


# Segment synonyms, kept few and unambiguous (docs/decisions.md): the values and labels of
# Segment are matched too, without case, spaces or punctuation.
SEGMENT_SYNONYMS = {
    "official": Segment.STATESMAN,
    "government official": Segment.STATESMAN,
    "statesmen": Segment.STATESMAN,
    "serving military": Segment.SERVING_DEFENCE,
    "serving defence": Segment.SERVING_DEFENCE,
    "armed forces": Segment.SERVING_DEFENCE,
    "former defence": Segment.FORMER_DEFENCE,
    "retired military": Segment.FORMER_DEFENCE,
    "retired defence official": Segment.FORMER_DEFENCE,
    "veteran": Segment.FORMER_DEFENCE,
    "diplomats": Segment.DIPLOMAT,
    "diplomatic corps": Segment.DIPLOMAT,
    "business": Segment.BUSINESS,
    "business leaders": Segment.BUSINESS,
    "private sector": Segment.BUSINESS,
    "experts": Segment.EXPERT,
    "policy expert": Segment.EXPERT,
    "analyst": Segment.EXPERT,
    "academic": Segment.SCHOLAR,
    "academia": Segment.SCHOLAR,
    "scholars": Segment.SCHOLAR,
    "researcher": Segment.SCHOLAR,
    "faculty": Segment.SCHOLAR,
    "students": Segment.STUDENT,
    "journalist": Segment.MEDIA,
    "journalists": Segment.MEDIA,
    "press": Segment.MEDIA,
}
CONSENT = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


SEGMENTS = {
    **{_words(value): Segment(value) for value in Segment.values},
    **{_words(label): Segment(value) for value, label in Segment.choices},
    **{_words(synonym): segment for synonym, segment in SEGMENT_SYNONYMS.items()},
}
SEGMENT_LIST = ", ".join(label for _, label in Segment.choices)


@lru_cache(maxsize=1)
def _time_zones() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


@dataclass
class ContactRow:
    number: int
    email: str = ""
    # Person fields with a value from the file: only these are written.
    person: dict = field(default_factory=dict)
    position: str = ""
    organisation: str = ""
    tags: list[str] = field(default_factory=list)
    # [(column heading, message)]
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_family_name(self) -> bool:
        return bool(self.person.get("family_name"))


def row_clean(*, number: int, values: list[str], headers: list[str], mapping: list[str]) -> ContactRow:
    row = ContactRow(number=number)
    cells = {key: (headers[i], values[i]) for i, key in enumerate(mapping) if key}

    def text(key: str, limit_key: str | None = None) -> str:
        heading, value = cells.get(key, ("", ""))
        value = " ".join(value.split())
        if has_unsafe_characters(value):  # NUL, direction overrides, zero-width: what split() leaves
            row.problems.append((heading, NAME_TEXT_MESSAGE))
            return ""
        limit = MAX_LENGTH[limit_key or key]
        if len(value) > limit:
            row.problems.append((heading, f"Too long: {len(value)} characters, at most {limit} fit."))
            return ""
        return value

    heading, email = cells.get("email", ("", ""))
    email = email.strip().lower()
    if not email:
        row.problems.append((heading, "The email address is missing."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            row.problems.append((heading, f"“{cells['email'][1].strip()}” is not a valid email address."))
        else:
            row.email = email

    person = row.person
    for key in ("given_names", "family_name", "post_nominals", "country"):
        if value := text(key):
            person[key] = value
    if rank := text("honorific"):
        person["honorific"], person["retired"] = honorific_split(rank)
    if not person.get("family_name") and (full := text("full_name", "family_name")):
        split = name_split(full)
        for key in ("given_names", "family_name"):
            if split[key]:
                person[key] = split[key]
        if split["honorific"] and "honorific" not in person:
            person["honorific"], person["retired"] = split["honorific"], split["retired"]
        elif split["retired"]:
            person["retired"] = True
    row.position, row.organisation = text("position"), text("organisation")

    heading, zone = cells.get("time_zone", ("", ""))
    if zone := zone.strip():
        if canonical := _time_zones().get(zone.casefold()):
            person["time_zone"] = canonical
        else:
            row.problems.append(
                (heading, f"“{zone}” is not a time zone name. Use a name such as Asia/Karachi or Europe/London.")
            )

    heading, segment = cells.get("segment", ("", ""))
    if segment := segment.strip():
        if found := SEGMENTS.get(_words(segment)):
            person["segment"] = found.value
        else:
            row.problems.append((heading, f"“{segment}” is not a segment Podium knows. Use one of: {SEGMENT_LIST}."))

    heading, consent = cells.get("consent", ("", ""))
    if consent := consent.strip():
        if (answer := CONSENT.get(consent.casefold())) is not None:
            person["consent_to_contact"] = answer
        else:
            row.problems.append(
                (heading, f"“{consent}” is not a yes-or-no answer. Write yes or no, or leave it empty.")
            )

    heading, tags = cells.get("tags", ("", ""))
    seen = set()
    for tag in re.split(r"[;,]", tags):
        tag = " ".join(tag.split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > MAX_LENGTH["tag"]:
            row.problems.append(
                (heading, f"The tag “{tag[:30]}…” is too long: at most {MAX_LENGTH['tag']} characters.")
            )
            continue
        if has_unsafe_characters(tag):
            row.problems.append((heading, NAME_TEXT_MESSAGE))
            continue
        seen.add(tag.casefold())
        row.tags.append(tag)
    return row
