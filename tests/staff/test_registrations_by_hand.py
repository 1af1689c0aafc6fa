"""Staff registrations by hand: adding someone (seats respected, duplicates named), declining with a
reason after a confirmation and undoing it while its email waits, and self-registered people joining the
directory only with their consent (decision 30)."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from podium.core.errors import ApplicationError
from podium.mail.models import Message
from podium.mail.services import message_claim, message_deliver, message_withdraw
from podium.people.models import Designation, Person
from podium.registrations import selectors, services
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db
S = Registration.Status


def add_url(event):
    return reverse("staff:registration_add", args=[event.pk])


def decline_url(registration):
    return reverse("staff:registration_decline", args=[registration.event_id, registration.pk])


def undo_url(registration):
    return reverse("staff:registration_decline_undo", args=[registration.event_id, registration.pk])


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def register(event, n, **fields):
    return services.registration_submit(
        event=event, name=f"Guest {n}", email=f"g{n}@example.org", segment="diplomat", **fields
    ).registration


NEWCOMER = {"name": "Dr. Ayesha Siddiqa", "email": "Ayesha@Example.org", "segment": "scholar", "organisation": "SOAS"}


# Adding someone by hand --------------------------------------------------------------------------


def test_add_with_a_free_seat_confirms_and_queues_the_confirmation(admin_client, admin_user, make_event, organisation):
    event = make_event(capacity=2)
    response = admin_client.post(add_url(event), NEWCOMER)
    assert response.status_code == 302
    assert "Dr. Ayesha Siddiqa has a seat; their email is on its way." in flashed(response)
    registration = Registration.objects.get(event=event)
    assert (registration.email, registration.status, registration.decided_by) == (
        "ayesha@example.org",
        S.CONFIRMED,
        admin_user,
    )
    assert list(Message.objects.filter(registration=registration).values_list("kind", flat=True)) == [
        "registration_confirmed"
    ]


def test_add_when_full_puts_them_on_the_waiting_list_and_says_so(admin_client, make_event, organisation):
    event = make_event(capacity=1)
    register(event, 0)
    response = admin_client.post(add_url(event), NEWCOMER)
    assert "Dr. Ayesha Siddiqa is on the waiting list: every seat is taken; their email is on its way." in flashed(
        response
    )
    registration = Registration.objects.get(event=event, email="ayesha@example.org")
    assert registration.status == S.WAITLISTED
    assert Message.objects.filter(registration=registration, kind="registration_waitlisted").count() == 1


def test_add_ignores_approval_mode_but_not_seats(admin_client, make_event, organisation):
    event = make_event(capacity=5, registration_mode="approval")
    admin_client.post(add_url(event), NEWCOMER)
    assert Registration.objects.get(event=event).status == S.CONFIRMED


def test_add_without_email_queues_nothing(admin_client, make_event, organisation):
    event = make_event(capacity=5)
    response = admin_client.post(add_url(event), {**NEWCOMER, "no_email": "on"})
    assert "no email was sent" in flashed(response)[0]
    assert not Message.objects.exists()


def test_add_refuses_a_duplicate_naming_the_registration(admin_client, make_event, organisation):
    event = make_event(capacity=5)
    existing = services.registration_submit(
        event=event, name="Ayesha S", email="ayesha@example.org", segment="scholar"
    ).registration
    response = admin_client.post(add_url(event), NEWCOMER)
    assert response.status_code == 409
    page = response.content.decode()
    assert "ayesha@example.org is registered for this event already: Ayesha S, confirmed, since" in page
    assert Registration.objects.filter(event=event).count() == 1
    assert Message.objects.filter(registration=existing).count() == 1  # only the first confirmation


def test_add_brings_back_a_cancelled_registration_with_new_links(admin_client, make_event, organisation):
    event = make_event(capacity=5)
    old = services.registration_submit(event=event, name="A S", email="ayesha@example.org", segment="scholar")
    services.registration_cancel(registration=old.registration)
    old_token = old.registration.manage_token
    admin_client.post(add_url(event), NEWCOMER)
    registration = Registration.objects.get(event=event)
    assert (registration.status, registration.name) == (S.CONFIRMED, "Dr. Ayesha Siddiqa")
    assert registration.manage_token != old_token


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Ayesha\u202eSiddiqa"}, "cannot contain"),
        ({"name": ""}, "Give the person's name."),
        ({"email": "not-an-address"}, "does not look like an email address"),
        ({"segment": "king"}, "Select a valid choice"),
        ({"person": "12abc"}, "no longer in the directory"),
    ],
)
def test_add_refuses_bad_input_with_a_message(admin_client, make_event, organisation, fields, message):
    event = make_event(capacity=5)
    response = admin_client.post(add_url(event), {**NEWCOMER, **fields})
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not Registration.objects.exists()


def test_add_picks_from_the_directory_and_links_the_record(admin_client, make_event, make_person, organisation):
    event = make_event(capacity=5)
    person = make_person(
        family_name="Yaqub",
        given_names="Amir",
        honorific="Brig",
        retired=True,
        email="amir@example.org",
        segment="former_defence",
        designations=[("Director", "NIPS", False)],
    )
    found = admin_client.get(add_url(event), {"q": "yaqub"}).content.decode()
    assert f"?person={person.pk}" in found
    form = admin_client.get(add_url(event), {"person": person.pk}).content.decode()
    assert 'value="amir@example.org"' in form and 'value="NIPS"' in form and 'value="Director"' in form
    admin_client.post(
        add_url(event),
        {
            "name": person.styled_name,
            "email": person.email,
            "segment": person.segment,
            "organisation": "NIPS",
            "person": person.pk,
        },
    )
    assert Registration.objects.get(event=event).person == person
    bad = admin_client.get(add_url(event), {"person": "999999"})
    assert bad.status_code == 200 and "no longer in the directory" in bad.content.decode()


def test_add_needs_permission(client, make_event):
    event = make_event(capacity=5)
    response = client.post(add_url(event), NEWCOMER)
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login"))
    assert not Registration.objects.exists()


def test_registrations_page_queries_do_not_grow_with_rows(admin_client, admin_user, make_event, organisation):
    event = make_event(capacity=100)
    url = reverse("staff:registrations", args=[event.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(url).status_code == 200
        return len(context.captured_queries)

    first = register(event, 0)
    services.registration_decline(registration=register(event, 1), by=admin_user)
    admin_client.get(url)
    few = queries()
    for n in range(2, 30):
        registration = register(event, n)
        if n % 3 == 0:
            services.registration_decline(registration=registration, by=admin_user, reason=f"Reason {n}")
    page = admin_client.get(url).content.decode()
    assert page.count(">Undo</button>") == 10 and page.count("Decline…") == 20
    assert first.name in page
    assert queries() == few


# Declining with a reason, and undoing it ---------------------------------------------------------


@pytest.fixture
def full_event(make_event, organisation):
    """One seat, taken by Guest 0; Guest 1 waits."""
    event = make_event(capacity=1)
    register(event, 0)
    register(event, 1)
    return event


def seated(event):
    return Registration.objects.get(event=event, email="g0@example.org")


def waiting(event):
    return Registration.objects.get(event=event, email="g1@example.org")


def test_decline_page_says_who_and_previews_the_email_with_the_reason(admin_client, full_event):
    registration = seated(full_event)
    page = admin_client.get(decline_url(registration)).content.decode()
    assert "Decline Guest 0?" in page and "g0@example.org" in page
    assert "Subject:</strong> About your registration: " in page
    assert "Dear Guest 0," in page and "we cannot offer you a place" in page
    assert "Their seat goes at once to the first person on the waiting list" in page
    preview = admin_client.post(decline_url(registration), {"reason": "The hall <b>is</b> full.", "action": "preview"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "The hall &lt;b&gt;is&lt;/b&gt; full." in text
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED and not Message.objects.filter(kind="registration_declined").exists()


def test_decline_confirmed_frees_the_seat_and_holds_the_email(admin_client, admin_user, full_event, settings):
    settings.PODIUM_DECLINE_UNDO_SECONDS = 120
    registration = seated(full_event)
    response = admin_client.post(decline_url(registration), {"reason": "Seats go to members.", "action": "decline"})
    assert "Declined Guest 0." in flashed(response)
    registration.refresh_from_db()
    assert (registration.status, registration.declined_from, registration.decline_reason) == (
        S.DECLINED,
        S.CONFIRMED,
        "Seats go to members.",
    )
    assert waiting(full_event).status == S.CONFIRMED  # the waiting list's rule, as for a cancellation
    email = services.decline_email(registration=registration)
    assert email.is_queued and "Seats go to members." in email.body_text and "Seats go to members." in email.body_html
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=100)  # held for the undo
    assert message_deliver(message_id=email.pk) is None  # not due: the worker leaves it
    page = admin_client.get(reverse("staff:registrations", args=[full_event.pk])).content.decode()
    assert "You declined Guest 0 (confirmed before). The email has not gone yet." in page
    assert undo_url(registration) in page


def test_decline_reason_too_long_is_refused(admin_client, full_event):
    registration = seated(full_event)
    response = admin_client.post(decline_url(registration), {"reason": "x" * 1001, "action": "decline"})
    assert response.status_code == 400 and "too long" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_decline_of_a_closed_registration_is_refused(admin_client, admin_user, full_event):
    registration = seated(full_event)
    services.registration_cancel(registration=registration)
    response = admin_client.post(decline_url(registration), {"action": "decline"})
    assert "cancelled, so it cannot be declined" in flashed(response)[0]
    with pytest.raises(ApplicationError, match="cannot be declined"):
        services.registration_decline(registration=registration, by=admin_user)


def test_undo_restores_a_waiting_place_and_withdraws_the_email(admin_client, admin_user, make_event, organisation):
    event = make_event(capacity=1)
    register(event, 0)
    first, second = register(event, 1), register(event, 2)
    services.registration_decline(registration=first, by=admin_user, reason="Sorry.")
    email = services.decline_email(registration=first)
    response = admin_client.post(undo_url(first))
    assert "The decline is undone: Guest 1 is on the waiting list again" in flashed(response)[0]
    first.refresh_from_db()
    email.refresh_from_db()
    assert (first.status, first.decline_reason, first.declined_from) == (S.WAITLISTED, "", "")
    assert email.is_withdrawn
    assert selectors.waitlist_position(registration=first) == 1  # back at their old place, ahead of Guest 2
    assert selectors.waitlist_position(registration=second) == 2
    # A withdrawn message is never claimed, even once it is due.
    Message.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert message_deliver(message_id=email.pk) is None and not mail.outbox
    page = admin_client.get(reverse("staff:registrations", args=[event.pk])).content.decode()
    assert ">Undo</button>" not in page


def test_undo_restores_a_pending_registration_as_undecided(admin_user, make_event, organisation):
    event = make_event(capacity=5, registration_mode="approval")
    registration = register(event, 0)
    services.registration_decline(registration=registration, by=admin_user)
    services.registration_decline_undo(registration=registration, by=admin_user)
    registration.refresh_from_db()
    assert (registration.status, registration.decided_by) == (S.PENDING, None)


def test_undo_restores_a_seat_still_free(admin_user, make_event, organisation):
    event = make_event(capacity=1)
    registration = register(event, 0)  # nobody waits: the seat stays free
    services.registration_decline(registration=registration, by=admin_user)
    services.registration_decline_undo(registration=registration, by=admin_user)
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert services.decline_email(registration=registration).is_withdrawn


def test_undo_is_refused_when_the_seat_was_taken_meanwhile(admin_client, admin_user, full_event):
    registration = seated(full_event)
    services.registration_decline(registration=registration, by=admin_user)
    assert waiting(full_event).status == S.CONFIRMED  # Guest 1 took the seat
    response = admin_client.post(undo_url(registration))
    message = flashed(response)[0]
    assert "The seat Guest 0 held has gone to someone else meanwhile, so the decline stands" in message
    registration.refresh_from_db()
    assert registration.status == S.DECLINED
    assert services.decline_email(registration=registration).is_queued  # it will still go


def test_undo_after_the_email_went_is_refused_and_no_longer_offered(admin_client, admin_user, make_event, organisation):
    event = make_event(capacity=5)
    registration = register(event, 0)
    services.registration_decline(registration=registration, by=admin_user, reason="No room.")
    email = services.decline_email(registration=registration)
    Message.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())  # the hold is over
    assert message_deliver(message_id=email.pk) == Message.Status.SENT
    assert "No room." in mail.outbox[0].body
    page = admin_client.get(reverse("staff:registrations", args=[event.pk])).content.decode()
    assert ">Undo</button>" not in page
    response = admin_client.post(undo_url(registration))
    assert "has been sent (or is being sent), so the decline stands" in flashed(response)[0]
    registration.refresh_from_db()
    assert registration.status == S.DECLINED


def test_a_message_being_sent_cannot_be_withdrawn_and_a_withdrawn_one_cannot_be_claimed(
    admin_user, make_event, organisation
):
    event = make_event(capacity=5)
    a, b = register(event, 0), register(event, 1)
    for registration in (a, b):
        services.registration_decline(registration=registration, by=admin_user)
    Message.objects.filter(kind="registration_declined").update(next_attempt_at=timezone.now())
    email_a, email_b = services.decline_email(registration=a), services.decline_email(registration=b)
    assert message_claim(message_id=email_a.pk)  # a worker took it first
    assert not message_withdraw(message=email_a)
    with pytest.raises(ApplicationError, match="being sent"):
        services.registration_decline_undo(registration=a, by=admin_user)
    a.refresh_from_db()
    assert a.status == S.DECLINED
    assert message_withdraw(message=email_b)  # withdrawn first
    assert not message_claim(message_id=email_b.pk)


def test_undo_needs_a_decline(admin_client, full_event):
    registration = seated(full_event)
    response = admin_client.post(undo_url(registration))
    assert "there is no decline to undo" in flashed(response)[0]
    assert admin_client.get(undo_url(registration)).status_code == 405


def test_bulk_decline_is_undoable_too(admin_client, admin_user, full_event):
    registration = waiting(full_event)
    services.registrations_decide(event=full_event, registration_ids=[registration.pk], approve=False, by=admin_user)
    assert [r.pk for r in selectors.declines_undoable(event=full_event)] == [registration.pk]


# Self-registered people join the directory ------------------------------------------------------


def public_register(event, **fields):
    data = {"name": "Brig (Retd) Amir Yaqub", "email": "Amir@Example.org", "segment": "former_defence"}
    data.update(fields)
    response = Client().post(reverse("registrations:register", args=[event.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_consent_given_joins_the_directory_marked_self_registered(admin_client, make_event, organisation):
    event = make_event(capacity=5)
    before = timezone.now()
    public_register(event, directory_consent="on", organisation="NIPS", designation="Director")
    person = Person.objects.get(email="amir@example.org")
    assert (person.honorific, person.retired, person.given_names, person.family_name) == ("Brig", True, "Amir", "Yaqub")
    assert person.is_self_registered and person.consent_to_contact
    assert person.consent_given_at >= before
    assert person.segment == "former_defence"
    assert list(Designation.objects.filter(person=person).values_list("position", "organisation")) == [
        ("Director", "NIPS")
    ]
    assert Registration.objects.get(event=event).person == person
    record = admin_client.get(reverse("audience:person", args=[person.pk])).content.decode()
    assert "Registered themselves" in record and "given " in record


def test_no_consent_no_directory_record(make_event, organisation):
    event = make_event(capacity=5)
    page = Client().get(reverse("registrations:register", args=[event.slug])).content.decode()
    assert "Keep me in the institute&#x27;s directory for future invitations" in page
    box = re.search(r'<input type="checkbox" name="directory_consent"[^>]*>', page)
    assert box and "checked" not in box.group(0)
    public_register(event)
    assert not Person.objects.exists()
    assert Registration.objects.get(event=event).person is None


def test_an_existing_record_is_linked_never_changed(make_event, make_person, organisation):
    event = make_event(capacity=5)
    person = make_person(
        family_name="Yaqub", given_names="Amir", email="amir@example.org", designations=[("Director", "NIPS", False)]
    )
    Person.objects.filter(pk=person.pk).update(consent_to_contact=False, unsubscribed_at=timezone.now())
    first = public_register(event, name="Someone Else", directory_consent="on", designation="Intern")
    person.refresh_from_db()
    assert (person.given_names, person.family_name, person.source) == ("Amir", "Yaqub", "")
    assert not person.consent_to_contact and person.consent_given_at is None and person.unsubscribed_at
    assert list(person.designations.values_list("position", flat=True)) == ["Director"]
    assert Registration.objects.get(event=event).person == person
    # The page is the same as for an address the directory does not know.
    other_event = make_event(capacity=5)
    other = public_register(other_event, email="new@example.org", directory_consent="on")
    assert first["Location"] == reverse("registrations:registered", args=[event.slug])
    assert other["Location"] == reverse("registrations:registered", args=[other_event.slug])
    assert Person.objects.filter(email="new@example.org", source="self_registered").exists()


def test_the_manage_page_does_not_ask_for_consent(make_event, organisation):
    event = make_event(capacity=5)
    registration = register(event, 0)
    page = Client().get(reverse("registrations:manage", args=[registration.manage_token])).content.decode()
    assert "directory_consent" not in page


def test_a_declined_person_can_be_added_by_hand_after_all(admin_client, admin_user, make_event, organisation):
    event = make_event(capacity=5)
    registration = services.registration_submit(
        event=event, name="A S", email="ayesha@example.org", segment="scholar"
    ).registration
    services.registration_decline(registration=registration, by=admin_user, reason="No.")
    admin_client.post(add_url(event), NEWCOMER)
    registration.refresh_from_db()
    assert (registration.status, registration.decline_reason, registration.declined_from) == (S.CONFIRMED, "", "")


def test_hostile_input_on_the_new_pages_gets_a_message_not_a_500(admin_client, full_event):
    registration = seated(full_event)
    response = admin_client.post(decline_url(registration), {"reason": "a\x00b", "action": "decline"})
    assert response.status_code == 400 and "Null characters are not allowed" in response.content.decode()
    assert admin_client.post(decline_url(registration), {"action": "\x00"}).status_code == 400
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert admin_client.get(add_url(full_event), {"q": "\x00"}).status_code == 200
    picked = admin_client.get(add_url(full_event), {"person": "\x00"})
    assert picked.status_code == 200 and "no longer in the directory" in picked.content.decode()
    response = admin_client.post(add_url(full_event), {**NEWCOMER, "name": "\x00", "no_email": "\x00"})
    assert response.status_code == 400
    assert Registration.objects.filter(event=full_event).count() == 2
