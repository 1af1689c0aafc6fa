"""What the live session tells staff pages drawn by any app: the workspace header's status badge."""

from django import template
from django.utils.html import format_html

from podium.events.models import Event
from podium.live import selectors

register = template.Library()


@register.simple_tag
def event_status_badge(event: Event) -> str:
    """The event's status; "Ended" once a moderator has ended its live session, though its status (which
    staff set) still says announced or live."""
    status, label = event.status, event.get_status_display()
    if status in (Event.Status.ANNOUNCED, Event.Status.LIVE) and selectors.session_ended(event=event):
        status, label = Event.Status.ENDED.value, Event.Status.ENDED.label
    return format_html('<span class="badge badge-event-{}">{}</span>', status, label)
