"""Reads for the staff pages: events with their registration counts, series, the agenda preview, who
hears of publishing, and the event workspace: each event's stage and next actions."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from podium.campaigns.selectors import campaign_count_annotations
from podium.events.models import Event, Participation, Series
from podium.events.selectors import AgendaGroup, agenda_count_annotations, agenda_groups
from podium.live.selectors import live_state_annotations
from podium.registrations.models import Registration
from podium.registrations.selectors import registration_count_annotations
from podium.reports.models import Report
from podium.reports.selectors import report_state_annotations

S = Registration.Status


def series_list_with_counts() -> QuerySet[Series]:
    return (
        Series.objects.select_related("default_organiser")
        .annotate(event_count=Count("events", distinct=True))
        .order_by("name")
    )


def agenda_preview(*, event: Event, participations: list[Participation]) -> list[AgendaGroup]:
    """The public agenda as it will read once everyone planned has accepted: declined people left out."""
    event.agenda = [p for p in participations if not p.is_declined]  # type: ignore[attr-defined]
    return agenda_groups(event=event)


@dataclass(frozen=True)
class Notified:
    """Who hears of publishing or unpublishing an event, for the confirmation page."""

    registrants: int
    speakers_uninvited: int
    reminders: bool


def publish_notified(*, event: Event) -> Notified:
    counts = event.registrations.aggregate(n=Count("pk", filter=Q(status__in=[S.CONFIRMED, S.WAITLISTED, S.PENDING])))
    uninvited = (
        event.participations.on_agenda()
        .filter(invited_at__isnull=True, confirmation=Participation.Confirmation.INVITED)
        .count()
    )
    return Notified(registrants=counts["n"], speakers_uninvited=uninvited, reminders=bool(event.reminder_offsets))


# The event workspace: where each event stands and what to do next -----------------------------


class Stage:
    """The dashboard's sections, in the order they are shown."""

    LIVE = "live"
    UPCOMING = "upcoming"
    ENDED = "ended"
    ARCHIVED = "archived"


STAGE_TITLES = {
    Stage.LIVE: "Live now",
    Stage.UPCOMING: "Upcoming",
    Stage.ENDED: "Ended, press release to do",
    Stage.ARCHIVED: "Archived: press release published",
}


@dataclass(frozen=True)
class NextAction:
    """Something staff should do for an event, said in their words, and the tab where it is done."""

    text: str
    tab: str
    url: str


@dataclass(frozen=True)
class EventRow:
    event: Event
    stage: str
    actions: list[NextAction]


@dataclass(frozen=True)
class DashboardSection:
    stage: str
    title: str
    rows: list[EventRow]


def events_in_progress() -> QuerySet[Event]:
    """Events with everything their next actions are decided from, asked of the apps that know it: one
    query however many events there are."""
    return (
        Event.objects.select_related("series")
        .annotate(
            **registration_count_annotations(),
            **agenda_count_annotations(),
            **campaign_count_annotations(),
            **report_state_annotations(),
            **live_state_annotations(),
        )
        .order_by("-starts_at", "-pk")
    )


def event_in_progress_get(*, pk: int) -> Event | None:
    return events_in_progress().filter(pk=pk).first()


def event_stage(event: Event, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if event.status == Event.Status.REPORT_PUBLISHED:
        return Stage.ARCHIVED
    # A moderator who ends the live session ends the event, whatever the clock or its status say.
    if event.live_ended_at is not None:  # type: ignore[attr-defined]
        return Stage.ENDED
    if event.status == Event.Status.LIVE:
        return Stage.LIVE
    if event.has_ended(now):
        return Stage.ENDED
    if not event.is_draft and event.starts_at <= now:
        return Stage.LIVE  # started by the clock, before anyone opened the console
    return Stage.UPCOMING


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def event_next_actions(event: Event, *, now: datetime | None = None) -> list[NextAction]:
    """What to do next for an event from `events_in_progress`, most pressing first; empty when nothing is
    waiting. The one place the dashboard and the overview page learn it from."""
    stage = event_stage(event, now=now)
    pk = event.pk
    actions: list[NextAction] = []

    def add(text: str, tab: str, name: str, query: str = "") -> None:
        actions.append(NextAction(text=text, tab=tab, url=reverse(name, kwargs={"pk": pk}) + query))

    R = Report.Status
    if stage == Stage.LIVE:
        add("live now: open the console", "live", "live:console")
    if stage in (Stage.LIVE, Stage.UPCOMING) and event.pending_count:  # type: ignore[attr-defined]
        add(
            _plural(event.pending_count, "registration", "registrations") + " to approve",  # type: ignore[attr-defined]
            "registrations",
            "staff:registrations",
            "?status=pending",
        )
    if stage == Stage.UPCOMING:
        if not event.speaker_count:  # type: ignore[attr-defined]
            add("agenda has no speakers", "overview", "staff:agenda")
        if event.uninvited_count:  # type: ignore[attr-defined]
            n = event.uninvited_count  # type: ignore[attr-defined]
            add(_plural(n, "person", "people") + " on the agenda not yet invited", "speakers", "reminders:speakers")
        if event.is_draft:
            add("draft: publish when ready", "overview", "staff:event_publish")
        elif not event.campaigns_sent_count:  # type: ignore[attr-defined]
            drafted = event.campaigns_draft_count  # type: ignore[attr-defined]
            add("invitations drafted, not sent" if drafted else "no invitations sent", "invitations", "campaigns:event")
    elif stage == Stage.ENDED:
        status = event.report_status  # type: ignore[attr-defined]
        if event.is_draft:
            add("never published: duplicate it for a new date", "overview", "staff:event_duplicate")
        elif status is None:
            if not event.has_transcript:  # type: ignore[attr-defined]
                add("no transcript imported", "transcript", "reports:transcript")
            add("press release not drafted", "report", "reports:workspace")
        elif status == R.DRAFT:
            add("press release drafted: submit it for approval", "report", "reports:workspace")
        elif status == R.AWAITING_APPROVAL:
            add("press release awaiting approval", "report", "reports:workspace")
        elif status == R.APPROVED:
            add("press release approved: publish it", "report", "reports:workspace")
    elif stage == Stage.ARCHIVED and event.report_status not in (None, R.PUBLISHED):  # type: ignore[attr-defined]
        add("press release changed since publishing: publish the new version", "report", "reports:workspace")
    return actions


def dashboard_sections(*, now: datetime | None = None) -> list[DashboardSection]:
    """Every event in its section with its next actions; sections with no events are left out."""
    now = now or timezone.now()
    rows: dict[str, list[EventRow]] = {stage: [] for stage in STAGE_TITLES}
    for event in events_in_progress():
        stage = event_stage(event, now=now)
        rows[stage].append(EventRow(event=event, stage=stage, actions=event_next_actions(event, now=now)))
    for stage in (Stage.LIVE, Stage.UPCOMING):  # soonest first; the others stay newest first
        rows[stage].reverse()
    return [DashboardSection(stage=s, title=STAGE_TITLES[s], rows=r) for s, r in rows.items() if r]
