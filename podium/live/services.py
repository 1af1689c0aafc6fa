"""Writes of the live session. Every change others must see goes through `_emit`: it numbers the
live event under the session's row lock, stores it, and publishes it after commit.

Two audiences: "all" (every attendee's page) and "moderators" (the console). When a payload would
reveal something attendees must not see (who asked, under the Chatham House Rule; a question still
waiting for approval), the service emits a moderators' event and, if at all, a public one without it.
"""

import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from podium.core.errors import ApplicationError
from podium.events.models import Event, Participation
from podium.live.hub import Frame, hub
from podium.live.models import LiveEvent, LiveSession, Note, Poll, PollVote, Presence, Question, StreamServer, Upvote
from podium.registrations.models import Registration

ALL, MODERATORS = LiveEvent.Audience.ALL, LiveEvent.Audience.MODERATORS
QStatus = Question.Status


def frame_encode(*, event_id: int, seq: int, kind: str, audience: str, payload: dict) -> Frame:
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return Frame(event_id, seq, audience, f"id: {seq}\nevent: {kind}\ndata: {data}\n\n".encode())


def live_session_get(*, event: Event) -> LiveSession:
    session, _ = LiveSession.objects.get_or_create(event=event)
    return session


def _emit(event: Event, kind: str, payload: dict, audience: str = ALL) -> LiveEvent:
    """Store a live event with the next number for this event; publish it after commit."""
    with transaction.atomic():
        live_session_get(event=event)
        session = LiveSession.objects.select_for_update().get(event=event)
        session.last_seq += 1
        LiveSession.objects.filter(pk=session.pk).update(last_seq=session.last_seq)
        live_event = LiveEvent.objects.create(
            event=event, seq=session.last_seq, kind=kind, audience=audience, payload=payload
        )
        frame = frame_encode(event_id=event.pk, seq=live_event.seq, kind=kind, audience=audience, payload=payload)
        transaction.on_commit(lambda: hub.publish(frame))
    return live_event


# What a question looks like on each page --------------------------------------------------------------


def question_public(question: Question, event: Event) -> dict:
    """For attendees: no name when the asker chose anonymity or the event is under the Chatham House Rule."""
    hide = question.anonymous or not event.policy.names_askers
    return {
        "id": question.pk,
        "text": question.text,
        "status": question.status,
        "pinned": question.pinned,
        "upvotes": question.upvotes,
        "asker": None if hide else question.asker_name,
        "to": question.addressed_to.person.styled_name if question.addressed_to_id else None,
    }


def question_moderator(question: Question, event: Event) -> dict:
    return {
        **question_public(question, event),
        "asker": question.asker_name,
        "organisation": question.asker_organisation,
        "anonymous": question.anonymous,
        "created_at": question.created_at.isoformat(),
    }


def _question_changed(question: Question, kind: str) -> None:
    event = question.event
    _emit(event, kind, question_moderator(question, event), MODERATORS)
    if question.status != QStatus.PENDING:
        _emit(event, kind, question_public(question, event), ALL)


# Attendees ------------------------------------------------------------------------------------------------


def question_ask(
    *,
    registration: Registration,
    text: str,
    client_key: str,
    anonymous: bool = False,
    addressed_to: Participation | None = None,
) -> tuple[Question, bool]:
    """An attendee's question; (question, created). The same client_key again returns the first one."""
    text = " ".join(text.split()) if text else ""
    if not text:
        raise ApplicationError("Write your question first.", field="text")
    if len(text) > Question.MAX_LENGTH:
        raise ApplicationError(
            f"Please keep your question under {Question.MAX_LENGTH} characters (it has {len(text)}).", field="text"
        )
    client_key = (client_key or "").strip()[:64]
    if not client_key:
        raise ApplicationError("The form was incomplete; please reload the page and ask again.")
    event = registration.event
    if addressed_to is not None and addressed_to.event_id != event.pk:
        raise ApplicationError("Choose a speaker of this event.", field="to")
    session = live_session_get(event=event)
    existing = Question.objects.filter(event=event, client_key=client_key).first()
    if existing is not None:
        return existing, False
    status = QStatus.APPROVED if session.qa_mode == LiveSession.QAMode.OPEN else QStatus.PENDING
    try:
        with transaction.atomic():
            question = Question.objects.create(
                event=event,
                registration=registration,
                asker_name=registration.name,
                asker_organisation=registration.organisation,
                anonymous=anonymous,
                addressed_to=addressed_to,
                text=text,
                status=status,
                client_key=client_key,
            )
            _question_changed(question, "question_submitted" if status == QStatus.PENDING else "question_approved")
    except IntegrityError:  # the same submission raced itself
        return Question.objects.get(event=event, client_key=client_key), False
    return question, True


def question_upvote(*, registration: Registration, question: Question) -> bool:
    """One upvote per attendee per question; False when already counted."""
    question = Question.objects.select_related("event", "addressed_to__person").get(pk=question.pk)
    if question.event_id != registration.event_id or question.status not in (QStatus.APPROVED,):
        raise ApplicationError("You can only upvote questions on the board.")
    try:
        with transaction.atomic():
            Upvote.objects.create(question=question, registration=registration)
            Question.objects.filter(pk=question.pk).update(upvotes=Upvote.objects.filter(question=question).count())
            question.refresh_from_db()
            _question_changed(question, "question_updated")
    except IntegrityError:
        return False
    return True


def poll_vote(*, registration: Registration, poll: Poll, option: int) -> bool:
    """One vote per attendee per poll; False when already counted.

    The poll's row is locked while the vote is counted, as "show results" locks it: whether the
    attendees get the new counts is decided on the poll as it is now, not as it was when the vote
    arrived, so a vote cast while the moderator shows the results reaches every page."""
    try:
        with transaction.atomic():
            poll = Poll.objects.select_for_update(of=("self",)).select_related("event").get(pk=poll.pk)
            if poll.event_id != registration.event_id or poll.status != Poll.Status.OPEN:
                raise ApplicationError("This poll is not open.")
            if not 0 <= option < len(poll.options):
                raise ApplicationError("Choose one of the answers.", field="option")
            PollVote.objects.create(poll=poll, registration=registration, option=option)
            _poll_results(poll)
    except IntegrityError:
        return False
    return True


# Moderators ------------------------------------------------------------------------------------------------


def _set_question(question: Question, kind: str, **changes) -> Question:
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("event", "addressed_to__person")
            .get(pk=question.pk)
        )
        for field, value in changes.items():
            setattr(question, field, value)
        question.save()
        _question_changed(question, kind)
    return question


def question_approve(*, question: Question) -> Question:
    return _set_question(question, "question_approved", status=QStatus.APPROVED)


def question_dismiss(*, question: Question) -> Question:
    return _set_question(question, "question_updated", status=QStatus.DISMISSED, pinned=False)


def question_answered(*, question: Question) -> Question:
    return _set_question(question, "question_updated", status=QStatus.ANSWERED, pinned=False)


def question_edit(*, question: Question, text: str) -> Question:
    text = " ".join(text.split())
    if not text or len(text) > Question.MAX_LENGTH:
        raise ApplicationError(f"A question needs between 1 and {Question.MAX_LENGTH} characters.", field="text")
    return _set_question(question, "question_updated", text=text)


def question_pin(*, question: Question, pinned: bool = True) -> Question:
    """“Now answering”: one pinned question at a time; pinning approves it."""
    with transaction.atomic():
        for other in Question.objects.filter(event_id=question.event_id, pinned=True).exclude(pk=question.pk):
            _set_question(other, "question_updated", pinned=False)
        changes = {"pinned": pinned}
        if pinned and question.status == QStatus.PENDING:
            changes["status"] = QStatus.APPROVED
        question = _set_question(question, "question_updated", **changes)
        LiveSession.objects.filter(event_id=question.event_id).update(now_answering=question if pinned else None)
    return question


def qa_mode_set(*, event: Event, mode: str) -> None:
    if mode not in LiveSession.QAMode.values:
        raise ApplicationError("Unknown Q&A mode.")
    live_session_get(event=event)
    LiveSession.objects.filter(event=event).update(qa_mode=mode)
    _emit(event, "qa_mode", {"mode": mode})


def agenda_set(*, event: Event, participation: Participation | None) -> None:
    """The moderator moves the agenda: this participation is speaking now (None: nobody)."""
    if participation is not None and participation.event_id != event.pk:
        raise ApplicationError("Choose someone on this event's agenda.")
    with transaction.atomic():
        live_session_get(event=event)
        LiveSession.objects.filter(event=event).update(current=participation)
        _emit(
            event,
            "agenda_current",
            {
                "participation": participation.pk if participation else None,
                "name": participation.person.styled_name if participation else None,
                "role": participation.get_role_display() if participation else None,
            },
        )


def agenda_advance(*, event: Event) -> Participation | None:
    """Next on the agenda after the current speaker (the first one at the start)."""
    agenda = list(
        event.participations.exclude(confirmation=Participation.Confirmation.DECLINED)
        .select_related("person")
        .order_by("order", "pk")
    )
    current = live_session_get(event=event).current_id
    ids = [p.pk for p in agenda]
    index = ids.index(current) + 1 if current in ids else 0
    nxt = agenda[index] if index < len(agenda) else None
    agenda_set(event=event, participation=nxt)
    return nxt


def announcement_make(*, event: Event, text: str) -> None:
    text = text.strip()
    if not text or len(text) > 500:
        raise ApplicationError("An announcement needs between 1 and 500 characters.", field="text")
    _emit(event, "announcement", {"text": text, "at": timezone.now().isoformat()})


def poll_create(*, event: Event, question: str, options: list[str]) -> Poll:
    options = [o.strip() for o in options if o.strip()]
    if not question.strip():
        raise ApplicationError("Write the poll's question.", field="question")
    if not 2 <= len(options) <= 8:
        raise ApplicationError("Give between two and eight answers, one per line.", field="options")
    poll = Poll.objects.create(event=event, question=question.strip()[:300], options=[o[:200] for o in options])
    _emit(event, "poll_prepared", _poll_payload(poll, with_results=True), MODERATORS)
    return poll


def _poll_payload(poll: Poll, *, with_results: bool) -> dict:
    payload = {
        "id": poll.pk,
        "question": poll.question,
        "options": poll.options,
        "status": poll.status,
        "results_shown": poll.results_shown,
    }
    if with_results:
        counts = [0] * len(poll.options)
        for option in PollVote.objects.filter(poll=poll).values_list("option", flat=True):
            counts[option] += 1
        payload["counts"] = counts
        payload["total"] = sum(counts)
    return payload


def _poll_results(poll: Poll) -> None:
    _emit(poll.event, "poll_results", _poll_payload(poll, with_results=True), MODERATORS)
    if poll.results_shown:
        _emit(poll.event, "poll_results", _poll_payload(poll, with_results=True), ALL)


def _poll_set(poll: Poll, kind: str, **changes) -> Poll:
    with transaction.atomic():
        poll = Poll.objects.select_for_update(of=("self",)).select_related("event").get(pk=poll.pk)
        for field, value in changes.items():
            setattr(poll, field, value)
        poll.save()
        _emit(poll.event, kind, _poll_payload(poll, with_results=True), MODERATORS)
        _emit(poll.event, kind, _poll_payload(poll, with_results=poll.results_shown), ALL)
    return poll


def poll_open(*, poll: Poll) -> Poll:
    with transaction.atomic():
        for other in Poll.objects.filter(event_id=poll.event_id, status=Poll.Status.OPEN).exclude(pk=poll.pk):
            _poll_set(other, "poll_closed", status=Poll.Status.CLOSED)
        return _poll_set(poll, "poll_opened", status=Poll.Status.OPEN)


def poll_close(*, poll: Poll) -> Poll:
    return _poll_set(poll, "poll_closed", status=Poll.Status.CLOSED)


def poll_show_results(*, poll: Poll, shown: bool = True) -> Poll:
    return _poll_set(poll, "poll_results", results_shown=shown)


def note_add(*, event: Event, author, text: str) -> Note:
    """A rapporteur's note, stamped with the time and whoever is speaking now."""
    text = text.strip()
    if not text:
        raise ApplicationError("Write the note first.", field="text")
    session = live_session_get(event=event)
    note = Note.objects.create(event=event, author=author, speaker_id=session.current_id, text=text[:5000])
    speaker = note.speaker.person.styled_name if note.speaker_id else None
    _emit(
        event,
        "note_added",
        {"id": note.pk, "text": note.text, "speaker": speaker, "at": note.created_at.isoformat()},
        MODERATORS,
    )
    return note


# Attendance -------------------------------------------------------------------------------------------------


def presence_sweep(*, now=None) -> int:
    """Close the attendance of streams whose server process died (a crash leaves them open), as of
    the last time that process said it was alive. Periodic; safe to run twice or in parallel."""
    now = now or timezone.now()
    timeout = timedelta(seconds=StreamServer.TIMEOUT_SECONDS)
    closed = 0
    dead = StreamServer.objects.filter(seen_at__lt=now - timeout)
    for server in dead:
        closed += Presence.objects.filter(server=server.origin, disconnected_at__isnull=True).update(
            disconnected_at=server.seen_at
        )
        server.delete()
    alive = StreamServer.objects.values("origin")
    closed += (
        Presence.objects.filter(disconnected_at__isnull=True, connected_at__lt=now - timeout)
        .exclude(server__in=alive)
        .update(disconnected_at=now)
    )
    return closed
