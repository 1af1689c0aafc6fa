"""Publishing (or unpublishing) from the confirmation page lands on the event's overview with the message."""

import pytest
from django.urls import reverse

from podium.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        ("staff:event_publish", Event.Status.DRAFT, "The event is published."),
        ("staff:event_unpublish", Event.Status.ANNOUNCED, "The event is a draft again."),
    ],
)
def test_publishing_lands_on_the_overview_with_the_message(admin_client, make_event, name, status, message):
    event = make_event(status=status)
    response = admin_client.post(reverse(name, args=[event.pk]), follow=True)
    assert response.redirect_chain == [(reverse("staff:event", args=[event.pk]), 302)]
    assert response.templates[0].name == "staff/event_overview.html"
    assert message in response.content.decode()
