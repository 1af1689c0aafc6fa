"""Reminder schedules written the way people say them: “1 day, 1 hour”, “1d, 1h, 30m” or minutes (“1440, 60”)."""

import re

from django.core.exceptions import ValidationError

from podium.events.models import validate_reminder_offsets

UNITS = {
    "": 1,
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
    "d": 1440,
    "day": 1440,
    "days": 1440,
    "w": 10080,
    "week": 10080,
    "weeks": 10080,
}
_PART = re.compile(r"(\d+)\s*([a-z]*)")
_WHOLE = re.compile(r"(?:\d+\s*[a-z]*\s*)+")
EXAMPLE = "Write for example “1 day, 1 hour”, “1d, 1h, 30m” or minutes: “1440, 60”."


def offset_parse(text: str) -> int:
    """One time before the start (“1 day”, “1h 30m”, “90”) in minutes."""
    cleaned = text.strip().lower().removesuffix("before").replace(" and ", " ").strip()
    parts = _PART.findall(cleaned)
    if not _WHOLE.fullmatch(cleaned) or any(unit not in UNITS for _, unit in parts):
        raise ValidationError(f"“{text.strip()}” is not a time before the start. {EXAMPLE}", code="invalid")
    return sum(int(number) * UNITS[unit] for number, unit in parts)


def offsets_parse(text: str) -> list[int]:
    """A whole schedule, latest reminder last: “1h, 1d” becomes [1440, 60]. Empty means no reminders."""
    items = [item for item in re.split(r"[,;\n]+", text) if item.strip()]
    offsets: list[int] = []
    seen: dict[int, str] = {}
    for item in items:
        minutes = offset_parse(item)
        if minutes <= 0:
            raise ValidationError(f"“{item.strip()}” is not before the start. {EXAMPLE}", code="invalid")
        if minutes in seen:
            raise ValidationError(
                f"“{item.strip()}” is the same time as “{seen[minutes]}”. Give each reminder time once.",
                code="duplicate",
            )
        seen[minutes] = item.strip()
        offsets.append(minutes)
    offsets.sort(reverse=True)
    validate_reminder_offsets(offsets)
    return offsets


def offset_label(minutes: int) -> str:
    """“1 day”, “1 hour”, “1 day 6 hours”, “90 minutes” (under two hours, odd minutes stay minutes)."""
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if not days and hours == 1 and mins:
        return f"{minutes} minutes"
    parts = []
    for number, unit in ((days, "day"), (hours, "hour"), (mins, "minute")):
        if number:
            parts.append(f"{number} {unit}{'s' if number != 1 else ''}")
    return " ".join(parts) or "0 minutes"


def offsets_format(offsets: list[int]) -> str:
    """The text shown in forms, which offsets_parse reads back: “1 day, 1 hour”."""
    return ", ".join(offset_label(minutes) for minutes in sorted(offsets, reverse=True))
