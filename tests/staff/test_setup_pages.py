"""The staff pages that set up series and events: forms, agenda builder, duplicate, publish; their
messages for bad input; and list pages whose query count does not grow with their rows."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Event, Participation, Role, Series
from podium.people.models import Person
from podium.video.models import VideoRoom

pytestmark = pytest.mark.django_db


def event_post(**overrides):
    day = (timezone.now() + timedelta(days=30)).date()
    data = {
        "title": "Pakistan and Central Asia: Connectivity",
        "abstract": "Trade corridors.",
        "purpose": "to discuss the prospects of regional trade",
        "format": "roundtable",
        "date": day.isoformat(),
        "starts": "15:00",
        "ends": "17:00",
        "time_zone": "asia/karachi",
        "registration_mode": "open",
        "capacity": "80",
        "attribution": "chatham_house",
        "video_engine": "jitsi",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_series_create_and_edit(admin_client, make_person):
    organiser = make_person(family_name="Yaqub", honorific="Brig", retired=True, given_names="Amir")
    response = admin_client.get(reverse("staff:series_new"))
    assert response.status_code == 200
    response = admin_client.post(
        reverse("staff:series_new"),
        {
            "name": "NIPS Lecture Series",
            "intended_audience": "Diplomats",
            "default_registration_mode": "approval",
            "default_capacity": "60",
            "default_video_engine": "jitsi",
        },
    )
    assert response.status_code == 302
    series = Series.objects.get()
    assert (series.slug, series.default_capacity, series.default_video_engine) == ("nips-lecture-series", 60, "jitsi")
    # The organiser choice lists people who have been on an agenda.
    Participation.objects.create(
        event=Event.objects.create(
            title="x", slug="x", starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1)
        ),
        person=organiser,
        role=Role.HOST,
    )
    page = admin_client.get(reverse("staff:series_edit", args=[series.pk])).content.decode()
    assert "Brig (Retd) Amir Yaqub" in page
    response = admin_client.post(
        reverse("staff:series_edit", args=[series.pk]),
        {"name": "", "default_registration_mode": "nonsense", "default_organiser": "abc"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_name_error"' in page and 'aria-invalid="true"' in page
    response = admin_client.post(
        reverse("staff:series_edit", args=[series.pk]),
        {"name": "NIPS Lectures", "default_registration_mode": "open", "default_organiser": str(organiser.pk)},
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.default_organiser == organiser and series.slug == "nips-lecture-series"


def test_event_create_starts_from_the_series_defaults_and_makes_a_draft(admin_client, series, organisation):
    series.default_registration_mode, series.default_capacity = "approval", 45
    series.default_video_engine = "jitsi"
    series.save()
    page = admin_client.get(reverse("staff:event_new") + f"?series={series.pk}").content.decode()
    assert 'value="45"' in page and 'value="approval" required id="id_registration_mode_1" checked' in page
    assert "Asia/Karachi" in page and "no remark is attributed" in page
    response = admin_client.post(reverse("staff:event_new"), event_post(series=str(series.pk)))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("staff:agenda", args=[event.pk])
    assert event.is_draft and event.slug == "pakistan-and-central-asia-connectivity"
    assert event.time_zone == "Asia/Karachi" and event.starts_at.astimezone(event.zone).hour == 15
    assert event.format == Event.Format.ROUNDTABLE and event.video_room.engine == VideoRoom.Engine.JITSI
    # Edit: an earlier end than start is refused beside the field; nothing changes.
    response = admin_client.post(reverse("staff:event_edit", args=[event.pk]), event_post(ends="14:00"))
    assert response.status_code == 400 and 'id="id_ends_error"' in response.content.decode()
    response = admin_client.post(
        reverse("staff:event_edit", args=[event.pk]), event_post(title="New title", video_engine="link", capacity="")
    )
    assert response.status_code == 400 and 'id="id_join_url_error"' in response.content.decode()
    response = admin_client.post(
        reverse("staff:event_edit", args=[event.pk]),
        event_post(title="New title", video_engine="link", capacity="", join_url="https://zoom.example/j/1"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "New title" and event.capacity is None and event.slug.startswith("pakistan")


@pytest.mark.parametrize(
    "overrides",
    [
        {"time_zone": "Mars/Olympus"},
        {"date": "2026-02-30"},
        {"starts": "25:00"},
        {"closes_date": "2026-01-01"},
        {"capacity": "0"},
        {"format": "party"},
        {"title": "a\x00b"},
        {"join_url": "javascript:alert(1)"},
        {"series": "99999999999999999999999"},
    ],
)
def test_bad_event_input_gets_a_message(admin_client, organisation, overrides):
    response = admin_client.post(reverse("staff:event_new"), event_post(**overrides))
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Event.objects.exists()


def test_agenda_builder_without_script(admin_client, make_event, make_person):
    event = make_event(status=Event.Status.DRAFT)
    amir = make_person(
        family_name="Yaqub",
        given_names="Amir",
        honorific="Brig",
        retired=True,
        designations=[("Director", "NIPS", False)],
    )
    url = reverse("staff:agenda", args=[event.pk])
    page = admin_client.get(url, {"q": "brig yaq"}).content.decode()
    assert "Brig (Retd) Amir Yaqub, Director NIPS" in page
    fragment = admin_client.get(reverse("staff:agenda_people", args=[event.pk]), {"q": "director"}).content.decode()
    assert "Brig (Retd) Amir Yaqub, Director NIPS" in fragment and "<html" not in fragment
    add = reverse("staff:agenda_add", args=[event.pk])
    assert admin_client.post(add, {"person": amir.pk, "role": "moderator", "confirmed": "on"}).status_code == 302
    response = admin_client.post(add, {"person": amir.pk, "role": "moderator"}, follow=True)
    assert "already on the agenda" in response.content.decode()
    response = admin_client.post(
        reverse("staff:agenda_person_new", args=[event.pk]),
        {
            "honorific": "Dr.",
            "given_names": "Vladimir",
            "family_name": "Kozin",
            "position_1": "Senior Fellow",
            "organisation_1": "Russian Academy of Sciences",
            "comma_1": "on",
            "pronoun": "he",
            "role": "main_speaker",
            "confirmed": "on",
        },
    )
    assert response.status_code == 302
    kozin = Participation.objects.get(person__family_name="Kozin")
    assert kozin.order == 1 and kozin.is_confirmed
    # Keyboard: move up; the JSON answer for the page's script.
    move = reverse("staff:agenda_move", args=[event.pk, kozin.pk])
    response = admin_client.post(move, {"direction": "up"}, headers={"X-Requested-With": "fetch"})
    assert response.json() == {"ok": True}
    assert list(event.participations.order_by("order").values_list("person__family_name", flat=True)) == [
        "Kozin",
        "Yaqub",
    ]
    response = admin_client.post(move, {"position": "abc"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400 and "error" in response.json()
    page = admin_client.get(url).content.decode()
    assert "Main speaker" in page and "Dr. Vladimir Kozin" in page and "Public agenda" in page
    response = admin_client.post(reverse("staff:agenda_person_new", args=[event.pk]), {"family_name": "", "role": "x"})
    assert response.status_code == 400 and 'id="id_family_name_error"' in response.content.decode()
    role = reverse("staff:agenda_role", args=[event.pk, kozin.pk])
    assert admin_client.post(role, {"role": "discussant"}).status_code == 302
    response = admin_client.post(role, {"role": "emperor"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400 and response.json()["error"] == "Choose a role from the list."
    kozin.refresh_from_db()
    assert kozin.role == Role.DISCUSSANT
    admin_client.post(reverse("staff:agenda_remove", args=[event.pk, kozin.pk]))
    assert not Participation.objects.filter(pk=kozin.pk).exists()
    assert Person.objects.filter(family_name="Kozin").exists()


def test_duplicate_and_publish_pages(admin_client, make_event, add_speaker):
    event = make_event(status=Event.Status.DRAFT)
    add_speaker(event, role=Role.MODERATOR)
    add_speaker(event, role=Role.MAIN_SPEAKER, order=1)
    response = admin_client.get(reverse("staff:event_duplicate", args=[event.pk]))
    assert response.status_code == 200
    day = (event.starts_at + timedelta(days=28)).date().isoformat()
    response = admin_client.post(
        reverse("staff:event_duplicate", args=[event.pk]), {"title": "Next", "date": day, "starts": "10:00"}
    )
    copy = Event.objects.get(title="Next")
    assert response["Location"] == reverse("staff:agenda", args=[copy.pk])
    assert list(copy.participations.values_list("role", flat=True)) == [Role.MODERATOR]

    page = admin_client.get(reverse("staff:event_publish", args=[event.pk])).content.decode()
    assert "Who will be notified" in page and "Nobody is emailed now." in page
    assert admin_client.post(reverse("staff:event_publish", args=[event.pk])).status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.ANNOUNCED
    response = admin_client.post(reverse("staff:event_publish", args=[event.pk]), follow=True)
    assert "already published" in response.content.decode()
    page = admin_client.get(reverse("staff:event_unpublish", args=[event.pk])).content.decode()
    assert "Nobody has registered yet." in page
    admin_client.post(reverse("staff:event_unpublish", args=[event.pk]))
    event.refresh_from_db()
    assert event.is_draft


def test_setup_pages_need_their_permissions(client, make_event):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    event = make_event()
    user = get_user_model().objects.create_user("viewer", password="pw-viewer-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_registration"))
    client.force_login(user)
    for url in (
        reverse("staff:series_new"),
        reverse("staff:event_new"),
        reverse("staff:agenda", args=[event.pk]),
        reverse("staff:event_publish", args=[event.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("staff:event_publish", args=[event.pk])).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _series_rows(n, person):
    for i in range(n):
        Series.objects.create(name=f"Series {i}", slug=f"series-{i}", default_organiser=person)


def test_series_list_queries_do_not_grow(admin_client, make_person, django_assert_num_queries):
    person = make_person(family_name="Yaqub")
    _series_rows(1, person)
    url = reverse("staff:series")
    admin_client.get(url)
    few = _queries(admin_client, url)
    Series.objects.all().delete()
    _series_rows(15, person)
    with django_assert_num_queries(few):
        assert admin_client.get(url).content.decode().count("New event in this series") == 15


def test_agenda_and_dashboard_queries_do_not_grow(admin_client, make_event, add_speaker, django_assert_num_queries):
    event = make_event()
    add_speaker(event, role=Role.MODERATOR)
    urls = [reverse("staff:agenda", args=[event.pk]), reverse("staff:dashboard")]
    counts = []
    for url in urls:
        admin_client.get(url)
        counts.append(_queries(admin_client, url))
    for n in range(8):
        add_speaker(event, role=Role.DISCUSSANT, order=n + 1)
        make_event()
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            admin_client.get(url)


def test_agenda_row_sets_the_talk_title_the_public_agenda_shows(admin_client, make_event, make_person, client):
    event = make_event(format=Event.Format.WEBINAR)
    kozin = Participation.objects.create(
        event=event,
        person=make_person(family_name="Kozin", given_names="Vladimir", honorific="Dr."),
        role=Role.MAIN_SPEAKER,
        confirmation=Participation.Confirmation.CONFIRMED,
    )
    agenda = reverse("staff:agenda", args=[event.pk])
    talk = reverse("staff:agenda_talk", args=[event.pk, kozin.pk])
    assert f'action="{talk}"' in admin_client.get(agenda).content.decode()
    response = admin_client.post(talk, {"talk_title": "Russia and the Region"}, follow=True)
    page = response.content.decode()
    assert "The talk of Dr. Vladimir Kozin is “Russia and the Region”." in page
    assert 'value="Russia and the Region"' in page  # the row's field holds it for the next edit
    assert "“Russia and the Region”" in client.get(reverse("public:event", args=[event.slug])).content.decode()
    response = admin_client.post(talk, {"talk_title": "x" * 301}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400
    assert response.json()["error"] == "This is too long: use at most 300 characters."
    kozin.refresh_from_db()
    assert kozin.talk_title == "Russia and the Region"
    admin_client.post(talk, {"talk_title": ""})
    kozin.refresh_from_db()
    assert kozin.talk_title == ""


def test_visibility_is_worded_as_listed_everywhere_staff_see_it(admin_client, make_event):
    event = make_event(visibility=Event.Visibility.PUBLIC)
    assert Event.objects.get(pk=event.pk).visibility == "public"  # the stored value is unchanged
    for url in (reverse("staff:agenda", args=[event.pk]), reverse("staff:event_edit", args=[event.pk])):
        page = admin_client.get(url).content.decode()
        # The status line says it in one word; the form explains each choice.
        assert re.search(r'class="workspace-status">[^<]*<span[^>]*>[^<]*</span>\s*Listed ·', page), url
        assert "· Public" not in page and ">Public<" not in page, url
    form = admin_client.get(reverse("staff:event_new")).content.decode()
    assert "Listed (on the home page, in its series and in search)" in form
    assert "Unlisted (anyone with the link, never listed)" in form


def test_an_inline_speakers_designation_gets_its_comma_unless_unticked(admin_client, make_event):
    """The tester typed "Senior Research Fellow" / "Energy Policy Centre" and got them run together."""

    event = make_event()
    page = admin_client.get(reverse("staff:agenda", args=[event.pk])).content.decode()
    for name in ("comma_1", "comma_2"):
        [box] = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert "checked" in box, f"{name} starts ticked"
    assert "“Senior Research Fellow, Energy Policy Centre”" in page and "“Director NIPS”" in page
    assert 'id="designation-preview"' in page
    # The browser sends the ticked box as it stands: the comma is there.
    new = reverse("staff:agenda_person_new", args=[event.pk])
    data = {"family_name": "Rahman", "position_1": "Senior Research Fellow", "role": "discussant"}
    data.update(organisation_1="Energy Policy Centre", comma_1="on")
    assert admin_client.post(new, data).status_code == 302
    assert Person.objects.get(family_name="Rahman").designation_text == "Senior Research Fellow, Energy Policy Centre"
    # Unticked, for a title that runs on.
    data.update(family_name="Yaqub", position_1="Director", organisation_1="NIPS", comma_1="")
    assert admin_client.post(new, data).status_code == 302
    assert Person.objects.get(family_name="Yaqub").designation_text == "Director NIPS"
