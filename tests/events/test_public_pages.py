"""Public pages: listing rules, the event page, registration form, personal pages, calendar files, headers."""

import icalendar
import pytest
from django.urls import reverse

from podium.events.models import Event, Role
from podium.registrations import services
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = dict(
        name="Dr. Sana Malik",
        email="sana@example.org",
        organisation="QAU",
        designation="Assistant Professor",
        segment="scholar",
    )
    data.update(overrides)
    return data


def test_home_lists_public_events_only(client, organisation, make_event):
    public = make_event(title="Public talk")
    make_event(title="Unlisted talk", visibility=Event.Visibility.UNLISTED)
    make_event(title="Secret roundtable", visibility=Event.Visibility.INVITATION_ONLY)
    make_event(title="Draft talk", status=Event.Status.DRAFT)
    html = client.get("/").content.decode()
    assert public.title in html
    for hidden in ("Unlisted talk", "Secret roundtable", "Draft talk"):
        assert hidden not in html
    assert "NIPS Lecture Series" in html


def test_unlisted_event_is_reachable_by_its_link(client, make_event):
    event = make_event(visibility=Event.Visibility.UNLISTED)
    response = client.get(reverse("public:event", args=[event.slug]))
    assert response.status_code == 200
    assert b'name="robots" content="noindex"' in response.content


def test_invitation_only_event_is_404_without_a_valid_invitation(client, make_event):
    event = make_event(visibility=Event.Visibility.INVITATION_ONLY, registration_mode=Event.RegistrationMode.INVITATION)
    other = make_event()
    url = reverse("public:event", args=[event.slug])
    assert client.get(url).status_code == 404
    assert client.get(reverse("public:ics", args=[event.slug])).status_code == 404
    assert client.get(reverse("registrations:register", args=[event.slug])).status_code == 404
    # an invitation to another event does not open this one, nor does a made-up token
    client.get(
        reverse("registrations:invitation", args=[services.invitation_create(event=other, email="a@b.org").token])
    )
    assert client.get(url).status_code == 404
    assert client.get(reverse("registrations:invitation", args=["not-a-token"])).status_code == 404
    assert client.get(url).status_code == 404
    invitation = services.invitation_create(event=event, email="guest@example.org", name="Guest")
    response = client.get(reverse("registrations:invitation", args=[invitation.token]))
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200
    register = client.get(reverse("registrations:register", args=[event.slug]))
    assert b'value="guest@example.org"' in register.content


def test_draft_is_404_for_public_and_visible_to_staff(client, admin_client, make_event):
    event = make_event(status=Event.Status.DRAFT)
    url = reverse("public:event", args=[event.slug])
    assert client.get(url).status_code == 404
    assert admin_client.get(url).status_code == 200


def test_event_page_shows_agenda_in_order_with_designations_and_times(client, make_event, add_speaker):
    event = make_event(title="Pakistan–Russia Relations")
    add_speaker(
        event,
        Role.CLOSING_REMARKS,
        order=3,
        honorific="Dr.",
        given_names="Ashfaque Hasan",
        family_name="Khan",
        designations=[("Director-General", "NIPS", False)],
    )
    add_speaker(
        event,
        Role.MODERATOR,
        order=1,
        honorific="Brig",
        retired=True,
        given_names="Amir",
        family_name="Yaqub",
        designations=[("Director", "NIPS", False)],
    )
    add_speaker(
        event,
        Role.MAIN_SPEAKER,
        order=2,
        honorific="Dr.",
        given_names="Vladimir",
        family_name="Kozin",
        time_zone="Europe/Moscow",
        designations=[("Leading Expert", "MGIMO", True)],
    )
    html = client.get(reverse("public:event", args=[event.slug])).content.decode()
    positions = [html.index(s) for s in ("Brig (Retd) Amir Yaqub", "Dr. Vladimir Kozin", "Dr. Ashfaque Hasan Khan")]
    assert positions == sorted(positions)
    assert "Director NIPS" in html and "Leading Expert, MGIMO" in html
    assert "PKT (UTC+05:00)" in html  # the event's zone, always labelled
    assert "MSK" not in html and "Europe/Moscow" not in html  # the speaker's own zone is theirs (issue 13)
    assert 'data-local-start="' in html  # enhanced to the visitor's zone by script
    assert "That is " in html and "UTC" in html  # and readable without it


def test_event_calendar_file_parses_with_stable_uid_and_zone(client, make_event):
    event = make_event()
    first = client.get(reverse("public:ics", args=[event.slug]))
    second = client.get(reverse("public:ics", args=[event.slug]))
    assert first["Content-Type"].startswith("text/calendar")
    cal1, cal2 = icalendar.Calendar.from_ical(first.content), icalendar.Calendar.from_ical(second.content)
    ev1, ev2 = cal1.walk("VEVENT")[0], cal2.walk("VEVENT")[0]
    assert str(ev1["UID"]) == str(ev2["UID"]) == f"event-{event.uid}@testserver"
    assert ev1.decoded("DTSTART") == event.starts_at
    assert str(ev1["DTSTART"].params["TZID"]) == "Asia/Karachi"
    assert [str(tz["TZID"]) for tz in cal1.walk("VTIMEZONE")] == ["Asia/Karachi"]
    assert str(ev1["SUMMARY"]) == event.title


def test_register_flow_confirmation_and_manage(client, organisation, make_event):
    event = make_event(capacity=5)
    url = reverse("registrations:register", args=[event.slug])
    response = client.post(url, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:registered", args=[event.slug])
    registration = Registration.objects.get()
    confirmation = client.get(response["Location"]).content.decode()
    assert "Thank you for registering" in confirmation
    # The links go by email only: a new registration's page and an existing one's are the same.
    assert registration.token not in confirmation and registration.manage_token not in confirmation
    assert "sana@example.org" in confirmation  # where the links went
    manage = client.get(reverse("registrations:manage", args=[registration.manage_token]))
    assert "no-store" in manage["Cache-Control"] and "private" in manage["Cache-Control"]
    assert manage["X-Robots-Tag"] == "noindex, nofollow"
    assert "Dr. Sana Malik" in manage.content.decode()


def test_registering_again_does_not_reveal_the_existing_link(client, make_event):
    event = make_event()
    services.registration_submit(event=event, name="Owner", email="owner@example.org", segment="expert")
    other_browser_response = client.post(
        reverse("registrations:register", args=[event.slug]), form_data(email="owner@example.org", name="Someone Else")
    )
    page = client.get(other_browser_response["Location"]).content.decode()
    registration = Registration.objects.get()
    assert "Thank you for registering" in page and "already" not in page
    assert registration.token not in page and registration.manage_token not in page
    assert registration.name == "Owner"  # nothing changed
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "data, field, message",
    [
        (form_data(email="not-an-email"), "email", "does not look like an email address"),
        (form_data(name=""), "name", "Please tell us your name"),
        (form_data(segment="astronaut"), "segment", "Select a valid choice"),
        (form_data(segment=""), "segment", "Please choose the description"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_nothing_saved(client, make_event, data, field, message):
    event = make_event()
    response = client.post(reverse("registrations:register", args=[event.slug]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html or 'aria-invalid="true"' in html
    assert not Registration.objects.exists()


def test_custom_questions_are_asked_and_required(client, make_event):
    event = make_event()
    question = event.questions.create(
        label="Which panel interests you?", kind="choice", choices="Economy\nSecurity", required=True
    )
    url = reverse("registrations:register", args=[event.slug])
    assert "Which panel interests you?" in client.get(url).content.decode()
    response = client.post(url, form_data())
    assert response.status_code == 400 and "Please answer this question." in response.content.decode()
    client.post(url, form_data(**{f"question_{question.pk}": "Security"}))
    answers = Registration.objects.get().answers
    assert answers[str(question.pk)] == {"question": "Which panel interests you?", "answer": "Security"}


def test_closed_registration_says_so(client, make_event):
    event = make_event(status=Event.Status.ENDED)
    response = client.post(reverse("registrations:register", args=[event.slug]), form_data())
    assert response.status_code == 400
    assert "Registration for this event is closed" in response.content.decode()
    assert not Registration.objects.exists()


def test_manage_page_updates_and_cancels_with_promotion(client, make_event):
    event = make_event(capacity=1)
    mine = services.registration_submit(event=event, name="Me", email="me@example.org", segment="student").registration
    waiting = services.registration_submit(
        event=event, name="Next", email="next@example.org", segment="student"
    ).registration
    manage = reverse("registrations:manage", args=[mine.manage_token])
    response = client.post(manage, {"name": "Me Updated", "segment": "scholar", "organisation": "NUST"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.organisation) == ("Me Updated", "NUST")
    bad = client.post(manage, {"name": "", "segment": "scholar"})
    assert bad.status_code == 400
    mine.refresh_from_db()
    assert mine.name == "Me Updated"
    assert (
        "Cancel your registration?"
        in client.get(reverse("registrations:cancel", args=[mine.manage_token])).content.decode()
    )
    client.post(reverse("registrations:cancel", args=[mine.manage_token]))
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    page = client.get(manage).content.decode()
    assert "This registration is cancelled" in page
    assert "Save changes" not in page


def test_unknown_token_is_a_clear_404(client):
    response = client.get(reverse("registrations:manage", args=["x" * 43]))
    assert response.status_code == 404
    assert "personal link" in response.content.decode()


def test_personal_calendar_only_for_confirmed(client, make_event):
    event = make_event(capacity=1)
    confirmed = services.registration_submit(event=event, name="A", email="a@example.org", segment="other").registration
    waiting = services.registration_submit(event=event, name="B", email="b@example.org", segment="other").registration
    response = client.get(reverse("registrations:ics", args=[confirmed.manage_token]))
    assert response.status_code == 200
    vevent = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert f"/j/{confirmed.token}/" in str(vevent["DESCRIPTION"])  # the join link only
    assert confirmed.manage_token not in str(vevent["DESCRIPTION"])
    assert client.get(reverse("registrations:ics", args=[waiting.manage_token])).status_code == 404


def test_speaker_profile_exists_only_for_speakers_of_listed_events(client, make_event, add_speaker, make_person):
    event = make_event()
    speaker = add_speaker(event, Role.MAIN_SPEAKER, honorific="Dr.", given_names="Vladimir", family_name="Kozin")
    hidden_event = make_event(visibility=Event.Visibility.INVITATION_ONLY)
    hidden = add_speaker(hidden_event, Role.MAIN_SPEAKER, family_name="Hidden")
    audience = make_person(family_name="Audience", email="audience@example.org")
    page = client.get(reverse("public:person", args=[speaker.person.slug]))
    assert page.status_code == 200 and "Dr. Vladimir Kozin" in page.content.decode()
    assert client.get(reverse("public:person", args=[hidden.person.slug])).status_code == 404
    assert client.get(reverse("public:person", args=[audience.slug])).status_code == 404


def test_security_headers_and_escaping(client, make_event):
    event = make_event(title='<script>alert("x")</script>')
    response = client.get(reverse("public:event", args=[event.slug]))
    html = response.content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_is_enforced_on_the_registration_form(make_event):
    from django.test import Client

    event = make_event()
    response = Client(enforce_csrf_checks=True).post(reverse("registrations:register", args=[event.slug]), form_data())
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_rate_limit_on_the_registration_form(client, settings, make_event):
    settings.PODIUM_RATE_LIMIT_ENABLED = True
    settings.PODIUM_RATE_LIMIT_REGISTRATIONS = 3
    event = make_event()
    url = reverse("registrations:register", args=[event.slug])
    codes = [client.post(url, form_data(email=f"p{n}@example.org")).status_code for n in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Registration.objects.count() == 3
    assert client.get(url).status_code == 200  # reading the form is never limited


def test_rate_limit_cannot_be_dodged_with_a_forged_forwarded_header(client, settings, make_event):
    settings.PODIUM_RATE_LIMIT_ENABLED = True
    settings.PODIUM_RATE_LIMIT_REGISTRATIONS = 2
    event = make_event()
    url = reverse("registrations:register", args=[event.slug])
    codes = [
        client.post(url, form_data(email=f"p{n}@example.org"), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 429, 429]
