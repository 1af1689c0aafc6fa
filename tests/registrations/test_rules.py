"""Registration rules: capacity, waiting list, promotion, approval, duplicates, windows and invitations."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from podium.core.errors import ApplicationError
from podium.events.models import Event
from podium.mail.models import Message
from podium.registrations import services
from podium.registrations.models import Registration
from podium.registrations.selectors import waitlist_position

S = Registration.Status
pytestmark = pytest.mark.django_db


def register(event, n, **extra):
    fields = dict(name=f"Person {n}", email=f"person{n}@example.org", segment="scholar")
    fields.update(extra)
    return services.registration_submit(event=event, **fields).registration


def kinds_for(registration):
    return list(Message.objects.filter(registration=registration).order_by("pk").values_list("kind", flat=True))


def test_open_event_confirms_until_full_then_waitlists(make_event):
    event = make_event(capacity=2)
    regs = [register(event, n) for n in range(4)]
    assert [r.status for r in regs] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert services.seats_left(event=event) == 0
    assert waitlist_position(registration=regs[2]) == 1
    assert waitlist_position(registration=regs[3]) == 2
    assert kinds_for(regs[0]) == ["registration_confirmed"]
    assert kinds_for(regs[2]) == ["registration_waitlisted"]


def test_unlimited_capacity_never_waitlists(make_event):
    event = make_event(capacity=None)
    assert all(register(event, n).status == S.CONFIRMED for n in range(5))
    assert services.seats_left(event=event) is None


def test_cancellation_promotes_earliest_waitlisted_and_emails_them(make_event, deliver):
    event = make_event(capacity=1)
    first, second, third = (register(event, n) for n in range(3))
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.CONFIRMED
    assert third.status == S.WAITLISTED
    assert waitlist_position(registration=third) == 1
    assert kinds_for(second) == ["registration_waitlisted", "registration_promoted"]
    sent = deliver()
    promoted = [m for m in sent if m.to == ["Person 1 <person1@example.org>"] and "seat is yours" in m.subject]
    assert len(promoted) == 1
    assert second.token in promoted[0].body


def test_cancelling_a_waitlisted_registration_promotes_nobody(make_event):
    event = make_event(capacity=1)
    _first, second, third = (register(event, n) for n in range(3))
    services.registration_cancel(registration=second)
    third.refresh_from_db()
    assert third.status == S.WAITLISTED
    assert Registration.objects.filter(event=event, status=S.CONFIRMED).count() == 1


def test_cancel_twice_is_harmless(make_event):
    event = make_event(capacity=1)
    first = register(event, 0)
    services.registration_cancel(registration=first)
    services.registration_cancel(registration=first)
    assert kinds_for(first).count("registration_cancelled") == 1


def test_same_email_twice_changes_nothing_and_tells_the_owner(make_event):
    event = make_event(capacity=10)
    first = services.registration_submit(event=event, name="Sana Malik", email="Sana@Example.org", segment="scholar")
    again = services.registration_submit(
        event=event, name="Dr. Sana Malik", email="sana@example.org ", organisation="QAU", segment="expert"
    )
    assert first.created and not again.created
    assert Registration.objects.filter(event=event).count() == 1
    registration = again.registration
    registration.refresh_from_db()
    # Whoever sent the form again may not own the address: the owner changes details on their manage page.
    assert (registration.name, registration.organisation, registration.segment) == ("Sana Malik", "", "scholar")
    assert registration.status == S.CONFIRMED
    assert kinds_for(registration) == ["registration_confirmed", "registration_repeated"]


def test_registering_again_after_cancelling_queues_afresh(make_event):
    event = make_event(capacity=1)
    first = register(event, 0)
    register(event, 1)  # waitlisted, promoted on cancel
    services.registration_cancel(registration=first)
    back = services.registration_submit(event=event, name="Person 0", email="person0@example.org", segment="scholar")
    assert back.created
    assert back.registration.pk == first.pk
    assert back.registration.status == S.WAITLISTED
    # whoever registered again gets a new personal link; the old one no longer works
    assert back.registration.token != first.token
    assert back.registration.manage_token != first.manage_token
    assert not Registration.objects.filter(token=first.token).exists()
    assert not Registration.objects.filter(manage_token=first.manage_token).exists()


def test_approval_mode_waits_then_approve_and_decline_email(make_event, deliver):
    staff = get_user_model().objects.create_user("events", is_staff=True)
    event = make_event(capacity=1, registration_mode=Event.RegistrationMode.APPROVAL)
    a, b, c = (register(event, n) for n in range(3))
    assert {a.status, b.status, c.status} == {S.PENDING}
    changed = services.registrations_decide(event=event, registration_ids=[a.pk, b.pk], approve=True, by=staff)
    assert changed == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (S.CONFIRMED, S.WAITLISTED)  # one seat: approved in order of arrival
    assert a.decided_by == staff
    assert services.registration_decline(registration=c, by=staff).status == S.DECLINED
    c.refresh_from_db()
    assert c.status == S.DECLINED
    assert kinds_for(a) == ["registration_received", "registration_approved"]
    assert kinds_for(b) == ["registration_received", "registration_approved_waitlisted"]
    assert kinds_for(c) == ["registration_received", "registration_declined"]
    subjects = [m.subject for m in deliver()]
    assert sum("approved" in s.lower() for s in subjects) == 2


def test_deciding_again_changes_nothing(make_event):
    staff = get_user_model().objects.create_user("events", is_staff=True)
    event = make_event(registration_mode=Event.RegistrationMode.APPROVAL)
    a = register(event, 0)
    assert services.registration_approve(registration=a, by=staff) == 1
    assert services.registration_approve(registration=a, by=staff) == 0
    assert kinds_for(a).count("registration_approved") == 1


def test_declining_a_confirmed_registration_frees_the_seat(make_event):
    staff = get_user_model().objects.create_user("events", is_staff=True)
    event = make_event(capacity=1)
    first, second = register(event, 0), register(event, 1)
    services.registration_decline(registration=first, by=staff)
    second.refresh_from_db()
    assert second.status == S.CONFIRMED


def test_raising_capacity_promotes_the_waiting_list(make_event):
    event = make_event(capacity=1)
    regs = [register(event, n) for n in range(3)]
    Event.objects.filter(pk=event.pk).update(capacity=3)
    promoted = services.event_seats_changed(event=event)
    assert [r.pk for r in promoted] == [regs[1].pk, regs[2].pk]


@pytest.mark.parametrize(
    "fields",
    [
        dict(registration_opens_at=timezone.now() + timedelta(days=1)),
        dict(
            registration_closes_at=timezone.now() - timedelta(minutes=1),
            registration_opens_at=timezone.now() - timedelta(days=2),
        ),
        dict(status=Event.Status.DRAFT),
        dict(status=Event.Status.ENDED),
    ],
)
def test_registration_outside_its_window_is_refused_and_nothing_saved(make_event, fields):
    event = make_event(**fields)
    with pytest.raises(ApplicationError, match="closed"):
        register(event, 0)
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


def test_registration_closes_when_event_starts_by_default(make_event):
    start = timezone.now() - timedelta(minutes=5)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2), status=Event.Status.LIVE)
    with pytest.raises(ApplicationError, match="closed"):
        register(event, 0)


def test_invitation_only_needs_an_invitation_for_that_email(make_event):
    event = make_event(registration_mode=Event.RegistrationMode.INVITATION, visibility=Event.Visibility.INVITATION_ONLY)
    other = make_event()
    invitation = services.invitation_create(event=event, email="Guest@Example.org")
    with pytest.raises(ApplicationError, match="by invitation only"):
        register(event, 0)
    with pytest.raises(ApplicationError, match="This invitation is for"):
        register(event, 0, invitation=invitation)
    elsewhere = services.invitation_create(event=other, email="x@example.org")
    with pytest.raises(ApplicationError, match="by invitation only"):
        register(event, 1, email="x@example.org", invitation=elsewhere)
    registration = register(event, 0, email="guest@example.org", invitation=invitation)
    assert registration.status == S.CONFIRMED
    assert registration.invitation == invitation


def test_unrestricted_invitation_accepts_another_email(make_event):
    event = make_event(registration_mode=Event.RegistrationMode.INVITATION)
    invitation = services.invitation_create(event=event, email="boss@example.org", restrict_to_email=False)
    assert register(event, 0, email="assistant@example.org", invitation=invitation).status == S.CONFIRMED


def test_tokens_are_long_random_and_distinct(make_event):
    event = make_event()
    tokens = {register(event, n).token for n in range(20)}
    assert len(tokens) == 20
    assert all(len(t) >= 43 for t in tokens)  # 32 bytes in URL-safe base64: 256 bits


def test_registration_links_known_person_by_email(make_event, make_person):
    person = make_person(family_name="Malik", given_names="Sana", email="sana@example.org")
    registration = register(make_event(), 0, email="SANA@example.org")
    assert registration.person == person
