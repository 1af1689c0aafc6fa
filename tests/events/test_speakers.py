"""Speaker invitations: staff send them, speakers accept or decline from their link and update their profile."""

import io
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from podium.core.errors import ApplicationError
from podium.events.models import Participation, Role
from podium.events.services import participation_invite, participation_respond
from podium.mail.models import Message
from podium.people.models import Designation
from tests.support.browser import SHOTS

C = Participation.Confirmation


@pytest.fixture
def event(db, make_event, organisation):
    day = (timezone.now() + timedelta(days=12)).date()
    start = datetime.combine(day, time(10), tzinfo=ZoneInfo("Asia/Karachi"))  # 08:00 in Moscow
    return make_event(
        title="Pakistan–Russia Relations",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Asia/Karachi",
        join_url="https://meet.jit.si/NIPS-test",
    )


@pytest.fixture
def kozin(event, add_speaker):
    """Invited, not yet answered: a Moscow speaker with a talk and a slot."""
    participation = add_speaker(
        event,
        Role.MAIN_SPEAKER,
        honorific="Dr.",
        given_names="Vladimir",
        family_name="Kozin",
        email="kozin@example.org",
        time_zone="Europe/Moscow",
        designations=[("Leading Expert", "MGIMO", True), ("Adviser", "Valdai Club", True)],
    )
    Participation.objects.filter(pk=participation.pk).update(
        confirmation=C.INVITED,
        talk_title="Russia and South Asia",
        starts_at=event.starts_at + timedelta(minutes=15),
        ends_at=event.starts_at + timedelta(minutes=45),
    )
    participation.refresh_from_db()
    return participation


def speaker_page(client, participation):
    return client.get(reverse("events:speaker", args=[participation.token]))


def respond(client, participation, decision):
    return client.post(
        reverse("events:speaker_respond", args=[participation.token]), {"decision": decision}, follow=True
    )


def png(size=(400, 400), colour=(15, 76, 92), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def staff_user(*codenames):
    user = get_user_model().objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


# Tokens --------------------------------------------------------------------------------------


def test_every_participation_has_its_own_unguessable_token(event, add_speaker):
    tokens = {add_speaker(event).token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 43 and re.fullmatch(r"[\w-]+", token) for token in tokens)


# Invitation -----------------------------------------------------------------------------------


def test_invitation_email_has_role_speaker_time_talk_and_personal_link(event, kozin, admin_user, deliver):
    message = participation_invite(participation=kozin, by=admin_user)
    kozin.refresh_from_db()
    assert kozin.invited_at is not None and kozin.invited_by == admin_user
    assert message.kind == "speaker_invitation" and message.event == event
    (email,) = deliver()
    assert email.subject == "NIPS invites you to speak as the main speaker at “Pakistan–Russia Relations”"
    body = email.body
    assert "Dear Dr. Kozin," in body
    assert "(your time, Europe/Moscow)" in body and "08:00–10:00 MSK (UTC+03:00)" in body
    assert "10:00–12:00 PKT (UTC+05:00) (the event's time, Asia/Karachi)" in body
    assert "Your talk: “Russia and South Asia”" in body
    assert "Your slot: 08:15–08:45 MSK (UTC+03:00)" in body
    assert f"http://testserver/speak/{kozin.token}/" in body
    assert "Dr. Vladimir Kozin, Leading Expert, MGIMO, and Adviser, Valdai Club" in body  # as institutes write it
    assert email.attachments[0][0] == f"{event.slug}.ics"


def test_invitation_needs_an_email_address(event, add_speaker):
    speaker = add_speaker(event)
    with pytest.raises(ApplicationError, match="no email address"):
        participation_invite(participation=speaker)
    speaker.refresh_from_db()
    assert speaker.invited_at is None
    assert not Message.objects.exists()


def test_staff_send_and_send_again_from_the_speakers_page(admin_client, event, kozin, add_speaker):
    no_email = add_speaker(event, Role.MODERATOR, family_name="Yaqub")
    url = reverse("reminders:speakers", args=[event.pk])
    html = admin_client.get(url).content.decode()
    assert "Send invitation" in html and "Dr. Vladimir Kozin, Leading Expert, MGIMO" in html
    assert "Add an email" in html  # for Yaqub, instead of a button
    invite = reverse("reminders:invite", args=[event.pk, kozin.pk])
    response = admin_client.post(invite, follow=True)
    assert "Sent: the invitation to Dr. Vladimir Kozin is in the outbox." in response.content.decode()
    assert "Send again" in response.content.decode()
    response = admin_client.post(invite, follow=True)
    assert "Sent again" in response.content.decode()
    assert Message.objects.filter(kind="speaker_invitation", to_email="kozin@example.org").count() == 2
    response = admin_client.post(reverse("reminders:invite", args=[event.pk, no_email.pk]), follow=True)
    assert "has no email address" in response.content.decode()


def test_speakers_page_needs_permissions(client, event, kozin):
    url = reverse("reminders:speakers", args=[event.pk])
    invite = reverse("reminders:invite", args=[event.pk, kozin.pk])
    assert client.get(url).status_code == 302  # not signed in
    client.force_login(staff_user("view_participation"))
    html = client.get(url).content.decode()
    assert "Dr. Vladimir Kozin" in html and "Send invitation" not in html
    assert client.post(invite).status_code == 403
    assert not Message.objects.exists()


def test_invite_of_another_events_participation_is_404(admin_client, event, kozin, make_event):
    other = make_event()
    assert admin_client.post(reverse("reminders:invite", args=[other.pk, kozin.pk])).status_code == 404


def test_speakers_page_queries_do_not_grow(admin_client, event, add_speaker):
    url = reverse("reminders:speakers", args=[event.pk])
    add_speaker(event, email="first@example.org")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for n in range(25):
        speaker = add_speaker(
            event,
            Role.DISCUSSANT,
            order=n,
            email=f"s{n}@example.org",
            designations=[("Fellow", "NIPS", True), ("Adviser", "Ministry", False)],
        )
        participation_invite(participation=speaker)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    assert len(many) == len(few)


# Answering -------------------------------------------------------------------------------------


def test_speaker_accepts_from_the_email_and_staff_see_it(client, admin_client, event, kozin, deliver):
    admin_client.post(reverse("reminders:invite", args=[event.pk, kozin.pk]))
    (email,) = deliver()
    link = re.search(r"http://testserver(/speak/[\w-]+/)", email.body).group(1)
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert "NIPS invites you to speak as the main speaker at this event." in html
    assert "08:15–08:45" in html and "MSK (UTC+03:00)" in html  # the slot in the speaker's own zone
    assert {"private", "no-store"} <= {d.strip() for d in page["Cache-Control"].split(",")}
    assert "noindex" in page["X-Robots-Tag"]

    response = respond(client, kozin, "accept")
    assert "Thank you for accepting" in response.content.decode()
    kozin.refresh_from_db()
    assert kozin.confirmation == C.CONFIRMED and kozin.responded_at is not None
    staff_html = admin_client.get(reverse("reminders:speakers", args=[event.pk])).content.decode()
    assert "badge-confirmed" in staff_html


def test_speaker_declines_and_may_change_their_mind(client, event, kozin):
    response = respond(client, kozin, "decline")
    assert "you will not speak at this event" in response.content.decode()
    kozin.refresh_from_db()
    assert kozin.confirmation == C.DECLINED
    assert "Accept after all" in response.content.decode()
    respond(client, kozin, "accept")
    kozin.refresh_from_db()
    assert kozin.confirmation == C.CONFIRMED


def test_no_answer_after_the_event(event, kozin):
    with pytest.raises(ApplicationError, match="has ended"):
        participation_respond(participation=kozin, accept=True, now=event.ends_at + timedelta(minutes=1))
    kozin.refresh_from_db()
    assert kozin.confirmation == C.INVITED and kozin.responded_at is None


def test_answer_needs_a_choice_and_csrf(event, kozin):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("events:speaker_respond", args=[kozin.token]), {"decision": "accept"})
    assert response.status_code == 403
    response = respond(Client(), kozin, "maybe")
    assert "Please choose whether you accept or decline." in response.content.decode()
    kozin.refresh_from_db()
    assert kozin.confirmation == C.INVITED


def test_unknown_speaker_link_is_404(client, db):
    for name in ("events:speaker", "events:speaker_respond"):
        response = (
            client.get(reverse(name, args=["nope"]))
            if name == "events:speaker"
            else client.post(reverse(name, args=["nope"]), {"decision": "accept"})
        )
        assert response.status_code == 404


# Profile ----------------------------------------------------------------------------------------


def test_profile_is_editable_only_after_accepting(client, event, kozin):
    assert "Save profile" not in speaker_page(client, kozin).content.decode()
    response = client.post(
        reverse("events:speaker", args=[kozin.token]),
        {"bio": "Hacked", "position": "X", "organisation": "Y"},
        follow=True,
    )
    assert "Please accept the invitation before you change your profile." in response.content.decode()
    kozin.person.refresh_from_db()
    assert kozin.person.bio == ""


def test_confirmed_speaker_updates_bio_designation_and_photo(client, event, kozin, settings):
    respond(client, kozin, "accept")
    html = speaker_page(client, kozin).content.decode()
    assert "Save profile" in html and 'value="Leading Expert"' in html and 'value="MGIMO"' in html
    response = client.post(
        reverse("events:speaker", args=[kozin.token]),
        {
            "position": "Leading Expert",
            "organisation": "Center for Military-Political Studies, MGIMO",
            "bio": "Dr. Kozin writes on arms control.",
            "photo": SimpleUploadedFile("me.png", png((900, 600)), content_type="image/png"),
        },
        follow=True,
    )
    assert "Your profile is saved." in response.content.decode()
    person = kozin.person
    person.refresh_from_db()
    assert person.bio == "Dr. Kozin writes on arms control."
    designations = list(person.designations.order_by("order", "pk").values_list("position", "organisation"))
    assert designations == [
        ("Leading Expert", "Center for Military-Political Studies, MGIMO"),
        ("Adviser", "Valdai Club"),
    ]  # only the first changes
    assert person.first_mention.startswith("Dr. Vladimir Kozin, Leading Expert, Center for Military-Political")
    saved = Path(settings.MEDIA_ROOT) / person.photo.name
    assert saved.exists() and person.photo.name.startswith("people/vladimir-kozin")
    with Image.open(saved) as image:  # re-encoded, bounded
        assert image.format == "JPEG" and max(image.size) <= 1200
    assert "Remove my current photo" in speaker_page(client, kozin).content.decode()
    client.post(
        reverse("events:speaker", args=[kozin.token]),
        {
            "position": "Leading Expert",
            "organisation": "MGIMO",
            "bio": "Dr. Kozin writes on arms control.",
            "remove_photo": "on",
        },
    )
    person.refresh_from_db()
    assert not person.photo and person.bio == "Dr. Kozin writes on arms control."


def test_speaker_without_designation_gets_one_and_can_remove_it(client, event, add_speaker):
    speaker = add_speaker(event, designations=[])
    respond(client, speaker, "accept")
    url = reverse("events:speaker", args=[speaker.token])
    client.post(url, {"position": "Director", "organisation": "NIPS", "bio": ""})
    assert list(Designation.objects.filter(person=speaker.person).values_list("position", "organisation")) == [
        ("Director", "NIPS")
    ]
    client.post(url, {"position": "", "organisation": "", "bio": ""})
    assert not Designation.objects.filter(person=speaker.person).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("cv.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg"),
            "This file is not a photo we can read",
        ),
        (SimpleUploadedFile("tiny.png", png((40, 40)), content_type="image/png"), "only 40×40 pixels"),
        (SimpleUploadedFile("anim.gif", png(fmt="GIF"), content_type="image/gif"), "JPEG, PNG or WebP"),
    ],
)
def test_bad_photos_are_refused_beside_the_field(client, event, kozin, upload, message):
    respond(client, kozin, "accept")
    response = client.post(
        reverse("events:speaker", args=[kozin.token]),
        {"position": "Leading Expert", "organisation": "MGIMO", "bio": "New bio", "photo": upload},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    field = html[html.index('id="id_photo"') - 400 : html.index('id="id_photo"') + 400]
    assert 'aria-invalid="true"' in field
    kozin.person.refresh_from_db()
    assert kozin.person.bio == "" and not kozin.person.photo  # nothing was saved


def test_oversized_photo_is_refused(client, event, kozin, monkeypatch):
    from podium.events import forms

    monkeypatch.setattr(forms, "PHOTO_MAX_BYTES", 1000)
    respond(client, kozin, "accept")
    response = client.post(
        reverse("events:speaker", args=[kozin.token]),
        {
            "position": "",
            "organisation": "",
            "bio": "",
            "photo": SimpleUploadedFile("big.png", png((800, 800), colour=(1, 2, 3)), content_type="image/png"),
        },
    )
    assert response.status_code == 400 and "please upload one of at most 5 MB" in response.content.decode()


def test_long_bio_is_explained(client, event, kozin):
    respond(client, kozin, "accept")
    response = client.post(
        reverse("events:speaker", args=[kozin.token]), {"position": "", "organisation": "", "bio": "x" * 3001}
    )
    assert response.status_code == 400 and "keep the biography under 3000 characters" in response.content.decode()


def test_speaker_page_escapes_what_staff_typed(client, event, kozin):
    Participation.objects.filter(pk=kozin.pk).update(
        talk_title="<script>alert(1)</script>", briefing_note="<b>bold</b>"
    )
    html = speaker_page(client, kozin).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


# In a real browser ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_speaker_accepts_and_updates_their_bio_in_a_browser(browser, live_server, settings):
    from podium.demo.loader import demo_load

    settings.SITE_URL = live_server.url
    demo_load()
    shah = Participation.objects.get(event__slug="pakistan-central-asia-connectivity", person__family_name="Shah")
    assert shah.confirmation == C.INVITED
    participation_invite(participation=shah)
    mail.outbox.clear()
    Message.objects.filter(kind="speaker_invitation").get()  # sent by the outbox as usual
    from podium.mail.services import outbox_sweep

    outbox_sweep()
    link = re.search(r"(http://\S+/speak/[\w-]+/)", mail.outbox[-1].body).group(1)

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(link)
    page.get_by_text("NIPS invites you to speak as a discussant at this event.").wait_for()
    page.get_by_role("button", name="Accept", exact=True).click()
    page.get_by_text("Thank you for accepting").wait_for()
    page.get_by_label("Short biography (optional)").fill(
        "Mr. Ali Shah heads research at NIPS, working on Central Asian connectivity."
    )
    page.get_by_label("Position (optional)").fill("Head of Research")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    assert page.locator(".person-designation").inner_text() == "Head of Research, NIPS"
    page.screenshot(path=SHOTS / "speaker-accepted.png", full_page=True)
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(link)
    phone.screenshot(path=SHOTS / "speaker-phone.png", full_page=True)
    page.close()
    phone.close()
    shah.refresh_from_db()
    assert shah.confirmation == C.CONFIRMED
    assert shah.person.bio.startswith("Mr. Ali Shah heads research")
