"""How a person's name is written: the one place that formats names, first and later mentions and sort order.

Works on anything with the Person attributes, so it is easy to test and to reuse in reports.
"""

from collections.abc import Sequence


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
