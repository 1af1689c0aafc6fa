"""The demo: the NIPS Lecture Series with its Pakistan–Russia webinar and two upcoming events."""

import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from podium.campaigns.models import InvitationTemplate
from podium.core.models import Organisation
from podium.events.models import Attachment, Event, Participation, Question, Role, Series
from podium.live.models import Note
from podium.people.models import Designation, Person, Segment
from podium.registrations.services import registration_submit
from podium.reports.models import Report, ReportVersion
from podium.reports.services import note_to_point, report_compose, report_publish
from podium.video.models import VideoRoom

KARACHI = ZoneInfo("Asia/Karachi")

INVITATION_TEXT = """Dear {{ recipient_name }},

{{ organisation_name }} has the honour to invite you to a webinar in the {{ series_name }}:

{{ event_title }}
{{ event_date }}

{{ agenda }}

Kindly confirm your participation with one click:
{{ rsvp_link }}

If you are unable to attend, please let us know:
{{ decline_link }}

Your personal joining link will reach you before the event.

With warm regards,
Events Team, {{ organisation_name }}
"""

SERIES_DESCRIPTION = (
    "The NIPS Lecture Series invites notable national and international experts to speak in detail on "
    "topics of high contemporary relevance to a diverse audience of statesmen, serving and former senior "
    "defence officials, business leaders, veteran diplomats, experts, scholars and students."
)

# (key, honorific, retired, given, family, designations [(position, organisation, comma)], tz, segment, later)
PEOPLE = [
    ("yaqub", "Brig", True, "Amir", "Yaqub", [("Director", "NIPS", False)], "Asia/Karachi", Segment.FORMER_DEFENCE, ""),
    (
        "kozin",
        "Dr.",
        False,
        "Vladimir",
        "Kozin",
        [
            (
                "Leading Expert",
                "Center for Military-Political Studies, Moscow State Institute of International Relations (MGIMO) "
                "of the Ministry of Foreign Affairs of the Russian Federation",
                True,
            )
        ],
        "Europe/Moscow",
        Segment.EXPERT,
        "",
    ),
    (
        "amin",
        "Ambassador",
        True,
        "Shahid M",
        "Amin",
        [("veteran diplomat and author", "", True)],
        "Asia/Karachi",
        Segment.DIPLOMAT,
        "",
    ),
    (
        "haque",
        "Major General",
        True,
        "Inam ul",
        "Haque",
        [],
        "Asia/Karachi",
        Segment.FORMER_DEFENCE,
        "Major General Inam ul Haque",
    ),
    (
        "kazmi",
        "Dr.",
        False,
        "Atia Ali",
        "Kazmi",
        [("Senior Policy Analyst", "NIPS", True)],
        "Asia/Karachi",
        Segment.SCHOLAR,
        "",
    ),
    ("shah", "Mr.", False, "Ali", "Shah", [("Head of Research", "NIPS", True)], "Asia/Karachi", Segment.SCHOLAR, ""),
    (
        "khan",
        "Dr.",
        False,
        "Ashfaque Hasan",
        "Khan",
        [("Principal", "NUST School of Social Sciences & Humanities", True), ("Director-General", "NIPS", False)],
        "Asia/Karachi",
        Segment.SCHOLAR,
        "",
    ),
]

BIOS = {
    "kozin": "Dr. Vladimir Kozin is a Leading Expert at the Center for Military-Political Studies of MGIMO in Moscow, "
    "writing on arms control, strategic stability and Russia's relations with Asia.",
    "amin": "Ambassador (Retd) Shahid M Amin served in Pakistan's Foreign Service for four decades, including as "
    "ambassador to the Soviet Union, and is the author of works on Pakistan's foreign policy.",
    "yaqub": "Brig (Retd) Amir Yaqub is the Director of the NUST Institute of Policy Studies.",
}

PAST_AGENDA = [
    ("yaqub", Role.MODERATOR),
    ("kozin", Role.MAIN_SPEAKER),
    ("amin", Role.DISCUSSANT),
    ("haque", Role.DISCUSSANT),
    ("kazmi", Role.DISCUSSANT),
    ("shah", Role.DISCUSSANT),
    ("khan", Role.CLOSING_REMARKS),
]

# The rapporteur's notes of the Pakistan–Russia webinar, each a point the press release reports.
RAPPORTEUR_NOTES = {
    "kozin": [
        "current Russia–Pakistan relations were largely positive, free of disputes, dynamic and multi-domain",
        "there was huge potential to expand cooperation between the two countries, especially in the economic "
        "and security domains",
        "given the dynamic Eurasian geopolitical context, the two sides needed more consultation on major "
        "regional developments",
        "proposed that Pakistan could consider taking part in the Zapad-2023 military exercises, which Russia "
        "would welcome",
    ],
    "amin": [
        "the lack of sustained economic, technological and cultural links with Russia was a challenge that "
        "Pakistan had to overcome",
        "deeper relations with Russia could not come at the expense of Pakistan's relations with the West",
        "significant Russian defence sales to India could become a point of concern",
    ],
    "haque": [
        "Pakistani policymakers needed a deep understanding of the Russian foreign-policy establishment, "
        "including its interest groups, the so-called Atlantic, Imperial and Slavophile camps",
        "China and Afghanistan were two major points of convergence between Pakistan and Russia",
        "Russia's demographic challenge could lead to novel forms of cooperation",
    ],
    "kazmi": [
        "Pakistan–Russia relations were not transactional, focused on both geopolitics and geoeconomics, and "
        "were moving in the right direction at a sustainable pace",
    ],
    "shah": [
        "there was an urgent need for an early-harvest demonstration project, such as a joint Pakistan–Russia "
        "science and technology park in Pakistan bringing together both sides' strengths in science, "
        "technology and innovation",
    ],
    "khan": [
        "moving beyond the zero-sum pursuit of power in the emerging multipolar era would let major powers such "
        "as China, Russia and the US find more room for issue-based cooperation",
        "such cooperation could come through regional coalitions of concerned countries that were not exclusive",
    ],
}

PRONOUNS = {"yaqub": "he", "kozin": "he", "amin": "he", "haque": "he", "kazmi": "she", "shah": "he", "khan": "he"}

AUDIENCE = [
    ("Dr. Sana Malik", "sana.malik@example.org", "Quaid-i-Azam University", "Assistant Professor", Segment.SCHOLAR),
    ("Col (Retd) Tariq Mehmood", "tariq.mehmood@example.org", "", "Defence analyst", Segment.FORMER_DEFENCE),
    ("Ms. Hira Baig", "hira.baig@example.org", "NUST", "MPhil student", Segment.STUDENT),
    ("Mr. Omar Farooq", "omar.farooq@example.org", "Pak-Eurasia Trade Council", "Chairman", Segment.BUSINESS),
    ("Ms. Ayesha Siddiqui", "ayesha.siddiqui@example.org", "Dawn", "Correspondent", Segment.MEDIA),
]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=KARACHI)


def _staff_user() -> str:
    """The demo's staff account. Its password is made, and shown, only when the account is created:
    loading the demo again keeps the password and never prints it (nor writes it anywhere)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username="staff", defaults={"email": "events@nips.example.org"})
    user.is_staff = True
    user.is_superuser = True
    password = None
    if created:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
    user.save()
    group, _ = Group.objects.get_or_create(name="Events team")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=[
                "events",
                "people",
                "registrations",
                "mail",
                "core",
                "audience",
                "campaigns",
                "imports",
                "video",
                "live",
                "reports",
            ]
        )
    )
    if password is None:
        return (
            f"Staff login: {settings.SITE_URL}/staff/  user: staff  (the password shown when the account was "
            "created; `podium changepassword staff` sets a new one)"
        )
    return f"Staff login: {settings.SITE_URL}/staff/  user: staff  password: {password}"


@transaction.atomic
def demo_load() -> str:
    """Create the demo institute, people and events; returns the staff login line."""
    Organisation.objects.update_or_create(
        pk=1,
        defaults=dict(
            name="NUST Institute of Policy Studies",
            short_name="NIPS",
            parent_name="National University of Sciences and Technology (NUST)",
            city="Islamabad",
            website="https://nips.example.org",
            press_contact_name="Media Coordinator, NIPS",
            press_contact_email="media@nips.example.org",
            default_time_zone="Asia/Karachi",
        ),
    )
    series, _ = Series.objects.update_or_create(
        slug="nips-lecture-series",
        defaults=dict(
            name="NIPS Lecture Series",
            description=SERIES_DESCRIPTION,
            intended_audience="statesmen, serving and former senior defence officials, business leaders, veteran "
            "diplomats, experts, scholars and students",
        ),
    )

    people = {}
    for key, honorific, retired, given, family, designations, tz, segment, later in PEOPLE:
        person, _ = Person.objects.update_or_create(
            slug=f"{given} {family}".lower().replace(" ", "-"),
            defaults=dict(
                honorific=honorific,
                retired=retired,
                given_names=given,
                family_name=family,
                time_zone=tz,
                segment=segment,
                later_mention_override=later,
                bio=BIOS.get(key, ""),
                pronoun=PRONOUNS.get(key, ""),
                country="Russia" if tz == "Europe/Moscow" else "Pakistan",
            ),
        )
        person.designations.all().delete()
        for order, (position, organisation, comma) in enumerate(designations):
            Designation.objects.create(
                person=person, position=position, organisation=organisation, comma=comma, order=order
            )
        people[key] = person

    past_day = datetime(2023, 5, 25).date()
    past, _ = Event.objects.update_or_create(
        slug="pakistan-russia-relations",
        defaults=dict(
            series=series,
            title="Pakistan–Russia Relations: Prospects of Bilateral Cooperation",
            abstract=(
                "A high-level webinar on where Pakistan–Russia relations stand and the prospects of bilateral "
                "cooperation in the evolving regional and international geopolitical situation, with a main speaker "
                "from Moscow and four Pakistani discussants."
            ),
            purpose="to discuss the prospects of bilateral cooperation between the two countries in the evolving "
            "regional and international geopolitical situation",
            starts_at=_at(past_day, 15),
            ends_at=_at(past_day, 17),
            time_zone="Asia/Karachi",
            status=Event.Status.ENDED,
            visibility=Event.Visibility.PUBLIC,
            capacity=500,
            registration_mode=Event.RegistrationMode.OPEN,
        ),
    )
    past.participations.all().delete()
    past.live_notes.all().delete()
    Report.objects.filter(event=past).delete()
    for order, (key, role) in enumerate(PAST_AGENDA, start=1):
        participation = Participation.objects.create(
            event=past, person=people[key], role=role, order=order, confirmation=Participation.Confirmation.CONFIRMED
        )
        # The rapporteur's notes from the live page's panel, each made a point for the press release.
        for text in RAPPORTEUR_NOTES.get(key, []):
            note = Note.objects.create(event=past, speaker=participation, text=text)
            note_to_point(note=note)
    past.attachments.all().delete()
    Attachment.objects.create(
        event=past,
        kind=Attachment.Kind.RECORDING,
        title="Recording of the webinar",
        url="https://www.youtube.com/@nips-example",
        order=1,
    )
    Attachment.objects.create(
        event=past,
        kind=Attachment.Kind.SLIDES,
        title="Dr. Vladimir Kozin's slides",
        url="https://nips.example.org/slides/pakistan-russia-kozin.pdf",
        order=2,
    )

    today = timezone.localtime(timezone.now(), KARACHI).date()
    upcoming_day = today + timedelta(days=10)
    upcoming, _ = Event.objects.update_or_create(
        slug="pakistan-central-asia-connectivity",
        defaults=dict(
            series=series,
            title="Pakistan and Central Asia: Connectivity, Trade and Security",
            abstract=(
                "A webinar on the corridors, energy links and security questions that shape Pakistan's ties with the "
                "Central Asian republics, and what the next decade could bring."
            ),
            starts_at=_at(upcoming_day, 15),
            ends_at=_at(upcoming_day, 16, 30),
            time_zone="Asia/Karachi",
            status=Event.Status.ANNOUNCED,
            visibility=Event.Visibility.PUBLIC,
            capacity=5,
            registration_mode=Event.RegistrationMode.OPEN,
            registration_opens_at=timezone.now() - timedelta(days=7),
            join_url="https://meet.jit.si/NIPS-Pakistan-Central-Asia-Connectivity",
        ),
    )
    # The live page shows the room itself (Jitsi's IFrame API); the same room as the event's video link.
    VideoRoom.objects.update_or_create(
        event=upcoming,
        defaults=dict(
            engine=VideoRoom.Engine.JITSI,
            jitsi_server="https://meet.jit.si",
            room_name="NIPS-Pakistan-Central-Asia-Connectivity",
            embed=True,
            jitsi_jwt=False,
        ),
    )
    upcoming.participations.all().delete()
    for order, (key, role) in enumerate(
        [
            ("yaqub", Role.MODERATOR),
            ("kazmi", Role.MAIN_SPEAKER),
            ("shah", Role.DISCUSSANT),
            ("khan", Role.CLOSING_REMARKS),
        ],
        start=1,
    ):
        Participation.objects.create(
            event=upcoming,
            person=people[key],
            role=role,
            order=order,
            confirmation=Participation.Confirmation.CONFIRMED,
        )
    # Speakers with an address get invitations and briefings; Mr. Shah has yet to be invited.
    for key, email in (("kazmi", "atia.kazmi@nips.example.org"), ("shah", "ali.shah@nips.example.org")):
        Person.objects.filter(pk=people[key].pk).update(email=email)
    upcoming.participations.filter(person=people["shah"]).update(confirmation=Participation.Confirmation.INVITED)
    upcoming.questions.all().delete()
    Question.objects.create(
        event=upcoming,
        label="What would you like the speakers to address?",
        kind=Question.Kind.LONG_TEXT,
        required=False,
        order=1,
    )

    roundtable_day = today + timedelta(days=24)
    roundtable, _ = Event.objects.update_or_create(
        slug="cpec-second-phase-roundtable",
        defaults=dict(
            series=series,
            title="Roundtable: CPEC's Second Phase and Regional Connectivity",
            abstract="A closed-door roundtable for practitioners and scholars, held under the Chatham House Rule.",
            starts_at=_at(roundtable_day, 11),
            ends_at=_at(roundtable_day, 13),
            time_zone="Asia/Karachi",
            status=Event.Status.ANNOUNCED,
            visibility=Event.Visibility.PUBLIC,
            capacity=20,
            attribution=Event.Attribution.CHATHAM_HOUSE,
            format=Event.Format.HYBRID,
            location="NIPS Conference Room, NUST H-12 Campus, Islamabad",
            registration_mode=Event.RegistrationMode.APPROVAL,
        ),
    )
    roundtable.participations.all().delete()
    Participation.objects.create(
        event=roundtable,
        person=people["yaqub"],
        role=Role.MODERATOR,
        order=1,
        confirmation=Participation.Confirmation.CONFIRMED,
    )
    Participation.objects.create(
        event=roundtable,
        person=people["amin"],
        role=Role.MAIN_SPEAKER,
        order=2,
        confirmation=Participation.Confirmation.CONFIRMED,
    )

    # The published press release, composed from the rapporteur's notes, as the events team would leave it.
    report_compose(event=past)
    report_publish(event=past, user=None)
    # Published the morning after the webinar, as the events team did.
    Report.objects.filter(event=past).update(published_at=_at(past_day + timedelta(days=1), 10))
    ReportVersion.objects.filter(report__event=past).update(created_at=_at(past_day, 18))
    # The upcoming webinar's transcript is not yet imported: a sample Zoom file ships to try it.

    InvitationTemplate.objects.update_or_create(
        name="NIPS Lecture Series invitation",
        defaults=dict(
            subject="Invitation: {{ event_title }}",
            body=INVITATION_TEXT,
        ),
    )

    # Some seats already taken and some registrations awaiting approval, so the pages show real states.
    if not upcoming.registrations.exists():
        for name, email, org, designation, segment in AUDIENCE[:3]:
            registration_submit(
                event=upcoming, name=name, email=email, organisation=org, designation=designation, segment=segment
            )
    if not roundtable.registrations.exists():
        for name, email, org, designation, segment in AUDIENCE[1:]:
            registration_submit(
                event=roundtable, name=name, email=email, organisation=org, designation=designation, segment=segment
            )
    return _staff_user()


def demo_live_now() -> list[str]:
    """The upcoming webinar, running now: it started five minutes ago and lasts ninety minutes.
    Returns one line per confirmed registrant with their personal join link."""
    event = Event.objects.get(slug="pakistan-central-asia-connectivity")
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        status=Event.Status.LIVE,
        registration_opens_at=start - timedelta(days=7),
    )
    lines = [f"“{event.title}” is live now. Join links of its registrants:"]
    for registration in event.registrations.filter(status="confirmed").order_by("pk"):
        lines.append(f"  {registration.name}: {settings.SITE_URL}/j/{registration.token}/")
    lines.append(f"Moderator console: {settings.SITE_URL}/staff/live/{event.pk}/")
    return lines
