"""The live page of an attendee, its stream, the attendee's actions, and the moderator console.

Attendee actions and moderator actions are plain POSTs with CSRF; the page's script sends them with
fetch and the answer comes back through the stream, so every open page updates the same way.
Without script, the forms post and the page reloads. Their input is read through podium.live.forms;
whatever is refused (by a form or a service) is an ApplicationError, answered by `error_reply`.
"""

import functools
import logging
import typing
import uuid
from typing import NamedTuple

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from podium.core.errors import ApplicationError, error_reply, wants_json
from podium.core.http import link_invalid
from podium.core.http import private_page as _private
from podium.core.middleware import policies_with_video
from podium.core.permissions import staff_permission
from podium.core.ratelimit import rate_limited
from podium.events.models import Event, Participation
from podium.events.selectors import participation_get_by_token
from podium.live import admission, forms, selectors, services, streams
from podium.live.admission import LiveRefused
from podium.live.event_types import QuestionForAttendees
from podium.live.forms import valid_data
from podium.live.models import LiveSession, Poll, Question
from podium.registrations.models import Registration
from podium.registrations.services import registration_joined
from podium.video.selectors import video_available, video_embed_get
from podium.video.services import VideoUnavailable, video_join

logger = logging.getLogger("podium.live")

# What the page's script copies for a question that arrives through the stream.
TEMPLATE_QUESTION = QuestionForAttendees(
    id=0, text="", status=Question.Status.APPROVED.value, pinned=False, upvotes=0, asker="", to=""
)


class QuestionButton(NamedTuple):
    action: str
    label: str
    style: str = "button-secondary"
    edits: bool = False  # a text box rather than a button


QUESTION_BUTTONS = [
    QuestionButton("approve", "Approve", style=""),
    QuestionButton("pin", "Answer now"),
    QuestionButton("answered", "Answered"),
    QuestionButton("edit", "Edit", edits=True),
    QuestionButton("dismiss", "Dismiss", style="button-danger"),
]


class Filter(NamedTuple):
    value: str  # the page's script matches it with the questions' status
    label: str
    name: str  # what a screen reader says: "Open" alone would read like the poll's "Open the poll"
    pressed: bool = False


FILTERS = [
    Filter("open", "Open", "Show open questions", pressed=True),
    Filter("pending", "Waiting", "Show questions waiting for approval"),
    Filter("approved", "Approved", "Show approved questions"),
    Filter("answered", "Answered", "Show answered questions"),
    Filter("dismissed", "Dismissed", "Show dismissed questions"),
    Filter("all", "All", "Show all questions"),
]


# The join links -------------------------------------------------------------------------------------------

JOIN_PAGE_STATUS = {
    admission.JoinOutcome.NO_ROOM: 200,
    admission.JoinOutcome.EARLY: 200,
    admission.JoinOutcome.ENDED: 410,
    admission.JoinOutcome.REFUSED: 403,
}


def _join_page(request, decision: admission.JoinDecision, **context) -> HttpResponse:
    """Why this link does not open the event now: too early, over, or not (or no longer) admitted."""
    return _private(
        render(
            request,
            "live/join.html",
            {"decision": decision, "event": decision.event, **context},
            status=JOIN_PAGE_STATUS[decision.outcome],
        )
    )


def _refused(request, error: LiveRefused) -> HttpResponse:
    return _join_page(request, error.decision)


@never_cache
@require_GET
def join(request, token: str):
    """A registrant's personal join link: onto the live page when the event is open, otherwise a page saying why not."""
    registration = admission.registration_get_by_join_token(token=token)
    if registration is None:
        return link_invalid(request)
    now = timezone.now()
    decision = admission.join_decide(event=registration.event, registration=registration, now=now)
    if decision.admits:
        # Into the live page: the video, the agenda, questions and polls in one place.
        registration_joined(registration=registration, now=now)
        return _private(redirect("live:page", token=registration.token))
    return _join_page(request, decision, registration=registration)


@never_cache
@require_GET
def speaker_join(request, token: str):
    """A speaker's join link: opens from the technical check."""
    participation = participation_get_by_token(token=token)
    if participation is None:
        return link_invalid(request)
    decision = admission.join_decide(event=participation.event, participation=participation, now=timezone.now())
    if decision.admits:
        # The speaker's live page: their green room from the technical check, with the video button.
        return _private(redirect("live:speaker_page", token=participation.token))
    return _join_page(request, decision, participation=participation)


def _attendee(request, token: str, **kwargs) -> str:
    return f"token:{token}"


def live_link(*, speaker: bool = False, json: bool = False):
    """A GET reached by a personal live link. The view gets the registration (for speakers, the
    participation) the join rules admit now; a refusal gets the join page, or a 403 in JSON for the
    page's script; an unknown token, a 404."""
    admit = admission.speaker_admitted if speaker else admission.attendee_admitted

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, token: str):
            try:
                holder = admit(token=token)
            except LiveRefused as error:
                return JsonResponse({"error": admission.REFUSED}, status=403) if json else _refused(request, error)
            if holder is None:
                raise Http404("No such link")
            return view(request, token, holder)

        return never_cache(require_GET(wrapped))

    return decorate


def _video_person(holder: Registration | Participation) -> dict:
    """Who enters the video room, as the engine names them; speakers enter as moderators."""
    if isinstance(holder, Participation):
        person = holder.person
        return {
            "display_name": person.styled_name,
            "email": person.email,
            "user_id": f"speaker-{holder.pk}",
            "moderator": True,
        }
    return {"display_name": holder.name, "email": holder.email, "user_id": str(holder.pk), "moderator": False}


# Attendees --------------------------------------------------------------------------------------------


def _page(
    request,
    event: Event,
    token: str,
    *,
    speaker: Participation | None = None,
    registration: Registration | None = None,
) -> HttpResponse:
    names = (
        ("live:speaker_stream", "live:speaker_video", "live:speaker_video_json")
        if speaker
        else ("live:stream", "live:video", "live:video_json")
    )
    embed = video_embed_get(event=event)
    response = _private(
        render(
            request,
            "live/page.html",
            {
                "event": event,
                "token": token,
                "moderator": False,
                "speaker": speaker,
                "embed": embed,
                "stream_url": reverse(names[0], args=[token]),
                "video_url": reverse(names[1], args=[token]),
                "video_json_url": reverse(names[2], args=[token]),
                "state": selectors.live_page_state(event=event, registration=registration),
                "ask_key": uuid.uuid4().hex,
                "template_question": TEMPLATE_QUESTION,
            },
        )
    )
    if embed is not None:
        for header, value in policies_with_video(embed.origin).items():
            response[header] = value
    return response


@live_link()
def page(request, token: str, registration: Registration):
    return _page(request, registration.event, token, registration=registration)


@live_link(speaker=True)
def speaker_page(request, token: str, participation: Participation):
    """The speaker's live page: questions addressed to them, the agenda, polls; they do not ask."""
    return _page(request, participation.event, token, speaker=participation)


@live_link(speaker=True)
def speaker_video(request, token: str, participation: Participation):
    return _into_video(request, participation, back=reverse("live:speaker_page", args=[token]))


@live_link(speaker=True, json=True)
def speaker_video_json(request, token: str, participation: Participation):
    return _video_json(participation)


def stream_elsewhere(request, token: str):
    """Attendees' and speakers' streams are served before Django by podium.live.streams (see
    podium/asgi.py); this answers only where that endpoint is not in front (a WSGI server)."""
    return HttpResponse(
        "Live updates need the ASGI server (uvicorn podium.asgi:application).", status=503, content_type="text/plain"
    )


def attendee_action(view):
    """An attendee's POST: admitted by their token now, refusals as a message beside the form
    (JSON for the page's script, a flash message and the page again without it)."""

    @functools.wraps(view)
    def wrapped(request, token: str, **kwargs):
        try:
            registration = admission.attendee_admitted(token=token)
        except LiveRefused as error:
            return _refused(request, error)
        if registration is None:
            raise Http404("No such link")
        try:
            return view(request, registration, **kwargs)
        except ApplicationError as error:
            return error_reply(request, error, back=reverse("live:page", args=[token]))

    return wrapped


def _answered(request, registration: Registration, data: dict, message: str = "") -> HttpResponse:
    if wants_json(request):
        return JsonResponse({**data, "message": message})
    if message:
        messages.success(request, message)
    return redirect("live:page", token=registration.token)


LIVE_LIMIT: dict[str, typing.Any] = dict(
    limit_setting="PODIUM_RATE_LIMIT_LIVE", key=_attendee, window_setting="PODIUM_RATE_LIMIT_LIVE_WINDOW"
)


@require_POST
@rate_limited("live-ask", **LIVE_LIMIT)
@attendee_action
def ask(request, registration: Registration):
    data = valid_data(forms.AskForm(request.POST, event=registration.event))
    question, created = services.question_ask(
        registration=registration,
        text=data["text"],
        client_key=data["key"],
        anonymous=data["anonymous"],
        addressed_to=data["to"],
    )
    waiting = question.status == Question.Status.PENDING
    message = (
        "Thank you. Your question will appear once the moderator approves it."
        if waiting
        else "Thank you. Your question is on the board."
    )
    return _answered(
        request,
        registration,
        {
            "id": question.pk,
            "status": question.status,
            "created": created,
            "text": question.text,
            "status_label": question.status_for_asker,
        },
        message,
    )


@require_POST
@rate_limited("live-vote", **LIVE_LIMIT)
@attendee_action
def upvote(request, registration: Registration, pk: int):
    question = get_object_or_404(Question, pk=pk, event=registration.event)
    if valid_data(forms.UpvoteForm(request.POST))["withdraw"]:
        withdrawn = services.question_upvote_withdraw(registration=registration, question=question)
        return _answered(
            request,
            registration,
            {"counted": False, "upvoted": False},
            "Your upvote is withdrawn." if withdrawn else "You had not upvoted this question.",
        )
    counted = services.question_upvote(registration=registration, question=question)
    return _answered(
        request,
        registration,
        {"counted": counted, "upvoted": True},
        "Your upvote is counted." if counted else "You upvoted this question already.",
    )


@require_POST
@rate_limited("live-vote", **LIVE_LIMIT)
@attendee_action
def vote(request, registration: Registration, pk: int):
    poll = get_object_or_404(Poll, pk=pk, event=registration.event)
    option = valid_data(forms.VoteForm(request.POST))["option"]
    counted = services.poll_vote(registration=registration, poll=poll, option=option)
    return _answered(
        request,
        registration,
        {"counted": counted},
        "Thank you for voting." if counted else "Your vote was already counted.",
    )


@live_link()
def video(request, token: str, registration: Registration):
    """Into the video room: the address is made now, on the server, for this person."""
    return _into_video(request, registration, back=reverse("live:page", args=[token]))


@live_link(json=True)
def video_json(request, token: str, registration: Registration):
    """The room, embedded in the live page: this person's own join (a Jitsi token, if the server wants
    one), made now. The page asks for it when the attendee chooses to watch there."""
    return _video_json(registration)


def _video_json(holder: Registration | Participation) -> HttpResponse:
    event = holder.event
    if video_embed_get(event=event) is None:
        return JsonResponse({"error": "This room opens in a new tab."}, status=404)
    try:
        joining = video_join(event=event, **_video_person(holder))
    except VideoUnavailable as error:
        logger.warning("Video room of event %s unavailable: %s", event.pk, error.message)
        return JsonResponse(
            {"error": "The video room cannot be reached just now. Please try again in a minute."}, status=503
        )
    return _private(JsonResponse({"domain": joining.domain, "options": joining.options, "url": joining.url}))


def _into_video(request, holder: Registration | Participation, *, back: str) -> HttpResponse:
    """The engine makes the address now, for this person (a signed BigBlueButton join, a Jitsi token);
    no secret reaches the browser, only this person's own link."""
    event = holder.event
    if not video_available(event=event):
        messages.info(request, "The video room is not open yet. This page will carry on meanwhile.")
        return redirect(back)
    try:
        joining = video_join(event=event, **_video_person(holder))
    except VideoUnavailable as error:
        logger.warning("Video room of event %s unavailable: %s", event.pk, error.message)
        messages.error(
            request,
            "The video room cannot be reached just now. Please try again in a minute; "
            "questions and polls on this page carry on.",
        )
        return redirect(back)
    return _private(redirect(joining.url))


# Streams ---------------------------------------------------------------------------------------------------


def _last_seen(request) -> int:
    return streams.last_seen(request.headers.get("Last-Event-ID") or request.GET.get("last", ""))


# Moderators ---------------------------------------------------------------------------------------------------

MODERATE = "live.change_question"


@never_cache
@staff_permission(MODERATE)
def console(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("series"), pk=pk)
    state = selectors.live_page_state(event=event, moderator=True)
    return render(
        request,
        "live/console.html",
        {
            "event": event,
            "state": state,
            "moderator": True,
            "counts": selectors.live_counts(event=event),
            "qa_modes": LiveSession.QAMode.choices,
            "template_question": TEMPLATE_QUESTION,
            "question_actions": QUESTION_BUTTONS,
            "filters": FILTERS,
        },
    )


def _check_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm(MODERATE)


async def console_stream(request, pk: int):
    user = await request.auser()
    if not await sync_to_async(_check_moderator)(user):
        return HttpResponse("Moderators only.", status=403)
    if not await Event.objects.filter(pk=pk).aexists():
        raise Http404("No such event")
    return StreamingHttpResponse(streams.console_stream(pk, _last_seen(request)), headers=streams.EVENT_STREAM_HEADERS)


@never_cache
@staff_permission(MODERATE)
def counts(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    return JsonResponse(selectors.live_counts(event=event))


def _edit(request: HttpRequest, question: Question) -> Question:
    text = valid_data(forms.QuestionTextForm(request.POST))["text"]
    return services.question_edit(question=question, text=text)


QUESTION_ACTIONS = {
    "approve": lambda request, q: services.question_approve(question=q),
    "dismiss": lambda request, q: services.question_dismiss(question=q),
    "answered": lambda request, q: services.question_answered(question=q),
    "pin": lambda request, q: services.question_pin(question=q, pinned=True),
    "unpin": lambda request, q: services.question_pin(question=q, pinned=False),
    "edit": _edit,
}


def _done(request, event: Event, error: ApplicationError | None = None) -> HttpResponse:
    """The answer to a moderator's action: JSON for the console's script, otherwise the console again."""
    if error is not None:
        return error_reply(request, error, back=reverse("live:console", args=[event.pk]))
    if wants_json(request):
        return JsonResponse({"ok": True})
    return redirect("live:console", pk=event.pk)


@require_POST
@staff_permission(MODERATE)
def question_action(request, pk: int, question_pk: int, action: str):
    event = get_object_or_404(Event, pk=pk)
    question = get_object_or_404(Question, pk=question_pk, event=event)
    if action not in QUESTION_ACTIONS:
        raise Http404("No such action")
    try:
        QUESTION_ACTIONS[action](request, question)
    except ApplicationError as error:
        return _done(request, event, error)
    return _done(request, event)


def _speaker(request: HttpRequest, event: Event) -> None:
    participation = valid_data(forms.SpeakerForm(request.POST, event=event))["participation"]
    services.agenda_set(event=event, participation=participation)


def _mode(request: HttpRequest, event: Event) -> None:
    services.qa_mode_set(event=event, mode=valid_data(forms.QAModeForm(request.POST))["mode"])


def _announce(request: HttpRequest, event: Event) -> None:
    services.announcement_make(event=event, text=valid_data(forms.AnnouncementForm(request.POST))["text"])


def _poll(request: HttpRequest, event: Event) -> None:
    data = valid_data(forms.PollForm(request.POST))
    services.poll_create(event=event, question=data["question"], options=data["options"])


def _poll_control(change):
    def control(request: HttpRequest, event: Event) -> None:
        change(valid_data(forms.PollChoiceForm(request.POST, event=event))["poll"])

    return control


def _end(request: HttpRequest, event: Event) -> None:
    valid_data(forms.EndSessionForm(request.POST))
    services.session_end(event=event)


def _note(request: HttpRequest, event: Event) -> None:
    services.note_add(event=event, author=request.user, text=valid_data(forms.NoteForm(request.POST))["text"])


CONTROLS = {
    "next": lambda request, event: services.agenda_advance(event=event),
    "speaker": _speaker,
    "mode": _mode,
    "announce": _announce,
    "poll": _poll,
    "poll-open": _poll_control(lambda poll: services.poll_open(poll=poll)),
    "poll-close": _poll_control(lambda poll: services.poll_close(poll=poll)),
    "poll-show": _poll_control(lambda poll: services.poll_show_results(poll=poll, shown=True)),
    "poll-hide": _poll_control(lambda poll: services.poll_show_results(poll=poll, shown=False)),
    "note": _note,
    "end": _end,
}


@require_POST
@staff_permission(MODERATE)
def control(request, pk: int, action: str):
    """The session's controls: agenda, Q&A mode, announcements, polls, notes, the end of the session."""
    event = get_object_or_404(Event, pk=pk)
    if action not in CONTROLS:
        raise Http404("No such control")
    try:
        CONTROLS[action](request, event)
    except ApplicationError as error:
        return _done(request, event, error)
    return _done(request, event)
