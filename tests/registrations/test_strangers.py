"""A stranger who knows someone's address, or holds their forwarded join link, can neither change their
registration, nor learn that it exists, nor cancel it (issue 12, items 3 and 9).

Everything goes through the real views and the real database (SQLite and PostgreSQL): the public
form sent again with someone else's address, names with hidden characters, the join link and the
calendar file.
"""

import re
from datetime import timedelta

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from podium.events.forms import SpeakerProfileForm
from podium.mail.models import Message
from podium.people.models import Person
from podium.registrations import services
from podium.registrations.forms import RegistrationForm
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db

OWNER = dict(name="Ambassador Sana Malik", email="sana@example.org", organisation="QAU", segment="diplomat")


def post_form(client: Client, event, **fields):
    data = {"name": "", "email": "", "organisation": "", "designation": "", "segment": "scholar", **fields}
    return client.post(f"/events/{event.slug}/register/", data)


def thank_you_page(client: Client, event, **fields) -> tuple[int, str, int, str]:
    """What the browser sees after sending the form: the POST's status and redirect, then the page."""
    response = post_form(client, event, **fields)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return response.status_code, response.get("Location", ""), page.status_code, page.content.decode()


def comparable(html: str, email: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "ADDRESS")


def owner_registration(event) -> Registration:
    status, _, _, _ = thank_you_page(Client(), event, **OWNER)
    assert status == 302
    return Registration.objects.get(event=event, email=OWNER["email"])


# Item 3: the public form sent again with someone else's address ---------------------------------------


def test_a_stranger_sending_the_form_with_someones_address_changes_nothing(make_event):
    event = make_event(capacity=10)
    registration = owner_registration(event)
    before = Registration.objects.filter(pk=registration.pk).values().get()

    stranger = Client()
    status, _, page_status, _ = thank_you_page(
        stranger,
        event,
        name="Someone Else",
        email="SANA@example.org ",
        organisation="Impostors Ltd",
        designation="Intruder",
        segment="media",
    )
    assert (status, page_status) == (302, 200)
    after = Registration.objects.filter(pk=registration.pk).values().get()
    assert after == before  # name, organisation, segment, tokens, status, even updated_at
    assert Registration.objects.filter(event=event).count() == 1


def test_the_page_is_the_same_whether_or_not_the_address_was_registered(make_event):
    event = make_event(capacity=10)
    owner_registration(event)
    fresh = thank_you_page(Client(), event, name="New Person", email="new@example.org")
    again = thank_you_page(Client(), event, name="Someone Else", email=OWNER["email"])
    assert fresh[:3] == again[:3]  # the same answer, the same redirect, the same page status
    assert comparable(fresh[3], "new@example.org") == comparable(again[3], OWNER["email"])
    assert "already" not in again[3].lower()


def test_the_owner_is_emailed_their_own_manage_link_after_commit(make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=10)
    registration = owner_registration(event)
    with django_capture_on_commit_callbacks() as callbacks:
        thank_you_page(Client(), event, name="Someone Else", email=OWNER["email"])
    [notice] = Message.objects.filter(kind="registration_repeated")
    assert len(callbacks) == 1  # the delivery is enqueued once the transaction committed
    assert notice.to_email == OWNER["email"]
    assert notice.to_name == OWNER["name"]
    assert f"/r/{registration.manage_token}/" in notice.body_text
    assert "Someone Else" not in notice.body_text
    # Sending the form again and again cannot flood the owner's inbox: one notice an hour.
    thank_you_page(Client(), event, name="Someone Else", email=OWNER["email"])
    assert Message.objects.filter(kind="registration_repeated").count() == 1


def test_a_declined_registration_is_not_undone_by_registering_again(make_event):
    staff = get_user_model().objects.create_user("events", is_staff=True)
    event = make_event(capacity=10)
    registration = owner_registration(event)
    services.registration_decline(registration=registration, by=staff)
    thank_you_page(Client(), event, **OWNER)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DECLINED


def test_a_cancelled_registration_comes_back_with_new_links(make_event):
    event = make_event(capacity=10)
    registration = owner_registration(event)
    services.registration_cancel(registration=registration)
    thank_you_page(Client(), event, **{**OWNER, "name": "Dr. Sana Malik"})
    back = Registration.objects.get(pk=registration.pk)
    assert back.status == Registration.Status.CONFIRMED
    assert back.name == "Dr. Sana Malik"
    assert back.token != registration.token and back.manage_token != registration.manage_token
    assert Client().get(f"/r/{registration.manage_token}/").status_code == 404


# Item 3: names with line breaks and hidden characters ---------------------------------------------------

HIDDEN = [
    "Sana\r\nBcc: x@example.org",
    "Sana\nMalik",
    "Sana\rMalik",
    "Sana\tMalik",
    "Sana\x1bMalik",
    "Sana\x85Malik",  # a C1 control (NEL)
    "Sana\u202egnp.exe",  # right-to-left override
    "Sana\u2066Malik\u2069",  # isolates
    "Sana\u200bMalik",  # zero-width space
    "Sana\u200dMalik",
    "Sana\u2060Malik",
    "\ufeffSana",
    "Sana\u2028Malik",
]


@pytest.mark.parametrize("field", ["name", "organisation", "designation"])
@pytest.mark.parametrize("value", HIDDEN)
def test_the_public_form_refuses_hidden_characters_in_names(make_event, field, value):
    event = make_event(capacity=10)
    response = post_form(Client(), event, **{**OWNER, field: value})
    assert response.status_code == 400
    assert "line breaks or hidden characters" in response.content.decode()
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


def test_the_manage_page_refuses_hidden_characters_too(make_event):
    event = make_event(capacity=10)
    registration = owner_registration(event)
    response = Client().post(
        f"/r/{registration.manage_token}/", {"name": "Sana\r\nBcc: x@example.org", "segment": "diplomat"}
    )
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.name == OWNER["name"]


@pytest.mark.parametrize("value", ["Senior\r\nFellow", "Fellow\u202e", "Fel\u200blow"])
def test_other_name_forms_refuse_hidden_characters(value):
    assert not RegistrationForm({**OWNER, "name": value}).is_valid()
    profile = SpeakerProfileForm({"position": value, "organisation": "NIPS", "bio": ""})
    assert not profile.is_valid() and "position" in profile.errors
    assert RegistrationForm({**OWNER, "name": "Dr. Sana Malik, SI(M) – سنا ملک"}).is_valid()


def test_staff_forms_for_people_refuse_hidden_characters(admin_client):
    response = admin_client.post(
        "/admin/people/person/add/",
        {
            "honorific": "",
            "given_names": "Sana",
            "family_name": "Malik\r\nBcc: x@example.org",
            "slug": "sana-malik",
            "segment": "",
            "designations-TOTAL_FORMS": "1",
            "designations-INITIAL_FORMS": "0",
            "designations-0-position": "Fellow",
            "designations-0-organisation": "QAU\u202e",
        },
    )
    assert response.status_code == 200  # the form again, with its errors
    assert not Person.objects.exists()
    assert response.content.decode().count("line breaks or hidden characters") >= 2


# Item 9: the join link is not the key to the registration --------------------------------------------------


def confirmed(event) -> Registration:
    registration = owner_registration(event)
    assert registration.status == Registration.Status.CONFIRMED
    return registration


def test_join_and_manage_are_separate_long_random_tokens(make_event):
    event = make_event(capacity=None)
    registrations = [
        services.registration_submit(
            event=event, name=f"P {n}", email=f"p{n}@example.org", segment="scholar"
        ).registration
        for n in range(10)
    ]
    tokens = [r.token for r in registrations] + [r.manage_token for r in registrations]
    assert len(set(tokens)) == 20
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes each


def test_a_join_link_opens_neither_the_registration_page_nor_cancelling(make_event):
    event = make_event(capacity=10)
    registration = confirmed(event)
    holder = Client()
    assert holder.get(f"/r/{registration.token}/").status_code == 404
    assert holder.get(f"/r/{registration.token}/cancel/").status_code == 404
    assert holder.post(f"/r/{registration.token}/cancel/").status_code == 404
    assert holder.get(f"/r/{registration.token}/calendar.ics").status_code == 404
    assert holder.post(f"/r/{registration.token}/", {"name": "Changed", "segment": "media"}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED and registration.name == OWNER["name"]
    # The manage link does all of it.
    owner = Client()
    page = owner.get(f"/r/{registration.manage_token}/").content.decode()
    assert OWNER["email"] in page and f"/r/{registration.manage_token}/cancel/" in page
    assert owner.post(f"/r/{registration.manage_token}/cancel/").status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_the_join_page_shows_no_email_and_no_way_to_cancel(make_event):
    event = make_event(capacity=10)  # ten days ahead: the join page says when it opens
    registration = confirmed(event)
    response = Client().get(f"/j/{registration.token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert OWNER["email"] not in page
    assert registration.manage_token not in page
    assert "/r/" not in page and "cancel" not in page.lower()


def test_the_live_page_a_join_link_opens_shows_no_email_and_no_way_to_cancel(make_event):
    start = timezone.now() + timedelta(minutes=5)
    event = make_event(capacity=10, starts_at=start, ends_at=start + timedelta(hours=1))
    registration = confirmed(event)
    response = Client().get(f"/j/{registration.token}/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain[-1][0] == f"/live/{registration.token}/"
    assert OWNER["email"] not in page
    assert registration.manage_token not in page and "/r/" not in page


def calendar_description(data: bytes | str) -> str:
    calendar = icalendar.Calendar.from_ical(data)
    return str(calendar.walk("VEVENT")[0]["DESCRIPTION"])


def test_the_calendar_file_carries_only_the_join_link(make_event):
    event = make_event(capacity=10)
    registration = confirmed(event)
    [confirmation] = Message.objects.filter(kind="registration_confirmed")
    [attachment] = confirmation.attachments
    downloaded = Client().get(f"/r/{registration.manage_token}/calendar.ics").content
    join = f"http://testserver/j/{registration.token}/"
    for description in (calendar_description(attachment["content"]), calendar_description(downloaded)):
        assert join in description
        assert registration.manage_token not in description and "/r/" not in description
    # The email itself brings both, the manage link labelled as the one to keep to oneself.
    assert f"http://testserver/r/{registration.manage_token}/" in confirmation.body_text
    assert join in confirmation.body_text
    assert "keep this link to yourself" in confirmation.body_text


def test_the_reminder_calendar_file_carries_only_the_join_link(make_event):
    from podium.reminders.services import event_reminders_queue

    event = make_event(capacity=10, reminder_offsets=[1440])
    registration = confirmed(event)
    event_reminders_queue(event=event, offset=1440)
    [reminder] = Message.objects.filter(kind="event_reminder")
    description = calendar_description(reminder.attachments[0]["content"])
    assert f"/j/{registration.token}/" in description
    assert registration.manage_token not in description
