"""Every live event kind is declared (podium.live.event_types), emitted by the real services with exactly
the payload its declaration gives each audience, replayed unchanged by the catch-up, and handled by the
script of every page that can receive it (Zulip's test_events.py is the model)."""

import dataclasses
import json
import re
import types
import typing
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from podium.events.models import Event
from podium.live import event_types, selectors, services, streams
from podium.live.event_types import ALL, KINDS, MODERATORS, LiveMessage
from podium.live.models import LiveEvent, LiveSession
from podium.registrations.models import Registration

TEMPLATES = Path(__file__).resolve().parents[2] / "podium" / "live" / "templates" / "live"


# Checking a payload against its declaration -------------------------------------------------------------


def conforms(value, hint) -> bool:
    """JSON `value` has the declared type `hint` (int, str, bool, None, X | None, list[X]); a bool is not
    an int here, nor an int a bool."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, option) for option in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is list:
        (item,) = typing.get_args(hint)
        return type(value) is list and all(conforms(v, item) for v in value)
    return type(value) is hint


def problems(payload: dict, declared: type) -> list[str]:
    """What keeps a stored payload from being exactly a `declared` payload: keys missing or extra, values
    of the wrong type."""
    hints = typing.get_type_hints(declared)
    names = [field.name for field in dataclasses.fields(declared)]
    found = []
    if missing := set(names) - set(payload):
        found.append(f"missing {sorted(missing)}")
    if extra := set(payload) - set(names):
        found.append(f"extra {sorted(extra)}")
    for name in names:
        if name in payload and not conforms(payload[name], hints[name]):
            found.append(f"{name}={payload[name]!r} is not {hints[name]}")
    return found


def declared_type(row: LiveEvent) -> type:
    """The payload type the stored event is, among those its kind declares for its audience; fails the
    test with what is wrong otherwise."""
    assert row.kind in KINDS, f"{row.kind!r} was emitted but has no declaration in podium.live.event_types"
    allowed = KINDS[row.kind].payloads.get(row.audience)
    assert allowed, f"{row.kind} reached {row.audience!r}, which its declaration does not name"
    reports = {cls: problems(row.payload, cls) for cls in allowed}
    matches = [cls for cls, found in reports.items() if not found]
    assert len(matches) == 1, f"{row.kind} for {row.audience}: {row.payload} -> {reports}"
    return matches[0]


def every_declaration() -> set[tuple[str, str, type]]:
    return {
        (kind, audience, payload)
        for kind, cls in KINDS.items()
        for audience, payloads in cls.payloads.items()
        for payload in payloads
    }


def all_subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct} | all_subclasses(direct)}


# Every kind, through the real services ---------------------------------------------------------------------


def person(event, n, name=None):
    return Registration.objects.create(
        event=event,
        name=name or f"Attendee {n}",
        email=f"a{n}@example.org",
        organisation="Ministry",
        segment="diplomat",
        status=Registration.Status.CONFIRMED,
        status_changed_at=timezone.now(),
    )


@pytest.fixture
def session_played(make_event, add_speaker, admin_user):
    """A live session in which every service that emits has run, with every variant of payload: named and
    anonymous askers, a speaker and nobody speaking, poll results hidden and shown."""
    start = timezone.now() - timedelta(minutes=10)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2), join_url="https://meet.jit.si/x")
    add_speaker(event, role="moderator", family_name="Yaqub")
    speaker = add_speaker(event, role="main_speaker", order=1, family_name="Kozin")
    asker, voter, other = person(event, 1), person(event, 2), person(event, 3)

    services.qa_mode_set(event=event, mode=LiveSession.QAMode.OPEN)
    services.question_ask(registration=asker, text="Open floor?", client_key="1", addressed_to=speaker)
    services.qa_mode_set(event=event, mode=LiveSession.QAMode.PREMODERATED)
    pending, _ = services.question_ask(registration=asker, text="Trade?", client_key="2", anonymous=True)
    services.question_approve(question=pending)
    services.question_upvote(registration=voter, question=pending)
    services.question_upvote_withdraw(registration=voter, question=pending)
    services.question_upvote(registration=voter, question=pending)
    services.question_edit(question=pending, text="Trade routes?")
    services.question_pin(question=pending)
    services.question_answered(question=pending)
    dismissed, _ = services.question_ask(registration=other, text="Off topic", client_key="3")
    services.question_dismiss(question=dismissed)

    services.agenda_advance(event=event)
    services.note_add(event=event, author=admin_user, text="Relations positive")
    services.agenda_set(event=event, participation=None)
    services.note_add(event=event, author=admin_user, text="Between speakers")
    services.announcement_make(event=event, text="Five minutes left")

    poll = services.poll_create(event=event, question="On track?", options=["Yes", "No"])
    services.poll_open(poll=poll)  # attendees: no counts
    services.poll_vote(registration=voter, poll=poll, option=0)  # moderators only: results hidden
    services.poll_show_results(poll=poll)  # attendees: counts
    services.poll_vote(registration=other, poll=poll, option=1)  # attendees too: results shown
    services.poll_close(poll=poll)
    services.poll_open(poll=poll)  # opened again, results still shown
    services.poll_show_results(poll=poll, shown=False)
    second = services.poll_create(event=event, question="Next?", options=["A", "B"])
    services.poll_open(poll=second)  # closes the first
    services.poll_close(poll=second)
    services.poll_open(poll=second)
    services.session_end(event=event)  # closes the open poll, then tells every page
    return event


@pytest.mark.django_db
def test_every_emitted_event_is_exactly_what_its_kind_declares(session_played):
    rows = list(LiveEvent.objects.filter(event=session_played).order_by("seq"))
    seen = {(row.kind, row.audience, declared_type(row)) for row in rows}
    # Every declaration was exercised: a kind (or an audience, or a payload type) added without being
    # emitted here fails, so that this test is extended with it.
    assert seen == every_declaration()
    # Every kind there is, is in the register the catch-up and this test read.
    assert all_subclasses(LiveMessage) == set(KINDS.values())
    # What attendees receive never carries what only moderators may see.
    for row in rows:
        if row.audience == ALL:
            assert "organisation" not in row.payload and "anonymous" not in row.payload
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))


@pytest.mark.django_db
def test_the_catch_up_replays_each_stored_event_as_it_was_emitted(session_played):
    for row in LiveEvent.objects.filter(event=session_played):
        frame = streams.frame_of(session_played.pk, row)
        head, data = frame.data.decode().split("data: ", 1)
        assert head == f"id: {row.seq}\nevent: {row.kind}\n"
        assert json.loads(data) == row.payload
        # the attendees' copy of a kind the moderators have their own payload of reaches attendees only
        own = row.audience == ALL and MODERATORS in KINDS[row.kind].payloads
        assert frame.audience == ("attendees" if own else row.audience)


@pytest.mark.django_db
def test_the_page_state_is_made_of_the_declared_payloads(session_played):
    Event.objects.filter(pk=session_played.pk).update(attribution=Event.Attribution.CHATHAM_HOUSE)
    session_played.refresh_from_db()
    for moderator, question, polls in [
        (False, event_types.QuestionForAttendees, {event_types.PollState, event_types.PollWithResults}),
        (True, event_types.QuestionForModerators, {event_types.PollWithResults}),
    ]:
        state = selectors.live_page_state(event=session_played, moderator=moderator)
        assert state["questions"] and {type(q) for q in state["questions"]} == {question}
        assert state["polls"] and {type(p) for p in state["polls"]} <= polls
        assert {type(a) for a in state["announcements"]} == {event_types.AnnouncementText}
        for payload in state["questions"] + state["polls"] + state["announcements"]:
            assert not problems(json.loads(json.dumps(dataclasses.asdict(payload))), type(payload))
        if not moderator:
            assert {q.asker for q in state["questions"]} == {None}  # Chatham House: nobody named


def test_a_message_refuses_a_payload_its_audience_may_not_receive():
    question = event_types.QuestionForModerators(
        id=1,
        text="Q",
        status="approved",
        pinned=False,
        upvotes=0,
        asker="Named Person",
        to=None,
        organisation="Ministry",
        anonymous=True,
        hidden=True,
        created_at="2026-11-29T10:00:00+00:00",
    )
    assert event_types.QuestionApproved(MODERATORS, question).data()["asker"] == "Named Person"
    with pytest.raises(TypeError):
        event_types.QuestionApproved(ALL, question)  # the asker's name would reach every attendee
    with pytest.raises(TypeError):
        event_types.QuestionSubmitted(ALL, question)  # pending questions are for moderators only


# The page's script handles every kind it can receive ----------------------------------------------------------


def scripts_of(template: str) -> list[str]:
    """The text of each of our scripts that a live template loads."""
    names = re.findall(r"""<script src="\{% static ['"]([^'"]+)['"] %\}""", (TEMPLATES / template).read_text())
    assert names, f"{template} loads no script of ours"
    return [Path(finders.find(name)).read_text() for name in names]


def _object_keys(source: str, start: int) -> set[str]:
    """The keys of the object literal whose `{` is at `start`: top-level `name:` only, skipping strings,
    comments and anything nested (a handler's own body)."""
    keys, depth, i, expect_key = set(), 0, start, False
    while i < len(source):
        c = source[i]
        if c in "\"'`":
            end = i + 1
            while source[end] != c:
                end += 2 if source[end] == "\\" else 1
            i, expect_key = end + 1, False
            continue
        if source.startswith("//", i):
            i = source.index("\n", i)
            continue
        if c in "{[(":
            depth += 1
            expect_key = depth == 1
        elif c in "}])":
            depth -= 1
            if depth == 0:
                return keys
        elif c == "," and depth == 1:
            expect_key = True
        elif expect_key and not c.isspace():
            found = re.match(r"([A-Za-z_$][\w$]*|\"[^\"]+\"|'[^']+')\s*:", source[i:])
            if found:
                keys.add(found[1].strip("\"'"))
                i += found.end()
            expect_key = False
            continue
        i += 1
    raise AssertionError("unterminated object literal")


def handled_kinds(script: str) -> set[str]:
    """The live event kinds a script listens to on its EventSource: `addEventListener("<kind>", ...)`,
    or the keys of a `handlers` table that it registers one by one."""
    # Listeners by name: only the declared kinds count (the same call also listens for "click").
    kinds = set(re.findall(r"""\.addEventListener\(\s*["']([a-z_]+)["']""", script)) & set(KINDS)
    table = re.search(r"\bhandlers\s*=\s*\{", script)
    registered = r"Object\.keys\(handlers\)\.forEach\(function \((\w+)\)[^}]*\.addEventListener\(\1\b"
    if table and re.search(registered, script):
        kinds |= _object_keys(script, table.end() - 1)
    return kinds


@pytest.mark.parametrize(
    "template, audience", [("page.html", ALL), ("console.html", MODERATORS)], ids=["attendees", "console"]
)
def test_the_live_page_script_handles_every_kind_it_can_receive(template, audience):
    handled = set().union(*(handled_kinds(script) for script in scripts_of(template)))
    receivable = event_types.kinds_for(audience)
    assert receivable, audience
    assert not receivable - handled, f"{template}: no handler for {sorted(receivable - handled)}"
    assert not handled - set(KINDS), f"{template}: handlers for kinds never emitted: {sorted(handled - set(KINDS))}"


def test_the_handler_check_sees_a_missing_handler():
    """The check above is real: the same script without one handler fails it."""
    (script,) = scripts_of("page.html")
    assert "announcement" in handled_kinds(script)
    without = re.sub(r"\bannouncement:\s*announce,", "", script)
    assert without != script and "announcement" not in handled_kinds(without)
    assert handled_kinds(script) - handled_kinds(without) == {"announcement"}
