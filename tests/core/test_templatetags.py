"""Date filters keep the zone they were given, also through Django's |date and |time."""

from datetime import UTC, datetime

from django.template import Context, Template


def test_in_zone_survives_date_and_time_filters(settings):
    settings.TIME_ZONE = "UTC"
    moment = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
    html = Template(
        '{% load podium %}{{ t|in_zone:"Asia/Karachi"|time:"H:i" }} {{ t|in_zone:"Europe/Moscow"|date:"j M H:i" }}'
    ).render(Context({"t": moment}))
    assert html == "15:00 9 Dec 13:00"
