"""Names people type (a registrant's name, an organisation, a sender): refused when they hide control
characters, and made safe to put in an email header when old data still holds some."""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069): they make a name read
# differently from what it is. Zero-width characters (U+200B–200D, U+2060, U+FEFF) hide inside one.
# U+200C/U+200D also join letters in Persian and Indic scripts; names here are refused with them all
# the same (decision 27), since a name typed without them reads the same to everyone.
INVISIBLE = frozenset(
    [
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
    ]
)
# Line and paragraph separators end a line for some readers, as CR and LF do.
SEPARATORS = frozenset(["\u2028", "\u2029"])

NAME_TEXT_MESSAGE = (
    "This cannot contain line breaks or hidden characters (control characters, direction marks or "
    "zero-width spaces). Please type it again on one line."
)


def is_unsafe_character(character: str) -> bool:
    """C0 and C1 controls (CR, LF, TAB, NUL, DEL …), direction overrides and isolates, zero-width characters."""
    return unicodedata.category(character) == "Cc" or character in INVISIBLE or character in SEPARATORS


def has_unsafe_characters(value: str) -> bool:
    return any(is_unsafe_character(character) for character in value)


def validate_name_text(value) -> None:
    """A validator for every name-like field: a person's name, an organisation, a position, a sender."""
    if value and has_unsafe_characters(str(value)):
        raise ValidationError(NAME_TEXT_MESSAGE, code="unsafe_characters")


_SPACES = re.compile(r"\s+")


def display_name_clean(value: str) -> str:
    """A stored name as an email header may show it: every unsafe character becomes a space, runs of
    spaces become one. For rows saved before validate_name_text existed, and for anything else."""
    text = "".join(" " if is_unsafe_character(character) else character for character in str(value))
    return _SPACES.sub(" ", text).strip()
