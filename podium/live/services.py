"""Writes of the live session. Every change others must see goes through `_emit`: it numbers the
live event under the session's row lock, stores it, and publishes it after commit; each service
makes its change and emits it in one transaction, so the stored stream never disagrees with the rows.

Two audiences: "all" (every attendee's page) and "moderators" (the console). What each receives is
declared in podium.live.event_types: when a payload would reveal something attendees must not see
(who asked, under the Chatham House Rule; a question still waiting for approval), the service emits a
moderators' event and, if at all, a public one without it.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from podium.core.errors import ApplicationError
from podium.events.models import Event, Participation
from podium.live import event_types as types
from podium.live.event_types import ALL, MODERATORS, LiveMessage
from podium.live.hub import hub
from podium.live.models import LiveEvent, LiveSession, Note, Poll, PollVote, Presence, Question, StreamServer, Upvote
from podium.registrations.models import Registration

QStatus = Question.Status


def _session_locked(event: Event) -> LiveSession:
    """The event's live session, made if need be, locked until the end of the caller's transaction."""
    session, _ = LiveSession.objects.select_for_update().get_or_create(event=event)
    return session


def _emit(event: Event, message: LiveMessage) -> LiveEvent:
    """Store a live event with the next number for this event; publish it after commit."""
    payload = message.data()
    with transaction.atomic():
        session = _session_locked(event)
        session.last_seq += 1
        LiveSession.objects.filter(pk=session.pk).update(last_seq=session.last_seq)
        live_event = LiveEvent.objects.create(
            event=event, seq=session.last_seq, kind=message.kind, audience=message.audience, payload=payload
        )
        frame = types.frame_encode(
            event_id=event.pk, seq=live_event.seq, kind=message.kind, audience=message.audience, payload=payload
        )
        transaction.on_commit(lambda: hub.publish(frame))
    return live_event


ENDED_MESSAGE = "The session has ended: thank you for taking part."


def _refuse_if_ended(event: Event, session: LiveSession | None = None) -> None:
    if session is None:
        session = LiveSession.objects.filter(event=event).first()
    if session is not None and session.has_ended:
        raise ApplicationError(ENDED_MESSAGE, status=409)


def _question_changed(question: Question, kind: type[LiveMessage]) -> None:
    event = question.event
    _emit(event, kind(MODERATORS, types.question_for_moderators(question, event)))
    if question.status != QStatus.PENDING:
        _emit(event, kind(ALL, types.question_for_attendees(question, event)))


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
    existing = Question.objects.filter(event=event, client_key=client_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            # The Q&A mode as it is now, held until the question and its event are stored.
            session = _session_locked(event)
            _refuse_if_ended(event, session)
            status = QStatus.APPROVED if session.qa_mode == LiveSession.QAMode.OPEN else QStatus.PENDING
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
            _question_changed(
                question, types.QuestionSubmitted if status == QStatus.PENDING else types.QuestionApproved
            )
    except IntegrityError:  # the same submission raced itself
        return Question.objects.get(event=event, client_key=client_key), False
    return question, True


def question_upvote(*, registration: Registration, question: Question) -> bool:
    """One upvote per attendee per question, never one's own; False when already counted."""
    question = Question.objects.select_related("event", "addressed_to__person").get(pk=question.pk)
    if question.event_id != registration.event_id or question.status not in (QStatus.APPROVED,):
        raise ApplicationError("You can only upvote questions on the board.")
    if question.registration_id == registration.pk:
        raise ApplicationError("This is your own question: others can upvote it.")
    _refuse_if_ended(question.event)
    try:
        with transaction.atomic():
            Upvote.objects.create(question=question, registration=registration)
            Question.objects.filter(pk=question.pk).update(upvotes=Upvote.objects.filter(question=question).count())
            question.refresh_from_db()
            _question_changed(question, types.QuestionUpdated)
    except IntegrityError:
        return False
    return True


def question_upvote_withdraw(*, registration: Registration, question: Question) -> bool:
    """The attendee takes their upvote back (the button pressed a second time); False when there was none.
    Everyone's count follows through the same question_updated event an upvote sends."""
    question = Question.objects.select_related("event", "addressed_to__person").get(pk=question.pk)
    if question.event_id != registration.event_id:
        raise ApplicationError("You can only upvote questions on the board.")
    _refuse_if_ended(question.event)
    with transaction.atomic():
        deleted, _ = Upvote.objects.filter(question=question, registration=registration).delete()
        if not deleted:
            return False
        Question.objects.filter(pk=question.pk).update(upvotes=Upvote.objects.filter(question=question).count())
        question.refresh_from_db()
        _question_changed(question, types.QuestionUpdated)
    return True


def poll_vote(*, registration: Registration, poll: Poll, option: int) -> bool:
    """One vote per attendee per poll; False when already counted.

    The poll's row is locked while the vote is counted, as "show results" locks it: whether the
    attendees get the new counts is decided on the poll as it is now, not as it was when the vote
    arrived, so a vote cast while the moderator shows the results reaches every page."""
    try:
        with transaction.atomic():
            poll = Poll.objects.select_for_update(of=("self",)).select_related("event").get(pk=poll.pk)
            _refuse_if_ended(poll.event)
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


def _set_question(question: Question, kind: type[LiveMessage], **changes) -> Question:
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
    return _set_question(question, types.QuestionApproved, status=QStatus.APPROVED)


def question_dismiss(*, question: Question) -> Question:
    return _set_question(question, types.QuestionUpdated, status=QStatus.DISMISSED, pinned=False)


def question_answered(*, question: Question) -> Question:
    return _set_question(question, types.QuestionUpdated, status=QStatus.ANSWERED, pinned=False)


def question_edit(*, question: Question, text: str) -> Question:
    text = " ".join(text.split())
    if not text or len(text) > Question.MAX_LENGTH:
        raise ApplicationError(f"A question needs between 1 and {Question.MAX_LENGTH} characters.", field="text")
    return _set_question(question, types.QuestionUpdated, text=text)


def question_pin(*, question: Question, pinned: bool = True) -> Question:
    """“Now answering”: one pinned question at a time; pinning approves it."""
    with transaction.atomic():
        for other in Question.objects.filter(event_id=question.event_id, pinned=True).exclude(pk=question.pk):
            _set_question(other, types.QuestionUpdated, pinned=False)
        changes: dict[str, object] = {"pinned": pinned}
        if pinned and question.status == QStatus.PENDING:
            changes["status"] = QStatus.APPROVED
        question = _set_question(question, types.QuestionUpdated, **changes)
        LiveSession.objects.filter(event_id=question.event_id).update(now_answering=question if pinned else None)
    return question


def qa_mode_set(*, event: Event, mode: str) -> None:
    if mode not in LiveSession.QAMode.values:
        raise ApplicationError("Unknown Q&A mode.", field="mode")
    with transaction.atomic():
        session = _session_locked(event)
        session.qa_mode = mode
        session.save(update_fields=["qa_mode", "updated_at"])
        _emit(event, types.QAModeChanged(ALL, types.QAModeState(mode=mode)))


def agenda_set(*, event: Event, participation: Participation | None) -> None:
    """The moderator moves the agenda: this participation is speaking now (None: nobody)."""
    if participation is not None and participation.event_id != event.pk:
        raise ApplicationError("Choose someone on this event's agenda.", field="participation")
    with transaction.atomic():
        session = _session_locked(event)
        session.current = participation
        session.save(update_fields=["current", "updated_at"])
        _emit(event, types.AgendaCurrent(ALL, types.agenda_position(participation)))


def agenda_advance(*, event: Event) -> Participation | None:
    """Next on the agenda after the current speaker (the first one at the start). The current speaker
    is read under the session's lock, so two clicks at once move the agenda two steps, not one."""
    agenda = list(event.participations.on_agenda().select_related("person").order_by("order", "pk"))
    with transaction.atomic():
        current = _session_locked(event).current_id
        ids = [p.pk for p in agenda]
        index = ids.index(current) + 1 if current in ids else 0
        nxt = agenda[index] if index < len(agenda) else None
        agenda_set(event=event, participation=nxt)
    return nxt


def announcement_make(*, event: Event, text: str) -> None:
    text = text.strip()
    if not text or len(text) > 500:
        raise ApplicationError("An announcement needs between 1 and 500 characters.", field="text")
    _emit(event, types.AnnouncementMade(ALL, types.AnnouncementText(text=text, at=timezone.now().isoformat())))


def poll_create(*, event: Event, question: str, options: list[str]) -> Poll:
    options = [o.strip() for o in options if o.strip()]
    if not question.strip():
        raise ApplicationError("Write the poll's question.", field="question")
    if not Poll.MIN_OPTIONS <= len(options) <= Poll.MAX_OPTIONS:
        raise ApplicationError("Give between two and eight answers, one per line.", field="options")
    with transaction.atomic():
        poll = Poll.objects.create(event=event, question=question.strip()[:300], options=[o[:200] for o in options])
        _emit(event, types.PollPrepared(MODERATORS, types.poll_with_results(poll)))
    return poll


def _poll_results(poll: Poll) -> None:
    results = types.poll_with_results(poll)
    _emit(poll.event, types.PollResults(MODERATORS, results))
    if poll.results_shown:
        _emit(poll.event, types.PollResults(ALL, results))


def _poll_set(poll: Poll, kind: type[LiveMessage], **changes) -> Poll:
    with transaction.atomic():
        poll = Poll.objects.select_for_update(of=("self",)).select_related("event").get(pk=poll.pk)
        for field, value in changes.items():
            setattr(poll, field, value)
        poll.save()
        _emit(poll.event, kind(MODERATORS, types.poll_with_results(poll)))
        _emit(poll.event, kind(ALL, types.poll_for_attendees(poll)))
    return poll


def poll_open(*, poll: Poll) -> Poll:
    with transaction.atomic():
        for other in Poll.objects.filter(event_id=poll.event_id, status=Poll.Status.OPEN).exclude(pk=poll.pk):
            _poll_set(other, types.PollClosed, status=Poll.Status.CLOSED)
        return _poll_set(poll, types.PollOpened, status=Poll.Status.OPEN)


def poll_close(*, poll: Poll) -> Poll:
    return _poll_set(poll, types.PollClosed, status=Poll.Status.CLOSED)


def poll_show_results(*, poll: Poll, shown: bool = True) -> Poll:
    return _poll_set(poll, types.PollResults, results_shown=shown)


def note_add(*, event: Event, author, text: str) -> Note:
    """A rapporteur's note, stamped with the time and whoever is speaking now."""
    text = text.strip()
    if not text:
        raise ApplicationError("Write the note first.", field="text")
    with transaction.atomic():
        session = _session_locked(event)  # the speaker cannot change before the note is stored
        note = Note.objects.create(event=event, author=author, speaker_id=session.current_id, text=text[:5000])
        _emit(event, types.NoteAdded(MODERATORS, types.rapporteur_note(note)))
    return note


def session_end(*, event: Event) -> LiveSession:
    """The moderator ends the session: open polls close, nobody is "now answering", and every page is
    told; from then on attendees can no longer ask, upvote or vote. Ending twice is refused."""
    with transaction.atomic():
        session = _session_locked(event)
        if session.has_ended:
            raise ApplicationError("The session has already ended.", status=409)
        for poll in Poll.objects.filter(event=event, status=Poll.Status.OPEN):
            _poll_set(poll, types.PollClosed, status=Poll.Status.CLOSED)
        for question in Question.objects.filter(event=event, pinned=True):
            _set_question(question, types.QuestionUpdated, pinned=False)
        session.ended_at = timezone.now()
        session.now_answering = None
        session.save(update_fields=["ended_at", "now_answering", "updated_at"])
        _emit(event, types.SessionEnded(ALL, types.SessionEndState(at=session.ended_at.isoformat())))
    return session


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
