"""Reads of the outbox for the staff pages."""

from django.db.models import Count, QuerySet

from podium.mail.models import Message


def message_list(*, status: str = "", event=None) -> QuerySet[Message]:
    messages = Message.objects.select_related("event").defer("body_text", "body_html", "attachments")
    if status:
        messages = messages.filter(status=status)
    if event is not None:
        messages = messages.filter(event=event)
    return messages


def outbox_counts() -> dict[str, int]:
    counts = dict(Message.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in Message.Status.values}
