"""VTIMEZONE components for calendar files: each zone's yearly rule (RRULE), as calendar programs expect.

icalendar's Timezone.from_tzid lists every transition from 1970 to 2038 as fixed dates (RDATE)
and writes each onset in the local time after the change (03:00 for New York's spring change, not
RFC 5545's 02:00), which vobject and others then read an hour off for every summer date.

Here the zone's transitions come from zoneinfo. Each kind of change around the event (New York:
to EDT in March, to EST in November) that happens once a year, from the year before the event
to four years after it, on the same weekday of the same week of the same month at the same
local time, becomes one observance with a yearly RRULE ("second Sunday of March, 02:00") that
starts when the zone began to follow it (2007 for New York), so every file for the zone carries
the same definition. A change that follows no such rule (Morocco's Ramadan changes, Chile's
"Sunday after the first Saturday") is listed with its dates in those years. Onsets are written
in the local time before the change (TZOFFSETFROM), as RFC 5545 says. Every observance gives
exactly the transitions zoneinfo knows in those years, so the event's times read correctly.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

YEARS_BEFORE, YEARS_AFTER = 1, 4
HISTORY_STARTS = datetime(1970, 1, 1, tzinfo=UTC)  # how far back a rule's start is looked for
DAY = timedelta(days=1)
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _state(zone: ZoneInfo, at: datetime) -> tuple[timedelta, str]:
    local = at.astimezone(zone)
    return _offset(local), local.tzname() or ""


def _offset(local: datetime) -> timedelta:
    """A zoneinfo time always has an offset; utcoffset() is typed as optional only for naive times."""
    offset = local.utcoffset()
    assert offset is not None
    return offset


def zone_changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, tuple, tuple]]:
    """(instant in UTC, state before, state after) for each change of offset or name; a state is (offset, name)."""
    changes = []
    at, state = start, _state(zone, start)
    while at < end:
        following = _state(zone, at + DAY)
        if following != state:  # the change lies within this day: narrow it down to the second
            before, after = at, at + DAY
            while after - before > timedelta(seconds=1):
                middle = before + (after - before) / 2
                before, after = (middle, after) if _state(zone, middle) == state else (before, middle)
            changes.append((after.replace(microsecond=0), state, following))
            state = following
        at += DAY
    return changes


def _yearly_rule(onsets: list[datetime], years: range) -> dict | None:
    """The RRULE that gives exactly these onsets, one in each of the years, or None when there is none."""
    if [onset.year for onset in onsets] != list(years):
        return None
    first = onsets[0]
    if any(
        (onset.month, onset.time(), onset.weekday()) != (first.month, first.time(), first.weekday()) for onset in onsets
    ):
        return None
    weekday = WEEKDAYS[first.weekday()]
    weeks = {(onset.day - 1) // 7 + 1 for onset in onsets}
    last = all(onset.day + 7 > calendar.monthrange(onset.year, onset.month)[1] for onset in onsets)
    if last:  # "last Sunday of March"; checked first, as most rules that could be either are written so
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"-1{weekday}"}
    if len(weeks) == 1 and weeks <= {1, 2, 3, 4}:  # "second Sunday of March"
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"{weeks.pop()}{weekday}"}
    return None


@dataclass(frozen=True)
class Change:
    """A kind of change of a zone's clock: New York's "to EDT", "to EST"."""

    offset_from: timedelta
    offset_to: timedelta
    name: str
    # The zone marks the new time as daylight saving time: zoneinfo's dst() is not zero (it is
    # negative in Dublin's and Morocco's winter, where the law calls the summer time standard).
    daylight: bool


def _observance(change: Change, first: datetime, rule: dict | None, more: list[datetime]) -> icalendar.Component:
    observance = icalendar.TimezoneDaylight() if change.daylight else icalendar.TimezoneStandard()
    observance.add("TZNAME", change.name)
    observance.add("TZOFFSETFROM", change.offset_from)
    observance.add("TZOFFSETTO", change.offset_to)
    observance.add("DTSTART", first)
    if rule:
        observance.add("RRULE", rule)
    for onset in more:  # one RDATE line each: vobject keeps only the first date of a list
        observance.add("RDATE", onset)
    return observance


def vtimezone(tzid: str, year: int) -> icalendar.Timezone:
    """The zone as a VTIMEZONE that is exact from the year before `year` to four years after it."""
    zone = ZoneInfo(tzid)
    years = range(year - YEARS_BEFORE, year + YEARS_AFTER + 1)
    onsets = defaultdict(list)  # Change -> its onsets, in local time before the change
    for at, (offset_from, _), (offset_to, name) in zone_changes(
        zone, HISTORY_STARTS, datetime(years.stop, 1, 1, tzinfo=UTC)
    ):
        change = Change(offset_from, offset_to, name, daylight=bool(at.astimezone(zone).dst()))
        onsets[change].append(at.replace(tzinfo=None) + offset_from)

    observances: dict[Change, tuple[datetime, dict | None, list[datetime]]] = {}  # (first onset, RRULE, more)
    for change, dates in onsets.items():
        around = [onset for onset in dates if onset.year in years]
        rule = _yearly_rule(around, years)
        if rule:
            earlier = [onset for onset in dates if onset.year < years.start]
            while earlier and _yearly_rule([earlier[-1], *around], range(around[0].year - 1, years.stop)) == rule:
                around.insert(0, earlier.pop())  # the zone already followed the rule that year
            observances[change] = (around[0], rule, [])
        elif around:
            observances[change] = (around[0], None, around[1:])
    if not any(rule for _, rule, _ in observances.values()):
        # No rule reaches back before these years (a zone without summer time, or one whose
        # changes are listed): the last change before them says what holds until their first.
        before = [(onset, change) for change, dates in onsets.items() for onset in dates if onset.year < years.start]
        if before:
            onset, change = max(before, key=lambda pair: pair[0])
        else:
            local = HISTORY_STARTS.astimezone(zone)
            onset = local.replace(tzinfo=None)
            change = Change(_offset(local), _offset(local), local.tzname() or "", daylight=bool(local.dst()))
        first, _, more = observances.get(change, (None, None, []))
        observances[change] = (onset, None, [first, *more] if first else [])

    timezone = icalendar.Timezone()
    timezone.add("TZID", tzid)
    for change, (first, rule, more) in sorted(observances.items(), key=lambda item: item[1][0]):
        timezone.add_component(_observance(change, first, rule, more))
    return timezone


@lru_cache(maxsize=64)
def vtimezone_ical(tzid: str, year: int) -> bytes:
    # A reminder round writes one calendar file per registrant, all for the same zone and year.
    return vtimezone(tzid, year).to_ical()
