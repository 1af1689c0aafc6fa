"""Campaigns that cannot embarrass (issue 13, item 4): a warning before inviting to a full or closed event,
a confirmation with exact counts before anything is sent, a preview from a made-up person whose links go
nowhere, the subject shown rendered, and the event's time zone throughout the page."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from podium.campaigns import selectors, services
from podium.campaigns.models import Campaign, CampaignRecipient, InvitationTemplate
from podium.demo.loader import PEOPLE
from podium.events.models import Event, Participation, Role
from podium.people.models import Person
from podium.registrations.models import Invitation, Registration
from podium.registrations.services import registration_submit

BODY = (
    "Dear {{ recipient_name }},\n\nJoin us on {{ event_date }}.\n\n"
    "Accept: {{ rsvp_link }}\nDecline: {{ decline_link }}\n"
)


@pytest.fixture
def diplomats(make_person):
    people = [
        make_person(given_names=f"D{n}", family_name="Diplomat", email=f"d{n}@example.org", segment="diplomat")
        for n in range(4)
    ]
    make_person(
        given_names="Gone",
        family_name="Away",
        email="gone@example.org",
        segment="diplomat",
        unsubscribed_at=timezone.now(),
    )
    make_person(given_names="No", family_name="Address", segment="diplomat")
    return people


def _campaign(event) -> Campaign:
    return services.campaign_save(
        event=event,
        name="Diplomats, first round",
        subject="Invitation: {{ event_title }}",
        body=BODY,
        segments=["diplomat"],
    )


def _send(client, campaign, **data):
    return client.post(reverse("campaigns:send", args=[campaign.pk]), {"when": "now", **data})


def test_the_send_button_shows_a_confirmation_with_exact_counts_and_sends_nothing(
    admin_client, organisation, make_event, diplomats
):
    event = make_event(title="Pakistan and Central Asia")
    campaign = _campaign(event)
    registration_submit(event=event, name="D1", email="d1@example.org", segment="diplomat")
    Invitation.objects.create(event=event, email="d2@example.org", name="D2")
    response = _send(admin_client, campaign)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Send to 3 people" in page
    assert "3 invitations by email" in page
    assert "subject “Invitation: Pakistan and Central Asia”" in page  # rendered, not {{ event_title }}
    assert "1 skipped because they opted out of invitations." in page
    assert "1 skipped because they have no email address." in page
    assert "1 already registered, will not be invited" in page
    assert "1 of the 3 was invited to this event before" in page
    assert 'name="expected" value="3"' in page and 'name="confirmed" value="on"' in page
    assert "Send 3 invitations now" in page
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT and not mail.outbox  # nothing without the confirming POST

    done = _send(admin_client, campaign, confirmed="on", expected="3")
    assert done.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED


def test_thousands_are_written_with_separators(organisation, make_event, make_person, admin_client):
    event = make_event()
    for n in range(3):
        make_person(family_name=f"P{n}", email=f"p{n}@example.org", segment="diplomat")
    campaign = _campaign(event)
    summary = selectors.campaign_send_summary(campaign=campaign)
    assert (summary.recipients, summary.selected, summary.left_out) == (3, 3, 0)
    from django.template import Context, Template

    assert Template('{{ n|floatformat:"0g" }}').render(Context({"n": 1240})) == "1,240"


def test_the_audience_changing_after_the_confirmation_sends_nothing_and_says_the_new_number(
    admin_client, organisation, make_event, diplomats
):
    campaign = _campaign(make_event())
    diplomats[3].unsubscribed_at = timezone.now()
    diplomats[3].save()
    response = _send(admin_client, campaign, confirmed="on", expected="4")
    assert response.status_code == 409
    page = response.content.decode()
    assert "it is now 3 people, not 4. Nothing was sent" in page and "Send to 3 people" in page
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT and not CampaignRecipient.objects.exists()


@pytest.mark.parametrize("expected", ["", "many", "-1", "99999999999999999999", "\x00"])
def test_a_confirmation_without_a_sensible_count_is_refused_with_a_message(
    admin_client, organisation, make_event, diplomats, expected
):
    campaign = _campaign(make_event())
    response = _send(admin_client, campaign, confirmed="on", expected=expected)
    assert response.status_code == 302
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors and all(len(e) > 10 for e in errors)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_a_confirmation_for_a_campaign_already_sent_is_refused(admin_client, organisation, make_event, diplomats):
    campaign = _campaign(make_event())
    services.campaign_schedule(campaign=campaign)
    response = _send(admin_client, campaign)
    assert response.status_code == 302
    assert "already been scheduled" in str(next(iter(get_messages(response.wsgi_request))))


def test_inviting_to_a_full_event_warns_before_and_at_the_confirmation(
    admin_client, organisation, make_event, diplomats
):
    event = make_event(capacity=1)
    registration_submit(event=event, name="Early", email="early@example.org", segment="other")
    campaign = _campaign(event)
    warning = "The event is full: all 1 seats are taken. Anyone who accepts joins the waiting list."
    detail = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Before you invite anyone" in detail and warning in detail
    confirmation = _send(admin_client, campaign).content.decode()
    assert warning in confirmation and "Send anyway: 4 invitations now" in confirmation


def test_inviting_to_an_event_with_fewer_seats_than_invitations_says_so(organisation, make_event, diplomats):
    event = make_event(capacity=2)
    warnings = selectors.campaign_send_summary(campaign=_campaign(event)).warnings
    assert warnings == [
        "Only 2 seats left for 4 invitations: once they are taken, whoever accepts joins the waiting list."
    ]


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"status": Event.Status.DRAFT}, "The event is still a draft"),
        ({"registration_closes_at": "past"}, "Registration closed on"),
        ({"registration_opens_at": "future"}, "Registration opens on"),
        ({"status": Event.Status.ENDED}, "This event is over"),
    ],
)
def test_inviting_to_a_closed_event_warns(admin_client, organisation, make_event, diplomats, fields, words):
    now = timezone.now()
    values = {"past": now - timedelta(hours=1), "future": now + timedelta(days=2)}
    event = make_event(**{k: values.get(v, v) for k, v in fields.items()})
    campaign = _campaign(event)
    detail = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert words in detail
    if words.startswith("Registration"):
        assert re.search(words + r" \d+ \w+ \d{4}, \d\d:\d\d PKT", detail)  # in the event's zone


def test_an_open_event_with_seats_has_no_warning(admin_client, organisation, make_event, diplomats):
    campaign = _campaign(make_event(capacity=50))
    assert selectors.campaign_send_summary(campaign=campaign).warnings == []
    detail = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Before you invite anyone" not in detail
    confirmation = _send(admin_client, campaign).content.decode()
    assert "Send anyway" not in confirmation and "Send 4 invitations now" in confirmation


def test_the_preview_is_a_made_up_person_whose_links_go_nowhere(admin_client, organisation, make_event, diplomats):
    event = make_event(title="Pakistan and Central Asia")
    campaign = _campaign(event)
    # A real recipient's invitation exists: the preview must not show their working links.
    invitation = Invitation.objects.create(event=event, email="d0@example.org", name="D0")
    detail = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "As a made-up invitee, <strong>Dr. Sample Invitee</strong>" in detail
    assert "Dear Dr. Sample Invitee," in detail  # the plain-text version
    assert "Accept: [personal link: accept]" in detail and "Decline: [personal link: decline]" in detail
    assert "go nowhere" in detail
    body = admin_client.get(reverse("campaigns:preview_body", args=[campaign.pk])).content.decode()
    assert "Sample Invitee" in body
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert hrefs and set(hrefs) == {"#"}  # accept, decline and the footer's unsubscribe
    for page in (detail, body):
        assert invitation.token not in page and "/i/" not in page and "/u/" not in page
        assert "d0@example.org" not in page  # no real person's data
    assert not mail.outbox and Registration.objects.count() == 0


def test_the_preview_invitee_is_nobody_in_the_directory(admin_client, organisation, make_event, add_speaker):
    """The demo directory holds real people (the event's own main speaker among them): the sample must be
    none of them, whatever the directory holds."""
    event = make_event(title="Pakistan and Central Asia")
    speaker = add_speaker(
        event, role=Role.MAIN_SPEAKER, honorific="Ambassador", retired=True, given_names="Shahid M", family_name="Amin"
    )
    campaign = _campaign(event)
    preview = selectors.campaign_preview(campaign=campaign)
    assert preview["person"].styled_name == "Dr. Sample Invitee"
    detail = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Dear Dr. Sample Invitee," in detail
    salutation = detail[detail.index("As a made-up invitee") :][:200]
    directory = {f"{given} {family}" for _, _, _, given, family, *_ in PEOPLE}
    assert speaker.person.styled_name not in salutation
    for name in directory:
        assert name not in preview["body_text"].split("\n\n")[0]  # the salutation names nobody real
    assert preview["person"].email not in set(Person.objects.values_list("email", flat=True))


def test_the_subject_is_shown_rendered(admin_client, organisation, make_event, diplomats):
    campaign = _campaign(make_event(title="Pakistan and Central Asia"))
    detail = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    facts = detail[detail.index('<dl class="facts">') : detail.index("</dl>")]
    assert "<dd>Invitation: Pakistan and Central Asia<br>" in facts
    assert "As written: Invitation: {{ event_title }}" in facts


def test_one_time_zone_throughout_the_page(admin_client, organisation, make_event, diplomats):
    """The event's zone: the event's date, the preview's {{ event_date }}, the send time typed and shown."""
    organisation.default_time_zone = "Europe/London"
    organisation.save()
    event = make_event(time_zone="Asia/Karachi")
    campaign = _campaign(event)
    detail = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "In the event's time zone, Asia/Karachi." in detail
    assert "Times on this page are in the event's time zone, Asia/Karachi." in detail
    assert "PKT" in detail and "GMT" not in detail and "BST" not in detail and "UTC+00:00" not in detail

    local = (timezone.now() + timedelta(days=1)).astimezone(event.zone).replace(second=0, microsecond=0)
    typed = local.strftime("%Y-%m-%dT%H:%M")
    confirmation = _send(admin_client, campaign, when="later", send_at=typed).content.decode()
    assert f'name="send_at" value="{typed}"' in confirmation  # carried through unchanged
    assert f"{local:%H:%M} PKT" in confirmation
    _send(admin_client, campaign, when="later", send_at=typed, confirmed="on", expected="4")
    campaign.refresh_from_db()
    assert campaign.send_at == local  # read in the event's zone, not the organisation's
    detail = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert f"for {local:%-d %b %Y}, {local:%H:%M} PKT" in detail
    listing = admin_client.get(reverse("campaigns:list")).content.decode()
    assert f"{local:%H:%M} PKT" in listing


def test_people_already_registered_are_not_invited_whatever_their_registration_waits_for(
    organisation, make_event, diplomats
):
    from podium.campaigns import delivery

    event = make_event(title="Pakistan and Central Asia")
    for person, status in zip(
        diplomats,
        (
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
            Registration.Status.PENDING,
            Registration.Status.CANCELLED,  # no longer coming: invited again
        ),
        strict=True,
    ):
        # The address as typed on the form may differ in case from the directory's.
        Registration.objects.create(
            event=event, email=person.email.upper(), name="D", status=status, status_changed_at=timezone.now()
        )
    # Registered for another event: invited to this one.
    Registration.objects.create(
        event=make_event(), email="d3@example.org", name="D3", status="confirmed", status_changed_at=timezone.now()
    )
    campaign = _campaign(event)
    summary = selectors.campaign_send_summary(campaign=campaign)
    assert (summary.recipients, summary.registered, summary.left_out, summary.selected) == (1, 3, 5, 6)
    services.campaign_schedule(campaign=campaign, expected_count=1)
    delivery.campaign_run(campaign_id=campaign.pk)
    assert list(CampaignRecipient.objects.filter(campaign=campaign).values_list("email", flat=True)) == [
        "d3@example.org"
    ]
    assert len(mail.outbox) == 1 and "d3@example.org" in mail.outbox[0].to[0]


def test_the_confirmation_says_how_many_are_already_registered_and_not_invited(
    admin_client, organisation, make_event, diplomats
):
    event = make_event()
    for person in diplomats[:2]:
        Registration.objects.create(
            event=event, email=person.email, name="D", status="confirmed", status_changed_at=timezone.now()
        )
    page = _send(admin_client, _campaign(event)).content.decode()
    assert "Send to 2 people" in page and "2 already registered, will not be invited" in page
    draft = admin_client.get(reverse("campaigns:detail", args=[Campaign.objects.get().pk])).content.decode()
    assert "4 more match but are left out (1 unsubscribed, 1 with no email address, 2 already registered)" in draft


def test_people_on_the_agenda_are_not_invited_and_the_confirmation_says_so(
    admin_client, organisation, make_event, diplomats
):
    """A speaker of the event who is also in the segment gets the speaker invitation, not the campaign."""
    from podium.campaigns import delivery

    event = make_event()
    for person, role in ((diplomats[0], Role.DISCUSSANT), (diplomats[1], Role.MODERATOR)):
        Participation.objects.create(event=event, person=person, role=role)
    # On another event's agenda: invited to this one all the same.
    Participation.objects.create(event=make_event(), person=diplomats[2], role=Role.MAIN_SPEAKER)
    # On the agenda and registered: counted once, as registered.
    Participation.objects.create(event=event, person=diplomats[3], role=Role.RAPPORTEUR)
    Registration.objects.create(
        event=event, email=diplomats[3].email, name="D3", status="confirmed", status_changed_at=timezone.now()
    )
    campaign = _campaign(event)
    summary = selectors.campaign_send_summary(campaign=campaign)
    assert (summary.recipients, summary.on_agenda, summary.registered) == (1, 2, 1)
    assert list(selectors.campaign_audience(campaign=campaign)) == [diplomats[2]]
    page = _send(admin_client, campaign).content.decode()
    assert "Send to 1 person" in page
    assert "2 on the agenda, will not be invited (they get the speaker invitation instead)" in page
    draft = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "1 already registered, 2 on the agenda)" in draft
    services.campaign_schedule(campaign=campaign, expected_count=1)
    delivery.campaign_run(campaign_id=campaign.pk)
    assert list(CampaignRecipient.objects.filter(campaign=campaign).values_list("email", flat=True)) == [
        diplomats[2].email
    ]


def test_use_this_template_fills_the_form_without_saving(admin_client, organisation, make_event, diplomats):
    """Without script: "Use this template" re-renders the form with the template's subject and text."""
    event = make_event()
    template = InvitationTemplate.objects.create(
        name="Lecture", subject="You are invited: {{ event_title }}", body="Dear {{ recipient_name }},\n\nJoin us."
    )
    url = reverse("campaigns:new")
    page = admin_client.get(url).content.decode()
    assert 'name="use_template"' in page and 'id="template-texts"' in page  # the script's copy of the texts
    assert "You are invited: {{ event_title }}" in page.split('id="template-texts"')[1].split("</script>")[0]
    data = {"event": event.pk, "name": "Diplomats", "template": template.pk, "segments": ["diplomat"]}
    data.update(subject="", body="", restrict_to_email="on", use_template="1")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="You are invited: {{ event_title }}"' in page
    assert "Dear {{ recipient_name }},\n\nJoin us.</textarea>" in page
    assert "Nothing is saved yet" in page and "form-errors" not in page
    assert re.search(
        r"<input[^>]*name=\"name\"[^>]*value=\"Diplomats\"|<input[^>]*value=\"Diplomats\"[^>]*name=\"name\"", page
    )
    [box] = re.findall(r"<input[^>]*value=\"diplomat\"[^>]*>", page)
    assert "checked" in box
    assert not Campaign.objects.exists()
    # Text already typed is kept.
    data.update(subject="My own subject", body="My own text")
    page = admin_client.post(url, data).content.decode()
    assert 'value="My own subject"' in page and "My own text</textarea>" in page and "Join us.</textarea>" not in page
    assert "Your subject and text are kept" in page
    # No template chosen: said plainly, nothing lost.
    data.update(template="")
    page = admin_client.post(url, data).content.decode()
    assert "Choose a template first." in page and "My own text</textarea>" in page
