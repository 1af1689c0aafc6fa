"""Template filters for dates in a given time zone, people's names and small page helpers."""

import zoneinfo
from datetime import datetime

from django import template
from django.conf import settings
from django.templatetags.tz import do_timezone
from django.urls import reverse
from django.utils.dateformat import format as date_format

register = template.Library()


def _zone(tz) -> zoneinfo.ZoneInfo:
    return tz if isinstance(tz, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(str(tz))


@register.filter
def in_zone(value: datetime, tz) -> datetime:
    """The time in that zone; marked so that |date and |time that follow keep the zone instead of
    converting back to the site's (Django's own |timezone filter does the same)."""
    return do_timezone(value, _zone(tz)) if value else value


@register.filter
def zone_label(value: datetime, tz) -> str:
    """“PKT (UTC+05:00)” style label, the abbreviation only when the zone has a lettered one."""
    local = value.astimezone(_zone(tz))
    abbreviation = local.tzname() or ""
    offset = local.strftime("%z")
    utc = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    if abbreviation and not abbreviation.startswith(("+", "-")) and abbreviation != "UTC":
        return f"{abbreviation} ({utc})"
    return utc


@register.simple_tag
def when(starts_at: datetime, ends_at: datetime, tz) -> str:
    """“Thursday 14 December 2023, 15:00–17:00 PKT (UTC+05:00)”: the span in one zone, zone always shown."""
    zone = _zone(tz)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    day = date_format(start, "l j F Y")
    if start.date() == end.date():
        span = f"{day}, {start:%H:%M}–{end:%H:%M}"
    else:
        span = f"{day}, {start:%H:%M} – {date_format(end, 'l j F Y')}, {end:%H:%M}"
    return f"{span} {zone_label(start, zone)}"


@register.filter
def short_date(value: datetime, tz) -> str:
    return date_format(value.astimezone(_zone(tz)), "j M Y")


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` for dictionaries built by a view."""
    return mapping.get(key) if mapping else None


@register.filter
def short_datetime(value: datetime, tz) -> str:
    """“25 May 2023, 17:42 PKT”: for stamps staff compare, such as versions of a press release."""
    local = value.astimezone(_zone(tz))
    return f"{date_format(local, 'j M Y')}, {local:%H:%M} {zone_label(value, tz)}"


@register.filter
def timecode(seconds) -> str:
    """Seconds into a recording as “1:02:05” or “12:05”."""
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag
def site_url(name: str, *args) -> str:
    """An absolute address on this site (settings.SITE_URL), for what leaves the page: share tags."""
    return settings.SITE_URL + reverse(name, args=args)
