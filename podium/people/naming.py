"""How a person's name is written: the one place that formats names, first and later mentions and sort order.

Works on anything with the Person attributes, so it is easy to test and to reuse in reports.
"""

import re
from collections.abc import Sequence

# Ranks and honorifics recognised at the start of a full name, compared in lower case without
# trailing dots; the longest phrase wins ("Maj Gen" before "Maj").
HONORIFICS = {
    "air chief marshal",
    "air vice marshal",
    "air marshal",
    "air cdre",
    "air commodore",
    "lt gen",
    "lt-gen",
    "lieutenant general",
    "maj gen",
    "maj-gen",
    "major general",
    "brig gen",
    "brigadier general",
    "lt col",
    "lt-col",
    "lieutenant colonel",
    "rear admiral",
    "rear adm",
    "vice admiral",
    "vice adm",
    "wg cdr",
    "wing commander",
    "sqn ldr",
    "squadron leader",
    "gp capt",
    "group captain",
    "gen",
    "general",
    "brig",
    "brigadier",
    "col",
    "colonel",
    "maj",
    "major",
    "capt",
    "captain",
    "lt",
    "lieutenant",
    "cdre",
    "commodore",
    "cdr",
    "commander",
    "adm",
    "admiral",
    "ambassador",
    "amb",
    "h.e",
    "dr",
    "prof",
    "professor",
    "mr",
    "ms",
    "mrs",
    "miss",
    "mx",
    "engr",
    "justice",
    "senator",
    "sen",
    "sir",
    "dame",
    "hon",
    "honourable",
    "the honourable",
}
_LONGEST_HONORIFIC = max(len(h.split()) for h in HONORIFICS)
RETIRED = re.compile(r"\(\s*(?:retd|retired|r)\s*\.?\s*\)|\bretd\b\.?", re.IGNORECASE)


def _rank(person) -> str:
    rank = person.honorific.strip()
    if person.retired:
        return f"{rank} (Retd)" if rank else "(Retd)"
    return rank


def full_name(person) -> str:
    """Given names then family name: “Vladimir Kozin”."""
    return " ".join(part for part in (person.given_names.strip(), person.family_name.strip()) if part)


def styled_name(person) -> str:
    """Rank, name and post-nominals: “Brig (Retd) Amir Yaqub”."""
    name = " ".join(part for part in (_rank(person), full_name(person)) if part)
    if person.post_nominals.strip():
        name = f"{name} {person.post_nominals.strip()}"
    return name


def designation_text(designation) -> str:
    position, organisation = designation.position.strip(), designation.organisation.strip()
    if position and organisation:
        return f"{position}{',' if designation.comma else ''} {organisation}"
    return position or organisation


def designations_text(designations: Sequence) -> str:
    """Designations joined as institutes write them: “A”, “A, and B”, “A, B, and C”."""
    texts = [designation_text(d) for d in designations]
    texts = [t for t in texts if t]
    if len(texts) <= 1:
        return "".join(texts)
    return ", ".join(texts[:-1]) + ", and " + texts[-1]


def first_mention(person, designations: Sequence) -> str:
    """The full form for a first mention: “Brig (Retd) Amir Yaqub, Director NIPS”."""
    designation = designations_text(designations)
    return f"{styled_name(person)}, {designation}" if designation else styled_name(person)


def later_mention(person) -> str:
    """The short form for later mentions: “Dr. Kozin”, “Ambassador Amin”; “(Retd)” is dropped."""
    if person.later_mention_override.strip():
        return person.later_mention_override.strip()
    family = person.family_name.strip()
    rank = person.honorific.strip()
    return f"{rank} {family}" if rank else family


def sort_key(person) -> str:
    """Alphabetical by family name, then given names, unless an explicit sort key is set."""
    if person.sort_as.strip():
        return person.sort_as.strip().casefold()
    return f"{person.family_name.strip()} {person.given_names.strip()}".casefold()


def honorific_split(text: str) -> tuple[str, bool]:
    """“Brig (Retd)” -> ("Brig", True): the rank as written and whether it is retired."""
    retired = bool(RETIRED.search(text))
    rank = " ".join(RETIRED.sub(" ", text).split()) if retired else " ".join(text.split())
    return rank, retired


def name_split(text: str) -> dict:
    """A full name as one cell: a leading rank or honorific (and “(Retd)”), then given names and,
    last word, the family name. “Maj Gen (Retd) Inam ul Haque” -> Maj Gen, retired, Inam ul, Haque."""
    words, rank, retired = text.split(), [], False
    while words:
        if RETIRED.fullmatch(words[0]):
            retired, words = True, words[1:]
            continue
        for size in range(min(_LONGEST_HONORIFIC, len(words) - 1), 0, -1):
            if " ".join(w.casefold().rstrip(".,") for w in words[:size]) in HONORIFICS:
                rank += words[:size]
                words = words[size:]
                break
        else:
            break
    return {
        "honorific": " ".join(rank),
        "retired": retired,
        "given_names": " ".join(words[:-1]),
        "family_name": words[-1] if words else "",
    }
