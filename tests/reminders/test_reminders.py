"""Reminders and speakers' briefings: what is due when, exactly once, with the join link and calendar file."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from itertools import count

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.core.periodic import periodic_run
from podium.events.models import Event, Participation, Role
from podium.events.schedule import offset_label, offsets_format, offsets_parse
from podium.mail.models import Message
from podium.registrations import services as registration_services
from podium.registrations.models import Registration
from podium.reminders import selectors, services
from podium.reminders.services import reminders_sweep

S = Registration.Status
DAY, HOUR = 1440, 60


@pytest.fixture
def event(db, make_event, organisation):
    """Starts at 15:00 in Islamabad five days from now, with the default schedule (1 day, 1 hour)."""
    start = (
        (timezone.now() + timedelta(days=5))
        .astimezone(timezone.get_fixed_timezone(300))
        .replace(hour=15, minute=0, second=0, microsecond=0)
    )
    return make_event(
        starts_at=start, ends_at=start + timedelta(hours=2), capacity=3, join_url="https://meet.jit.si/NIPS-test"
    )


def register(event, n):
    return registration_services.registration_submit(
        event=event, name=f"Guest {n}", email=f"guest{n}@example.org", segment="scholar"
    ).registration


def before(event, minutes):
    return event.starts_at - timedelta(minutes=minutes)


def reminders(**filters):
    return Message.objects.filter(kind="event_reminder", **filters)


def offsets_sent(registration):
    keys = reminders(registration=registration).values_list("dedupe_key", flat=True)
    return sorted((int(key.split(":")[3]) for key in keys), reverse=True)


# The schedule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 day, 1 hour", [1440, 60]),
        ("1440, 60", [1440, 60]),
        ("1h, 1d, 30m", [1440, 60, 30]),
        ("2 days 6 hours; 90 minutes before", [3240, 90]),
        ("1h30m", [90]),
        ("", []),
    ],
)
def test_schedule_is_read_as_people_write_it(text, minutes):
    assert offsets_parse(text) == minutes
    assert offsets_parse(offsets_format(minutes)) == minutes  # what the form shows reads back the same


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tomorrow", "“tomorrow” is not a time before the start"),
        ("1 day, 24 hours", "“24 hours” is the same time as “1 day”"),
        ("0", "not before the start"),
        ("1.5 hours", "not a time before the start"),
        ("31 days", "at most 30 days"),
    ],
)
def test_schedule_mistakes_are_explained(text, message):
    with pytest.raises(ValidationError, match=message):
        offsets_parse(text)


def test_offset_labels():
    assert [offset_label(m) for m in (1440, 60, 90, 30, 2880 + 120)] == [
        "1 day",
        "1 hour",
        "90 minutes",
        "30 minutes",
        "2 days 2 hours",
    ]


def test_model_refuses_bad_schedules(event):
    for bad in ([60, 60], [0], [-5], ["60"], [True], 60):
        event.reminder_offsets = bad
        with pytest.raises(ValidationError):
            event.full_clean()
    event.reminder_offsets = []
    event.full_clean()


# What is due when ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes_before", "due"),
    [
        (DAY + 1, None),
        (DAY, DAY),
        (HOUR + 1, DAY),
        (HOUR, HOUR),
        (1, HOUR),
        (0, None),  # started: nothing more goes out
        (-30, None),
    ],
)
def test_the_latest_passed_reminder_is_due(event, minutes_before, due):
    assert selectors.reminder_due(event=event, now=before(event, minutes_before)) == due


def test_nothing_is_due_for_drafts_or_ended_events(event):
    for status in (Event.Status.DRAFT, Event.Status.ENDED):
        event.status = status
        assert selectors.reminder_due(event=event, now=before(event, 30)) is None


def test_each_confirmed_registrant_gets_each_reminder_once(event):
    confirmed = [register(event, n) for n in range(3)]
    waitlisted = register(event, 3)
    cancelled = register(event, 4)  # waitlisted, then cancels
    registration_services.registration_cancel(registration=cancelled)
    assert reminders_sweep(now=before(event, DAY + 5)) == 0  # too early

    assert reminders_sweep(now=before(event, DAY - 1)) == 3
    assert reminders_sweep(now=before(event, DAY - 2)) == 0  # the next round: nothing new
    assert reminders_sweep(now=before(event, 2 * HOUR)) == 0
    assert reminders_sweep(now=before(event, HOUR - 1)) == 3
    assert reminders_sweep(now=before(event, 10)) == 0
    assert reminders_sweep(now=event.starts_at + timedelta(minutes=1)) == 0

    assert [offsets_sent(r) for r in confirmed] == [[DAY, HOUR]] * 3
    assert not reminders(registration__in=[waitlisted, cancelled]).exists()


def test_a_worker_that_was_down_sends_only_the_latest_reminder(event):
    registration = register(event, 1)
    assert reminders_sweep(now=before(event, 30)) == 1
    assert offsets_sent(registration) == [HOUR]


def test_someone_confirmed_two_hours_before_gets_the_hour_reminder_not_a_stale_day_one(event):
    early = register(event, 1)
    reminders_sweep(now=before(event, DAY))
    late = Registration.objects.create(  # confirmed 2 hours before the start
        event=event,
        name="Late",
        email="late@example.org",
        segment="other",
        status=S.CONFIRMED,
        status_changed_at=before(event, 2 * HOUR),
    )
    assert reminders_sweep(now=before(event, 2 * HOUR) + timedelta(seconds=30)) == 0
    assert reminders_sweep(now=before(event, HOUR)) == 2
    assert offsets_sent(late) == [HOUR]
    assert offsets_sent(early) == [DAY, HOUR]


def test_someone_confirmed_after_the_last_reminder_still_gets_their_link(event):
    Registration.objects.create(
        event=event,
        name="Very late",
        email="verylate@example.org",
        segment="other",
        status=S.CONFIRMED,
        status_changed_at=before(event, 20),
    )
    assert reminders_sweep(now=before(event, 19)) == 1
    assert reminders(to_email="verylate@example.org").get().dedupe_key.split(":")[3] == str(HOUR)


def test_promoted_from_the_waiting_list_is_reminded(event):
    confirmed = [register(event, n) for n in range(3)]
    waiting = register(event, 3)
    reminders_sweep(now=before(event, DAY))
    registration_services.registration_cancel(registration=confirmed[0])  # the seat goes to `waiting`
    reminders_sweep(now=before(event, HOUR))
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    assert offsets_sent(waiting) == [HOUR]
    assert offsets_sent(confirmed[0]) == [DAY]


def test_registering_again_after_cancelling_brings_a_reminder_with_the_new_link(event, deliver):
    registration = register(event, 1)
    reminders_sweep(now=before(event, HOUR))
    old_token = registration.token
    registration_services.registration_cancel(registration=registration)
    registration = register(event, 1)  # back, with a new personal link
    assert registration.token != old_token
    assert reminders_sweep(now=before(event, 30)) == 1
    latest = reminders(registration=registration).order_by("-pk").first()
    assert registration.token in latest.body_text and old_token not in latest.body_text


def test_schedule_edited_by_staff_is_followed(event):
    register(event, 1)
    event.reminder_offsets = [3 * DAY, 120]
    event.save()
    assert reminders_sweep(now=before(event, 3 * DAY)) == 1
    assert reminders_sweep(now=before(event, DAY)) == 0  # no longer in the schedule
    assert reminders_sweep(now=before(event, 120)) == 1
    event.reminder_offsets = []
    event.save()
    assert reminders_sweep(now=before(event, 10)) == 0


@pytest.mark.django_db(transaction=True)  # the periodic runner recycles connections, as in the worker
def test_reminders_are_a_periodic_job_of_the_worker(event):
    assert "podium.reminders.services.reminders_sweep" in settings.PODIUM_PERIODIC_JOBS
    register(event, 1)
    Event.objects.filter(pk=event.pk).update(  # due now, by the real clock
        starts_at=timezone.now() + timedelta(minutes=30), ends_at=timezone.now() + timedelta(hours=2)
    )
    results = periodic_run()
    assert results["podium.reminders.services.reminders_sweep"] == 1
    assert reminders().count() == 1


# The email --------------------------------------------------------------------------------


def test_reminder_has_personal_join_link_manage_link_time_and_calendar(event, deliver):
    registration = register(event, 1)
    mail_before = len(deliver())
    reminders_sweep(now=before(event, HOUR))
    sent = deliver()[mail_before:]
    assert len(sent) == 1
    email = sent[0]
    assert email.to == ["Guest 1 <guest1@example.org>"]
    assert email.subject.startswith(f"Reminder: {event.title}")
    join = f"http://testserver/j/{registration.token}/"
    html = email.alternatives[0][0]
    assert join in email.body and join in html
    assert f"http://testserver/r/{registration.manage_token}/" in email.body
    assert "15:00–17:00 PKT (UTC+05:00)" in email.body
    assert "opens at 14:45 PKT (UTC+05:00)" in email.body
    ((name, content, mimetype),) = email.attachments
    assert name == f"{event.slug}.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content and "DTSTART;TZID=Asia/Karachi" in content
    assert registration.token in content.replace("\r\n ", "")  # the personal join link, unfolded


def test_in_person_events_send_no_join_link(event, deliver):
    event.format, event.location = Event.Format.IN_PERSON, "NIPS Conference Room"
    event.save()
    registration = register(event, 1)
    reminders_sweep(now=before(event, HOUR))
    message = reminders(registration=registration).get()
    assert "/j/" not in message.body_text and "NIPS Conference Room" in message.body_text


# Speakers' briefings ----------------------------------------------------------------------------


def test_briefing_gives_the_speaker_their_own_time_and_the_technical_check(event, add_speaker, deliver):
    kozin = add_speaker(
        event,
        Role.MAIN_SPEAKER,
        honorific="Dr.",
        given_names="Vladimir",
        family_name="Kozin",
        time_zone="Europe/Moscow",
        email="kozin@example.org",
    )
    Participation.objects.filter(pk=kozin.pk).update(
        talk_title="Russia and South Asia",
        starts_at=event.starts_at + timedelta(minutes=10),
        ends_at=event.starts_at + timedelta(minutes=40),
        briefing_note="Please share slides by noon.",
    )
    reminders_sweep(now=before(event, DAY))
    (email,) = [m for m in deliver() if m.to[0].endswith("<kozin@example.org>")]
    body = email.body
    assert email.subject.endswith("13:00 MSK (UTC+03:00)")  # 15:00 in Islamabad is 13:00 in Moscow
    assert "Dear Dr. Kozin," in body
    assert "13:00–15:00 MSK (UTC+03:00) (your time, Europe/Moscow)" in body
    assert "15:00–17:00 PKT (UTC+05:00) (the event's time, Asia/Karachi)" in body
    assert "Your role: Main speaker" in body and "“Russia and South Asia”" in body
    assert "Your slot: 13:10–13:40 MSK (UTC+03:00) (15:10 PKT (UTC+05:00))" in body
    assert "Technical check: 12:30 MSK (UTC+03:00) (14:30 PKT (UTC+05:00)), 30 minutes before the start" in body
    assert f"http://testserver/j/s/{kozin.token}/" in body
    assert f"http://testserver/speak/{kozin.token}/" in body
    assert "Please share slides by noon." in body
    assert email.attachments and email.attachments[0][2].startswith("text/calendar")


def test_briefings_go_at_each_reminder_time_to_speakers_who_have_not_declined(event, add_speaker):
    on = add_speaker(event, email="on@example.org")
    invited = add_speaker(event, email="invited@example.org")
    declined = add_speaker(event, email="declined@example.org")
    no_email = add_speaker(event)
    Participation.objects.filter(pk=invited.pk).update(confirmation=Participation.Confirmation.INVITED)
    Participation.objects.filter(pk=declined.pk).update(confirmation=Participation.Confirmation.DECLINED)
    for minutes in (DAY, DAY - 1, HOUR, HOUR - 1):
        reminders_sweep(now=before(event, minutes))
    keys = sorted(Message.objects.filter(kind="speaker_briefing").values_list("dedupe_key", flat=True))
    start = int(event.starts_at.timestamp())
    assert keys == sorted(f"briefing:{event.pk}:{start}:{o}:{p.pk}" for o in (DAY, HOUR) for p in (on, invited))
    assert no_email.person.email == ""


# Exactly once, whatever the workers do ----------------------------------------------------------

_speakers = count(1)


def _populate(event, n, add_speaker):
    event.capacity = None
    event.save()
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                name=f"R{i}",
                email=f"r{i}@example.org",
                segment="other",
                status=S.CONFIRMED,
                status_changed_at=before(event, 3 * DAY),
            )
            for i in range(n)
        ]
    )
    add_speaker(event, email=f"speaker{next(_speakers)}@example.org")
    return n + 1


def _assert_exactly_once(event, expected):
    rows = list(
        Message.objects.filter(event=event, kind__in=["event_reminder", "speaker_briefing"]).values_list(
            "to_email", "dedupe_key"
        )
    )
    assert len(rows) == expected
    assert len({email for email, _ in rows}) == expected  # one each, nobody twice


def _sweep_in_threads(now, threads_count=4):
    barrier, counts, errors = threading.Barrier(threads_count), [], []

    def sweep():
        try:
            barrier.wait(timeout=30)
            counts.append(reminders_sweep(now=now))
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return sum(counts)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_in_threads_queue_each_reminder_once(event, add_speaker):
    expected = _populate(event, 60, add_speaker)
    assert _sweep_in_threads(before(event, HOUR)) == expected
    _assert_exactly_once(event, expected)


@pytest.mark.django_db(transaction=True)
def test_without_dedupe_keys_concurrent_sweeps_would_double_send(event, add_speaker, monkeypatch):
    """Proves the test above can fail: with a fresh key each time, every sweep sends everything again."""
    import uuid

    expected = _populate(event, 20, add_speaker)
    monkeypatch.setattr(selectors, "reminder_key", lambda **kwargs: f"reminder:{uuid.uuid4()}")
    monkeypatch.setattr(selectors, "briefing_key", lambda **kwargs: f"briefing:{uuid.uuid4()}")
    assert _sweep_in_threads(before(event, HOUR)) == 4 * expected


@pytest.mark.django_db(transaction=True)
def test_sweeps_in_separate_worker_processes_queue_each_reminder_once(event, add_speaker):
    """Two `podium` processes sweep at once, then a third (a restarted worker) finds nothing left."""
    expected = _populate(event, 40, add_speaker)
    now = before(event, HOUR)
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings_dict['NAME']}"
    else:
        url = (
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    env = {**os.environ, "PODIUM_DATABASE_URL": url}
    code = (
        "import django, datetime; django.setup(); "
        "from podium.reminders.services import reminders_sweep; "
        f"print(reminders_sweep(now=datetime.datetime.fromisoformat('{now.isoformat()}')))"
    )

    def start():
        return subprocess.Popen(
            [sys.executable, "-c", code],
            env={**env, "DJANGO_SETTINGS_MODULE": "podium.settings"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    workers = [start(), start()]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs
    assert sum(int(out.strip().splitlines()[-1]) for out, _ in outputs) == expected
    restarted = start()
    out, err = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, err
    assert out.strip().splitlines()[-1] == "0"
    _assert_exactly_once(event, expected)


def test_a_sweep_that_dies_half_way_is_completed_by_the_next_without_repeats(event, add_speaker, monkeypatch):
    expected = _populate(event, 30, add_speaker)
    monkeypatch.setattr(services, "CHUNK", 10)
    real_queue, calls = services.message_queue, []

    def dying_queue(**kwargs):
        calls.append(1)
        if len(calls) == 25:
            raise RuntimeError("worker killed")
        return real_queue(**kwargs)

    monkeypatch.setattr(services, "message_queue", dying_queue)
    with pytest.raises(RuntimeError):
        reminders_sweep(now=before(event, HOUR))
    assert reminders().count() == 20  # two chunks committed, the third rolled back
    monkeypatch.setattr(services, "message_queue", real_queue)
    assert reminders_sweep(now=before(event, HOUR)) == expected - 20
    _assert_exactly_once(event, expected)


def test_who_already_got_it_is_one_query_however_many_registrants(event, make_event, add_speaker):
    def repeat_sweep_queries(target):
        reminders_sweep(now=before(target, HOUR))
        with CaptureQueriesContext(connection) as ctx:
            assert reminders_sweep(now=before(target, HOUR)) == 0
        return len(ctx)

    # a week later: each measured sweep sees only its own event's reminders due
    small = make_event(starts_at=event.starts_at + timedelta(days=7), ends_at=event.ends_at + timedelta(days=7))
    _populate(small, 3, add_speaker)
    few = repeat_sweep_queries(small)
    Message.objects.all().delete()
    _populate(event, 300, add_speaker)
    assert repeat_sweep_queries(event) == few


def test_queueing_costs_the_same_few_queries_per_registrant(event, add_speaker):
    def queries_for(n):
        Message.objects.all().delete()
        Registration.objects.all().delete()
        Participation.objects.all().delete()
        _populate(event, n, add_speaker)
        with CaptureQueriesContext(connection) as ctx:
            reminders_sweep(now=before(event, HOUR))
        return len(ctx)

    queries_for(1)  # warm the per-process organisation cache
    ten, fifty = queries_for(10), queries_for(50)
    per_registrant = (fifty - ten) / 40
    assert per_registrant == int(per_registrant) and per_registrant <= 3  # savepoint, insert, release


# Staff page -------------------------------------------------------------------------------------


def staff_user(*codenames):
    user = get_user_model().objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_staff_page_shows_schedule_with_due_times_and_status(admin_client, event, add_speaker):
    start = (timezone.now() + timedelta(hours=5)).replace(second=0, microsecond=0)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2), reminder_offsets=[3 * DAY, DAY, 120]
    )
    event.refresh_from_db()
    Registration.objects.create(
        event=event,
        name="Early",
        email="early@example.org",
        segment="other",
        status=S.CONFIRMED,
        status_changed_at=before(event, 4 * DAY),
    )
    speaker = add_speaker(event, email="s@example.org")
    reminders_sweep(now=before(event, 3 * DAY))  # the 3-day round went out; the 1-day one is due now
    html = admin_client.get(reverse("reminders:event", args=[event.pk])).content.decode()
    assert "3 days" in html and "1 day" in html and "2 hours" in html
    assert "Sent</span> to 1 registrant and 1 speaker" in html
    assert "Due</span> goes out" in html
    assert "Upcoming" in html  # 2 hours before
    due = (event.starts_at - timedelta(minutes=120)).astimezone(event.zone)
    assert f"{due:%H:%M}" in html and "PKT (UTC+05:00)" in html
    assert speaker.person.styled_name in html and "3 days before ·" in html


def test_a_postponed_event_is_reminded_again_with_its_new_time(event, deliver):
    register(event, 1)
    assert reminders_sweep(now=before(event, DAY)) == 1
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at + timedelta(days=2), ends_at=event.ends_at + timedelta(days=2)
    )
    event.refresh_from_db()
    assert reminders_sweep(now=before(event, DAY)) == 1
    assert reminders_sweep(now=before(event, DAY) + timedelta(minutes=1)) == 0
    latest = reminders().order_by("-pk").first()
    assert f"{event.starts_at.astimezone(event.zone):%A %-d %B %Y}" in latest.body_text


def test_staff_edit_the_schedule_with_messages_beside_the_field(admin_client, event):
    url = reverse("reminders:save", args=[event.pk])
    data = {
        "join_url": "https://meet.jit.si/NIPS-new",
        "join_opens_minutes": "10",
        "tech_check_minutes": "45",
        "reminder_offsets": "1 day, 24 hours",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "“24 hours” is the same time as “1 day”" in html
    assert 'aria-invalid="true"' in html
    event.refresh_from_db()
    assert event.reminder_offsets == [DAY, HOUR] and event.join_url == "https://meet.jit.si/NIPS-test"

    response = admin_client.post(url, {**data, "join_url": "ftp://example.org/room", "reminder_offsets": "1d"})
    assert response.status_code == 400 and "starting with https://" in response.content.decode()

    response = admin_client.post(url, {**data, "reminder_offsets": "2h, 1d, 30m"}, follow=True)
    assert "are saved" in response.content.decode()
    event.refresh_from_db()
    assert event.reminder_offsets == [DAY, 120, 30]
    assert (event.join_url, event.join_opens_minutes, event.tech_check_minutes) == (
        "https://meet.jit.si/NIPS-new",
        10,
        45,
    )
    assert 'value="1 day, 2 hours, 30 minutes"' in response.content.decode()


def test_staff_without_change_permission_see_but_cannot_edit(client, event):
    client.force_login(staff_user("view_event"))
    page = client.get(reverse("reminders:event", args=[event.pk]))
    assert page.status_code == 200 and "Reminders" in page.content.decode()
    assert reverse("reminders:save", args=[event.pk]) not in page.content.decode()
    response = client.post(
        reverse("reminders:save", args=[event.pk]),
        {"join_url": "", "join_opens_minutes": "15", "tech_check_minutes": "30", "reminder_offsets": ""},
    )
    assert response.status_code == 403  # signed in without the permission: refused, not sent to sign in
    event.refresh_from_db()
    assert event.reminder_offsets == [DAY, HOUR]
    client.logout()
    assert client.get(reverse("reminders:event", args=[event.pk])).status_code == 302


def test_staff_reminders_page_queries_do_not_grow(admin_client, event, add_speaker):
    url = reverse("reminders:event", args=[event.pk])
    register(event, 1)
    add_speaker(event, email="one@example.org")
    reminders_sweep(now=before(event, DAY))
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    _populate(event, 200, add_speaker)
    for n in range(10):
        add_speaker(event, email=f"panel{n}@example.org", designations=[("Fellow", "NIPS", True)])
    reminders_sweep(now=before(event, HOUR))
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_dashboard_leads_to_speakers_and_reminders(admin_client, event):
    # The dashboard links to the event's overview, whose tab bar has both pages.
    assert reverse("staff:event", args=[event.pk]) in admin_client.get(reverse("staff:dashboard")).content.decode()
    html = admin_client.get(reverse("staff:event", args=[event.pk])).content.decode()
    assert reverse("reminders:event", args=[event.pk]) in html
    assert reverse("reminders:speakers", args=[event.pk]) in html


def test_admin_edits_the_schedule_as_text(admin_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    page = admin_client.get(url)
    assert 'value="1 day, 1 hour"' in page.content.decode()
    form = page.context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    start = event.starts_at.astimezone(event.zone)
    data.update(
        {
            "starts_at_0": f"{start:%Y-%m-%d}",
            "starts_at_1": "15:00:00",
            "ends_at_0": f"{start:%Y-%m-%d}",
            "ends_at_1": "17:00:00",
            "reminder_offsets": "1d, 24h",
            "join_url": "meet.jit.si/NIPS-admin",
        }
    )
    for prefix in ("participations", "questions", "attachments"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "“24h” is the same time as “1d”" in refused.content.decode()
    assert admin_client.post(url, {**data, "reminder_offsets": "2d, 3h"}).status_code == 302
    event.refresh_from_db()
    assert event.reminder_offsets == [2 * DAY, 3 * HOUR]
    assert event.join_url == "https://meet.jit.si/NIPS-admin"  # the scheme people leave out
