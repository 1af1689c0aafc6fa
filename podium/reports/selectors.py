"""Reads for the report workspace: transcripts and their speakers, points per speaker, the press release, versions."""

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from podium.core.selectors import organisation_get
from podium.events.models import Event, Participation, Role
from podium.live.models import Note
from podium.reports import speech
from podium.reports.content import PressRelease
from podium.reports.models import Point, Report, ReportVersion, Transcript, TranscriptSpeaker, paragraphs_of
from podium.reports.suggestions import suggest

# Who is reported on: everyone on the agenda but the rapporteur (who writes) and the host.
REPORTED_ROLES = [Role.MODERATOR, Role.MAIN_SPEAKER, Role.DISCUSSANT, Role.CLOSING_REMARKS]


def agenda_for_report(*, event: Event) -> list[Participation]:
    """The event's speakers in agenda order, with what the composer needs of each person."""
    return list(
        event.participations.on_agenda()
        .filter(role__in=REPORTED_ROLES)
        .select_related("person")
        .prefetch_related("person__designations")
        .order_by("order", "pk")
    )


def points_by_speaker(*, event: Event) -> list[tuple[Participation, list[Point]]]:
    """Each reported speaker in agenda order with their points, speakers without points included."""
    speakers = agenda_for_report(event=event)
    points: dict[int, list[Point]] = {p.pk: [] for p in speakers}
    for point in Point.objects.filter(event=event).order_by("order", "pk"):
        points.setdefault(point.participation_id, []).append(point)
    return [(speaker, points[speaker.pk]) for speaker in speakers]


def points_left_out(*, speakers: Sequence[tuple[Participation, Sequence[Point]]]) -> dict[int, str]:
    """Why the composer would leave a point out (it only manages the session, or nothing is left of it
    once the spoken framing goes), by point id; points it prints are not in the answer."""
    found = {}
    for _participation, points in speakers:
        for point in points:
            finished = speech.finish(point.text)
            if finished.kind == speech.LEFT_OUT:
                found[point.pk] = finished.reason
    return found


def notes_unused(*, event: Event) -> list[Note]:
    """The rapporteur's live notes that are not points yet (a note becomes a point once)."""
    return list(
        Note.objects.filter(event=event)
        .exclude(points__isnull=False)
        .select_related("speaker__person")
        .order_by("created_at", "pk")
    )


def transcript_latest(*, event: Event) -> Transcript | None:
    return (
        Transcript.objects.filter(event=event)
        .annotate(turn_count=Count("turns"))
        .prefetch_related(
            Prefetch(
                "speakers",
                queryset=TranscriptSpeaker.objects.select_related("participation__person").order_by(
                    "-word_count", "pk"
                ),
            )
        )
        .first()
    )


def report_get(*, event: Event) -> Report | None:
    return (
        Report.objects.filter(event=event)
        .select_related("current_version__author", "published_version", "approved_by", "submitted_by", "published_by")
        .first()
    )


def report_state_annotations() -> dict:
    """Per event: the press release's status (None before anyone drafted it) and whether a transcript is in."""
    return {
        "report_status": Subquery(
            Report.objects.filter(event=OuterRef("pk"), current_version__isnull=False).values("status")[:1]
        ),
        "has_transcript": Exists(Transcript.objects.filter(event=OuterRef("pk"))),
    }


def report_versions(*, report: Report) -> QuerySet[ReportVersion]:
    return report.versions.select_related("author").order_by("-number")


def report_version_get(*, report: Report, number: int) -> ReportVersion | None:
    return report.versions.select_related("author").filter(number=number).first()


def version_changes(*, version: ReportVersion) -> tuple[ReportVersion | None, list[tuple[str, str]] | None]:
    """The version before this one and, paragraph by paragraph, what changed since: (“same” |
    “added” | “removed”, text), the headline first. (None, None) for the first version."""
    previous = version.report.versions.filter(number__lt=version.number).order_by("-number").first()
    if previous is None:
        return None, None
    old, new = [previous.headline, *previous.paragraphs], [version.headline, *version.paragraphs]
    rows: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(("same", text) for text in new[j1:j2])
        else:
            rows.extend(("removed", text) for text in old[i1:i2])
            rows.extend(("added", text) for text in new[j1:j2])
    return previous, rows


def press_release_for(*, event: Event, version: ReportVersion, draft: bool) -> PressRelease:
    """The value every export prints: the version's text with the event and the letterhead."""
    report = version.report
    dated = report.published_at if (not draft and report.published_at) else timezone.now()
    return PressRelease(
        headline=version.headline,
        paragraphs=tuple(version.paragraphs),
        event=event,
        organisation=organisation_get(),
        dated=timezone.localtime(dated, event.zone).date(),
        draft=draft,
    )


def press_release_draft(*, event: Event, headline: str, body: str, draft: bool = True) -> PressRelease:
    """Text as the exports would print it today: text not saved yet (marked a draft), or a version about to be
    published (draft=False)."""
    return PressRelease(
        headline=headline,
        paragraphs=tuple(paragraphs_of(body)),
        event=event,
        organisation=organisation_get(),
        dated=timezone.localtime(timezone.now(), event.zone).date(),
        draft=draft,
    )


def publication_reach(*, event: Event) -> list[str]:
    """Where a published press release of this event can be read, as the confirmation before publishing says it.
    The same rules the public pages follow: the event's page for whoever may see the event (an
    invitation-only event's page only for the invited and staff), the feed and the search for listed events."""
    files = "As files to download from that page: web page, Markdown, Word and PDF"
    if event.is_draft:
        return [
            "The event is still a draft: nobody outside the staff sees its page, so nobody sees the press release "
            "until the event is announced. From then on it is public as the event's page is."
        ]
    if event.is_listed:
        return [
            "On the event's public page, for anyone, with the date it was published.",
            f"{files}.",
            "In the press-release feed (Atom) that subscribers and news readers follow.",
            "In the site's search.",
        ]
    if event.has_public_page:
        return [
            "On the event's page, for anyone who has its address (the event is unlisted).",
            f"{files}.",
            "Not in the feed or the search: the event is unlisted.",
        ]
    return [
        "On the event's page, which only staff and people with an invitation can open (the event is by "
        "invitation only).",
        f"{files}, for the same people.",
        "Not in the feed or the search.",
    ]


def withdrawal_reach(*, event: Event) -> list[str]:
    """What disappears from the public site when the published press release is withdrawn, as the confirmation
    before withdrawing says it: the places `publication_reach` names for this event, taken away."""
    files = "The files to download from that page (web page, Markdown, Word and PDF): their addresses stop working"
    if event.is_draft:
        return ["Nothing public: the event is still a draft, so nobody outside the staff has seen the press release."]
    if event.is_listed:
        return [
            "The press release and its date, from the event's public page.",
            f"{files}.",
            "Its entry in the press-release feed (Atom); readers who fetched it already keep their copy.",
            "Its entry in the site's search.",
        ]
    if event.has_public_page:
        return [
            "The press release, from the event's page (the event is unlisted: it was never in the feed or search).",
            f"{files}.",
        ]
    return [
        "The press release, from the event's page that staff and people with an invitation can open.",
        f"{files}.",
    ]


OFFICIAL = re.compile(
    r"\b(?:ambassador|embassy|high commission|consul|minister|ministry|government|foreign office|"
    r"state duma|parliament|senate|president)\b",
    re.I,
)


def host_country(*, event: Event) -> str:
    """The country most of the event's agenda comes from (the institute's own), or empty."""
    countries = Counter(c for c in event.participations.values_list("person__country", flat=True) if c)
    return countries.most_common(1)[0][0] if countries else ""


def voice_of(*, participation: Participation, host: str | None = None) -> speech.Voice:
    """Who a speaker is, for turning their words into reported speech: pronoun, country, organisations,
    and the event's title and abstract as the context that names the countries “we” may mean."""
    person = participation.person
    event = participation.event
    organisations = tuple(d.organisation for d in person.designations.all() if d.organisation)
    return speech.Voice(
        # Under the Chatham House Rule even “he” or “she” narrows who spoke.
        pronoun="they" if event.policy.redacts_names else person.pronoun,
        country=person.country,
        organisations=organisations,
        context=f"{event.title} {event.abstract}",
        gathering=f"the {event.format_noun}",
        moderator=participation.role == Role.MODERATOR,
        # A speaker who represents another country (an ambassador, a ministry): their “we” is that country.
        foreign=bool(person.country)
        and person.country != (host_country(event=event) if host is None else host)
        and any(OFFICIAL.search(f"{d.position} {d.organisation}") for d in person.designations.all()),
    )


def render_spoken(*, participation: Participation, parts: Sequence[str], host: str | None = None) -> speech.Rendering:
    """A spoken passage (one sentence, or one with those that lean on it) as the point it prints."""
    voice = voice_of(participation=participation, host=host)
    rendering = speech.render(parts[0], voice=voice)
    for part in parts[1:]:
        rendering = speech.join(rendering, speech.render(part, voice=voice, alone=False))
    return rendering


@dataclass(frozen=True)
class Suggestion:
    spoken: str
    start: float | None
    printed: speech.Rendering


def transcript_suggestions(*, transcript: Transcript, per_speaker: int = 5) -> dict[int, list[Suggestion]]:
    """Suggested points per participation the transcript's speakers are mapped to, each with the words
    spoken and the sentence it prints, leaving out sentences already made points and those that print
    nothing. Speakers mapped to nobody are not suggested."""
    mapped = {s.pk: s.participation_id for s in transcript.speakers.all()}
    turns: dict[int, list[tuple[str, float | None]]] = {}
    for speaker_id, text, start in transcript.turns.values_list("speaker_id", "text", "start").order_by("pk"):
        # Everyone's words count for how particular a word is; only mapped speakers get suggestions.
        turns.setdefault(mapped.get(speaker_id) or -speaker_id, []).append((text, start))
    event = transcript.event
    agenda = {p.pk: p for p in agenda_for_report(event=event)}
    made = frozenset(
        text for pair in Point.objects.filter(event=event).values_list("spoken", "text") for text in pair if text
    )
    # A moderator's sentence naming another speaker, or calling them by their part, introduces them.
    names = sorted(
        {w for p in agenda.values() for w in (p.person.family_name, p.person.later_mention) if w}
        | {"the Ambassador", "our speaker", "our guest", "Excellency", "our discussant", "our panellists"},
        key=len,
        reverse=True,
    )
    host = host_country(event=event)
    introducers = frozenset(pk for pk, p in agenda.items() if p.role == Role.MODERATOR)
    found = suggest(
        turns_by_speaker=turns,
        per_speaker=per_speaker + 2,  # a few spare, for those that print nothing
        exclude=made,
        introducers=introducers,
        names=names,
    )
    result: dict[int, list[Suggestion]] = {}
    for pk, sentences in found.items():
        if pk not in agenda:
            continue
        rendered = [
            Suggestion(s.text, s.start, render_spoken(participation=agenda[pk], parts=s.parts or (s.text,), host=host))
            for s in sentences
        ]
        result[pk] = [r for r in rendered if r.printed.kind != speech.LEFT_OUT][:per_speaker]
    return result
