"""Invitation campaigns: audience, placeholders, one-click answers, unsubscribing and progress."""

import re
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.audience.models import SavedAudience
from podium.campaigns import delivery, services
from podium.campaigns.delivery import RunOutcome
from podium.campaigns.forms import InvitationTemplateForm
from podium.campaigns.models import Campaign, CampaignRecipient, InvitationTemplate
from podium.campaigns.selectors import campaign_progress
from podium.core.errors import ApplicationError
from podium.events.models import Event
from podium.mail.models import Message
from podium.people.models import Tag
from podium.registrations.models import Invitation, Registration
from podium.registrations.services import registration_submit
from tests.support.worker import run_queued_tasks

BODY = (
    "Dear {{ recipient_name }},\n\n"
    "{{ organisation_name }} invites you to {{ event_title }} on {{ event_date }}.\n\n"
    "{{ agenda }}\n\nAccept: {{ rsvp_link }}\nDecline: {{ decline_link }}\n"
)


@pytest.fixture(autouse=True)
def _fast_campaigns(settings):
    settings.PODIUM_CAMPAIGN_BATCH_PAUSE = 0
    settings.PODIUM_CAMPAIGN_BATCH_SIZE = 10


@pytest.fixture
def audience(make_person):
    """Two diplomats (one tagged), a scholar tagged, a student, one unsubscribed and one without email."""
    moscow = Tag.objects.create(name="Moscow alumni")
    people = {
        "amin": make_person(
            honorific="Ambassador",
            retired=True,
            given_names="Shahid M",
            family_name="Amin",
            email="amin@example.org",
            segment="diplomat",
            time_zone="Asia/Karachi",
            designations=[("Former Ambassador to Russia", "", True)],
        ),
        "petrova": make_person(
            honorific="H.E.",
            given_names="Anna",
            family_name="Petrova",
            email="Petrova@Example.org",
            segment="diplomat",
            time_zone="Europe/Moscow",
        ),
        "kazmi": make_person(
            honorific="Dr.", given_names="Atia Ali", family_name="Kazmi", email="kazmi@example.org", segment="scholar"
        ),
        "student": make_person(given_names="Sara", family_name="Khan", email="sara@example.org", segment="student"),
        "gone": make_person(
            given_names="Old",
            family_name="Contact",
            email="gone@example.org",
            segment="diplomat",
            unsubscribed_at=timezone.now(),
        ),
        "noemail": make_person(given_names="No", family_name="Address", segment="diplomat"),
    }
    people["petrova"].tags.add(moscow)
    people["kazmi"].tags.add(moscow)
    return people


def make_campaign(event, **fields):
    fields.setdefault("segments", ["diplomat"])
    return services.campaign_save(
        event=event, name=fields.pop("name", "Diplomats"), subject="Invitation: {{ event_title }}", body=BODY, **fields
    )


def send(campaign):
    services.campaign_schedule(campaign=campaign)
    return delivery.campaign_run(campaign_id=campaign.pk)


def address(message) -> str:
    return parseaddr(message.to[0])[1]


def links(text: str) -> dict[str, str]:
    return {
        "accept": re.search(r"Accept: http://testserver(\S+)", text).group(1),
        "decline": re.search(r"Decline: http://testserver(\S+)", text).group(1),
        "unsubscribe": re.search(r"invitations: http://testserver(\S+)", text).group(1),
    }


# Placeholders ------------------------------------------------------------------------------------


def test_unknown_placeholder_is_refused_when_the_template_is_saved(db):
    form = InvitationTemplateForm(
        data={
            "name": "Invite",
            "subject": "{{ event_title }}",
            "body": "Dear {{ recipient_nmae }}, see {{ rsvp_link }}",
        }
    )
    assert not form.is_valid()
    assert "“{{ recipient_nmae }}” is not a placeholder we know" in form.errors["body"][0]
    form = InvitationTemplateForm(
        data={"name": "Invite", "subject": "Hello {{ event_title", "body": "Dear {{ recipient_name }}"}
    )
    assert not form.is_valid()
    assert "unmatched" in form.errors["subject"][0]


def test_unknown_placeholder_is_refused_in_the_admin(admin_client):
    add = reverse("admin:campaigns_invitationtemplate_add")
    html = admin_client.get(add).content.decode()
    assert 'name="name"' in html and 'name="subject"' in html and 'name="body"' in html
    refused = admin_client.post(add, {"name": "Invite", "subject": "{{ event_title }}", "body": "Dear {{ nmae }}"})
    assert refused.status_code == 200
    assert "“{{ nmae }}” is not a placeholder we know" in refused.content.decode()
    saved = admin_client.post(
        add, {"name": "Invite", "subject": "{{ event_title }}", "body": "Dear {{ recipient_name }}"}
    )
    assert saved.status_code == 302
    assert InvitationTemplate.objects.get().body == "Dear {{ recipient_name }}"


def test_unknown_placeholder_is_refused_by_the_service(make_event, audience):
    with pytest.raises(ApplicationError) as error:
        services.campaign_save(event=make_event(), name="X", subject="Hi", body="{{ password }}", segments=["diplomat"])
    assert error.value.field == "body"
    assert not Campaign.objects.exists()


def test_staff_text_and_names_are_escaped_in_the_html_part(organisation, make_event, make_person):
    event = make_event(title="Arms & <Influence>")
    make_person(given_names="<script>alert(1)</script>", family_name="Evil", email="evil@example.org", segment="expert")
    campaign = services.campaign_save(
        event=event,
        name="X",
        subject="{{ event_title }}",
        body="<b>Bold</b> {{ recipient_name }} — {{ event_title }} {{ rsvp_link }}",
        segments=["expert"],
    )
    send(campaign)
    message = Message.objects.get(kind="campaign_invitation")
    assert "<script>" not in message.body_html and "<b>Bold</b>" not in message.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message.body_html
    assert "Arms &amp; &lt;Influence&gt;" in message.body_html
    assert re.search(r'<a href="http://testserver/i/[\w-]+/accept/">', message.body_html)


# Audience ------------------------------------------------------------------------------------------


def test_the_same_person_in_two_selected_parts_gets_one_invitation(organisation, make_event, audience):
    event = make_event()
    saved = SavedAudience.objects.create(name="Diplomats", query={"segment": "diplomat"})
    campaign = make_campaign(
        event, segments=["diplomat", "scholar"], tags=[Tag.objects.get()], audiences=[saved], people=[audience["amin"]]
    )
    assert send(campaign) == "sent"
    recipients = sorted(CampaignRecipient.objects.values_list("email", flat=True))
    assert recipients == ["amin@example.org", "kazmi@example.org", "petrova@example.org"]
    assert sorted(address(m) for m in mail.outbox) == recipients
    assert Invitation.objects.filter(event=event).count() == 3


def test_campaign_email_is_personal_and_carries_one_click_unsubscribe_headers(
    organisation, make_event, audience, add_speaker
):
    event = make_event(title="Pakistan–Russia Relations")
    add_speaker(
        event,
        role="moderator",
        honorific="Brig",
        retired=True,
        given_names="Amir",
        family_name="Yaqub",
        designations=[("Director", "NIPS", False)],
    )
    send(make_campaign(event, segments=["diplomat"]))
    by_address = {address(m): m for m in mail.outbox}
    petrova = by_address["petrova@example.org"]
    assert parseaddr(petrova.to[0])[0] == "H.E. Anna Petrova"
    assert petrova.subject == "Invitation: Pakistan–Russia Relations"
    assert petrova.body.startswith("Dear H.E. Anna Petrova,")
    assert "MSK (UTC+03:00)" in petrova.body  # her own zone
    assert "PKT (UTC+05:00)" in by_address["amin@example.org"].body
    assert "Moderator: Brig (Retd) Amir Yaqub, Director NIPS" in petrova.body
    unsubscribe = links(petrova.body)["unsubscribe"]
    assert petrova.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert petrova.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert links(petrova.body)["accept"] != links(by_address["amin@example.org"].body)["accept"]


# Answers ----------------------------------------------------------------------------------------------


def test_one_click_accept_registers_under_the_event_rules(organisation, make_event, audience):
    event = make_event(capacity=1)
    send(make_campaign(event))
    client = Client(enforce_csrf_checks=True)
    amin, petrova = (links(m.body) for m in sorted(mail.outbox, key=address))
    page = client.get(amin["accept"])
    assert page.status_code == 200 and b"rsvp.js" not in page.content  # nothing submits the answer by itself
    assert not Registration.objects.exists()  # fetching the link alone answers nothing
    csrf = page.cookies["csrftoken"].value
    response = client.post(amin["accept"], {"csrfmiddlewaretoken": csrf})
    registration = Registration.objects.get(email="amin@example.org")
    assert response.status_code == 302 and response["Location"] == f"/r/{registration.manage_token}/"
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.name == "Ambassador (Retd) Shahid M Amin" and registration.segment == "diplomat"
    assert registration.designation == "Former Ambassador to Russia"
    second = Client()
    second.get(petrova["accept"])
    second.post(petrova["accept"])
    assert Registration.objects.get(email="petrova@example.org").status == Registration.Status.WAITLISTED
    invitation = Invitation.objects.get(email="amin@example.org")
    assert invitation.response == Invitation.Response.ACCEPTED and invitation.responded_at


def test_accept_on_an_approval_event_waits_for_staff(organisation, make_event, audience):
    event = make_event(registration_mode=Event.RegistrationMode.APPROVAL)
    send(make_campaign(event))
    Client().post(links(mail.outbox[0].body)["accept"])
    assert Registration.objects.get().status == Registration.Status.PENDING


def test_invitation_only_event_admits_only_the_invited(organisation, make_event, audience):
    event = make_event(registration_mode=Event.RegistrationMode.INVITATION, visibility=Event.Visibility.INVITATION_ONLY)
    send(make_campaign(event))
    client = Client()
    assert client.get(reverse("public:event", kwargs={"slug": event.slug})).status_code == 404
    response = client.post(links(mail.outbox[0].body)["accept"])
    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    # Someone else cannot use a restricted invitation with their own address.
    invitation = Invitation.objects.get(email="petrova@example.org")
    with pytest.raises(Exception) as error:
        registration_submit(
            event=event, name="Forwarded", email="other@example.org", segment="other", invitation=invitation
        )
    assert "This invitation is for petrova@example.org" in str(error.value)


def test_decline_is_recorded_and_frees_the_seat(organisation, make_event, audience):
    event = make_event(capacity=1)
    send(make_campaign(event))
    amin, petrova = (links(m.body) for m in sorted(mail.outbox, key=address))
    client = Client()
    client.post(amin["accept"])
    client.post(petrova["accept"])
    page = client.post(amin["decline"])
    assert b"declined the invitation" in page.content
    assert Registration.objects.get(email="amin@example.org").status == Registration.Status.CANCELLED
    assert Registration.objects.get(email="petrova@example.org").status == Registration.Status.CONFIRMED
    progress = campaign_progress(campaign=Campaign.objects.get())
    assert (progress["accepted"], progress["declined"], progress["registered"]) == (1, 1, 1)


def test_unknown_invitation_link_is_a_clear_404(db, organisation):
    response = Client().get("/i/not-a-token/accept/")
    assert response.status_code == 404


# Unsubscribing ---------------------------------------------------------------------------------------


def test_one_click_unsubscribe_by_post_without_csrf_then_no_more_campaigns(organisation, make_event, audience):
    event = make_event()
    send(make_campaign(event))
    unsubscribe = links(next(m for m in mail.outbox if address(m) == "amin@example.org").body)["unsubscribe"]
    client = Client(enforce_csrf_checks=True)
    assert b"Stop invitations" in client.get(unsubscribe).content
    response = client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    audience["amin"].refresh_from_db()
    assert audience["amin"].unsubscribed_at is not None

    mail.outbox.clear()
    send(make_campaign(make_event(), name="Second round"))
    assert [address(m) for m in mail.outbox] == ["petrova@example.org"]
    # Transactional mail they ask for still goes.
    registration_submit(event=event, name="Shahid Amin", email="amin@example.org", segment="diplomat")
    from podium.mail.services import outbox_sweep

    outbox_sweep()
    assert any(address(m) == "amin@example.org" for m in mail.outbox)


def test_tampered_unsubscribe_token_changes_nothing(organisation, make_event, audience):
    send(make_campaign(make_event()))
    unsubscribe = links(mail.outbox[0].body)["unsubscribe"]
    _number, signature = unsubscribe.strip("/").split("/")[1].split(":", 1)
    other = audience["kazmi"].pk
    response = Client().post(f"/u/{other}:{signature}/")
    assert response.status_code == 404
    audience["kazmi"].refresh_from_db()
    assert audience["kazmi"].unsubscribed_at is None


# Scheduling and progress ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the task worker commits and reads its queue
def test_scheduled_campaign_waits_for_its_time_then_the_sweep_sends_it(organisation, make_event, audience):
    campaign = make_campaign(make_event())
    later = timezone.now() + timedelta(hours=2)
    services.campaign_schedule(campaign=campaign, send_at=later)
    assert services.campaigns_sweep() == 0
    run_queued_tasks()  # the run queued for its time is not due yet
    assert not mail.outbox
    Campaign.objects.filter(pk=campaign.pk).update(send_at=timezone.now() - timedelta(seconds=1))  # its time comes
    assert services.campaigns_sweep() == 1  # queued for the task worker, not run here
    assert not mail.outbox
    run_queued_tasks()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT and len(mail.outbox) == 2


def test_a_past_send_time_is_refused(organisation, make_event, audience):
    campaign = make_campaign(make_event())
    with pytest.raises(ApplicationError) as error:
        services.campaign_schedule(campaign=campaign, send_at=timezone.now() - timedelta(hours=1))
    assert error.value.field == "send_at"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_a_sent_campaign_cannot_be_edited_or_sent_again(organisation, make_event, audience):
    campaign = make_campaign(make_event())
    send(campaign)
    with pytest.raises(ApplicationError):
        services.campaign_schedule(campaign=campaign)
    with pytest.raises(ApplicationError):
        services.campaign_save(
            campaign=campaign, event=campaign.event, name="X", subject="S", body="B", segments=["student"]
        )
    assert delivery.campaign_run(campaign_id=campaign.pk) == RunOutcome.NOT_TAKEN
    assert len(mail.outbox) == 2


def test_cancelling_stops_what_is_not_yet_sent(organisation, make_event, audience, settings):
    campaign = make_campaign(make_event())
    services.campaign_schedule(campaign=campaign)
    delivery.campaign_materialise(campaign=campaign)
    assert services.campaign_cancel(campaign=campaign)
    assert delivery.campaign_run(campaign_id=campaign.pk) == RunOutcome.NOT_TAKEN
    assert not mail.outbox
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.FAILED}
