"""Calendar files carry each zone as a yearly rule, which an independent parser (vobject) reads back exactly."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from podium.events.calendar import event_calendar, event_uid
from podium.events.timezones import vtimezone


def local(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    "zone, starts_at",
    [
        ("America/New_York", local("America/New_York", 2027, 7, 15, 10, 0)),  # EDT, UTC-4
        ("America/New_York", local("America/New_York", 2027, 1, 15, 10, 0)),  # EST, UTC-5
        ("America/New_York", local("America/New_York", 2027, 3, 14, 9, 0)),  # the morning clocks go forward
        ("Asia/Karachi", local("Asia/Karachi", 2027, 7, 15, 15, 0)),  # no summer time
        ("Africa/Casablanca", local("Africa/Casablanca", 2027, 2, 20, 15, 0)),  # Ramadan: changes listed by date
    ],
)
@pytest.mark.django_db
def test_vobject_reads_the_start_and_end_exactly(make_event, zone, starts_at):
    event = make_event(time_zone=zone, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    ics = event_calendar(event=event, join_hint="Join: http://x/j/")
    calendar = vobject.readOne(ics.decode())
    assert calendar.vevent.dtstart.value == event.starts_at
    assert calendar.vevent.dtend.value == event.ends_at
    # The same through the file's own VTIMEZONE, whatever vobject may have cached for the TZID.
    zone_read = calendar.vtimezone.gettzinfo()
    for value, expected in (
        (calendar.vevent.dtstart.value, event.starts_at),
        (calendar.vevent.dtend.value, event.ends_at),
    ):
        wall = value.replace(tzinfo=None).replace(tzinfo=zone_read)
        assert wall == expected and wall.utcoffset() == expected.utcoffset()


@pytest.mark.django_db
def test_a_summer_time_zone_is_written_as_two_yearly_rules(make_event):
    starts_at = local("America/New_York", 2027, 7, 15, 10, 0)
    event = make_event(time_zone="America/New_York", starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    ics = event_calendar(event=event)
    assert b"RDATE" not in ics
    [zone] = icalendar.Calendar.from_ical(ics).walk("VTIMEZONE")
    [daylight], [standard] = zone.walk("DAYLIGHT"), zone.walk("STANDARD")
    # RFC 5545: each onset in the local time before the change, 02:00 both in March and November.
    assert daylight.to_ical().decode().splitlines()[1:4] == [
        "DTSTART:20070311T020000",
        "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
        "TZNAME:EDT",
    ]
    assert standard["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"
    assert (daylight["TZOFFSETTO"].td, standard["TZOFFSETTO"].td) == (timedelta(hours=-4), timedelta(hours=-5))
    # The same definition for every year of the rule, so a program that keeps the first it saw is right.
    assert vtimezone("America/New_York", 2026).to_ical() == vtimezone("America/New_York", 2031).to_ical()


@pytest.mark.django_db
def test_the_rest_of_the_calendar_file_is_as_before(make_event):
    event = make_event(title="Pakistan–Russia Relations", location="NIPS, Islamabad")
    [vevent] = icalendar.Calendar.from_ical(
        event_calendar(event=event, join_hint="Join the event: http://testserver/j/t/")
    ).walk("VEVENT")
    assert str(vevent["UID"]) == event_uid(event) and vevent["SEQUENCE"] == event.calendar_sequence
    assert str(vevent["SUMMARY"]) == "Pakistan–Russia Relations" and str(vevent["LOCATION"]) == "NIPS, Islamabad"
    assert "Join the event: http://testserver/j/t/" in str(vevent["DESCRIPTION"])
    assert "/r/" not in str(vevent["DESCRIPTION"])  # never a link that manages the registration
    assert str(vevent["DTSTART"].params["TZID"]) == "Asia/Karachi"
