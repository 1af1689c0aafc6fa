"""Writes after the event: importing a transcript, confirming who its speakers are, points, and the
press release from its first composed draft through edits, approval and publishing."""

import difflib
import os
import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from podium.core.errors import ApplicationError
from podium.core.selectors import organisation_get
from podium.events.models import Event, Participation
from podium.live.models import Note
from podium.registrations.models import Registration
from podium.reports import composer, matching, selectors, speech
from podium.reports.matching import TITLES
from podium.reports.models import (
    Point,
    Report,
    ReportVersion,
    Transcript,
    TranscriptSpeaker,
    TranscriptTurn,
    paragraphs_of,
)
from podium.reports.suggestions import sentences_of
from podium.reports.transcripts import transcript_read

MAX_POINT = 1500
MAX_HEADLINE = 300
MAX_BODY = 50_000


# Transcripts ------------------------------------------------------------------------------------------------


def transcript_import(*, event: Event, filename: str, data: bytes, user=None) -> Transcript:
    """Read a transcript file whole, store its turns and guess who each speaker label is.
    A file that cannot be read raises ApplicationError naming the line; nothing is stored then."""
    agenda = selectors.agenda_for_report(event=event)
    # A participant's name is a speaker label even when it appears once (a one-off "First:" is not).
    names = [
        form
        for row in agenda
        for form in (row.person.full_name, row.person.styled_name, row.person.later_mention)
        if form
    ]
    turns = transcript_read(data=data, names=names)
    words: dict[str, int] = {}
    for turn in turns:
        words[turn.speaker[:200]] = words.get(turn.speaker[:200], 0) + len(turn.text.split())
    with transaction.atomic():
        transcript = Transcript.objects.create(
            event=event,
            filename=os.path.basename(filename)[:255] or "transcript",
            uploaded_by=user,
            word_count=sum(words.values()),
        )
        speakers = {}
        for label, count in words.items():
            guess = matching.match_label(label, agenda)
            speakers[label] = TranscriptSpeaker.objects.create(
                transcript=transcript, label=label, participation=guess.candidate, word_count=count
            )
        TranscriptTurn.objects.bulk_create(
            [
                TranscriptTurn(
                    transcript=transcript, speaker=speakers[t.speaker[:200]], text=t.text, start=t.start, line=t.line
                )
                for t in turns
            ],
            batch_size=500,
        )
    return transcript


def transcript_mapping_confirm(*, transcript: Transcript, assignments: dict[int, int | None]) -> None:
    """Staff's answer to “who is this label?”: a participation of the event, or nobody (None)."""
    allowed = set(transcript.event.participations.values_list("pk", flat=True))
    with transaction.atomic():
        for speaker in transcript.speakers.select_for_update():
            if speaker.pk not in assignments:
                continue
            participation_id = assignments[speaker.pk]
            if participation_id is not None and participation_id not in allowed:
                raise ApplicationError(f"“{speaker.label}” can only be mapped to someone on this event's agenda.")
            speaker.participation_id = participation_id
            speaker.confirmed = True
            speaker.save(update_fields=["participation", "confirmed"])


def transcript_delete(*, transcript: Transcript) -> None:
    transcript.delete()


# Points -----------------------------------------------------------------------------------------------------


def point_add(
    *,
    event: Event,
    participation: Participation,
    text: str,
    source: str = Point.Source.STAFF,
    user=None,
    note: Note | None = None,
    spoken: str = "",
) -> Point:
    text = " ".join(text.split())
    if participation.event_id != event.pk:
        raise ApplicationError("Choose a speaker of this event.", field="participation")
    # “Dr. Kazmi: CASA-1000 …” is Dr. Kazmi's point, without the label.
    labelled, text = speaker_label(event=event, text=text)
    participation = labelled or participation
    if not text:
        raise ApplicationError("Write the point first.", field="text")
    if len(text) > MAX_POINT:
        raise ApplicationError(f"A point is at most {MAX_POINT} characters; split it into two.", field="text")
    with transaction.atomic():
        # The speaker's row is the lock: two points added at once get the next two places.
        Participation.objects.select_for_update().filter(pk=participation.pk).first()
        last = Point.objects.filter(participation=participation).aggregate(m=Max("order"))["m"]
        return Point.objects.create(
            event=event,
            participation=participation,
            text=text,
            source=source,
            order=(last or 0) + 1,
            created_by=user,
            note=note,
            spoken=" ".join(spoken.split()),
        )


def point_from_spoken(*, event: Event, participation: Participation, spoken: str, user=None) -> Point:
    """A point from words someone said (a transcript's sentence, with any that lean on it), kept as
    spoken beside the reported sentence it prints; what only manages the session is refused, saying why."""
    if participation.event_id != event.pk:
        raise ApplicationError("Choose a speaker of this event.", field="participation")
    parts = sentences_of(" ".join(spoken.split()))
    if not parts:
        raise ApplicationError("Write the point first.", field="text")
    rendering = selectors.render_spoken(participation=participation, parts=parts)
    if rendering.kind == speech.LEFT_OUT:
        raise ApplicationError(f"Not made a point: {rendering.reason}", field="text")
    return point_add(
        event=event,
        participation=participation,
        text=rendering.text,
        source=Point.Source.TRANSCRIPT,
        user=user,
        spoken=spoken,
    )


def transcript_accept_suggestions(*, transcript: Transcript, user=None) -> list[Point]:
    """Every suggested point of every mapped speaker made a point, in the order they were said."""
    suggestions = selectors.transcript_suggestions(transcript=transcript)
    agenda = {p.pk: p for p in selectors.agenda_for_report(event=transcript.event)}
    made = []
    with transaction.atomic():
        for pk, found in suggestions.items():
            for suggestion in found:
                made.append(
                    point_add(
                        event=transcript.event,
                        participation=agenda[pk],
                        text=suggestion.printed.text,
                        source=Point.Source.TRANSCRIPT,
                        user=user,
                        spoken=suggestion.spoken,
                    )
                )
    return made


def point_update(*, point: Point, text: str) -> Point:
    text = " ".join(text.split())
    if not text:
        raise ApplicationError("A point cannot be empty; delete it instead.", field="text")
    if len(text) > MAX_POINT:
        raise ApplicationError(f"A point is at most {MAX_POINT} characters; split it into two.", field="text")
    point.text = text
    point.save(update_fields=["text"])
    return point


def point_delete(*, point: Point) -> None:
    point.delete()


def point_move(*, point: Point, up: bool) -> None:
    """Swap a point with its neighbour in the speaker's list."""
    with transaction.atomic():
        siblings = list(
            Point.objects.select_for_update().filter(participation_id=point.participation_id).order_by("order", "pk")
        )
        index = next(i for i, p in enumerate(siblings) if p.pk == point.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, p in enumerate(siblings, start=1):
            if p.order != order:
                Point.objects.filter(pk=p.pk).update(order=order)


def note_to_point(*, note: Note, participation: Participation | None = None, user=None) -> Point:
    """One click: a rapporteur's live note becomes a point of the speaker who was speaking (or another)."""
    # A note the rapporteur began with a name (“Dr. Kazmi: CASA-1000 …”) is that speaker's, without the label.
    labelled, text = speaker_label(event=note.event, text=note.text)
    participation = participation or labelled or note.speaker
    if participation is None:
        raise ApplicationError(
            "This note was taken when no one was marked as speaking: choose the speaker.", field="participation"
        )
    if note.points.exists():
        raise ApplicationError("This note is already a point.")
    return point_add(
        event=note.event, participation=participation, text=text, source=Point.Source.NOTE, user=user, note=note
    )


NOTE_LABEL = re.compile(r"^\s*([^:\n]{2,80}?)\s*:\s+(?=\S)")


def speaker_label(*, event: Event, text: str) -> tuple[Participation | None, str]:
    """The speaker a point or note names at its start, and the text without that label; (None, text)
    if the words before a colon are not someone on the agenda (“First: our relations …”)."""
    found = NOTE_LABEL.match(text)
    if not found or len(found.group(1).split()) > 6:
        return None, text
    agenda = selectors.agenda_for_report(event=event)
    match = matching.match_label(found.group(1), agenda)
    if match.candidate is None:
        return None, text
    return match.candidate, text[found.end() :]


# The press release ------------------------------------------------------------------------------------------


def chatham_terms(*, event: Event) -> dict[str, str]:
    """Everything that would identify a participant of the event or their affiliation, and what
    stands in its place in a Chatham House report."""
    people: set[str] = set()
    affiliations: set[str] = set()
    for participation in event.participations.select_related("person").prefetch_related("person__designations"):
        person = participation.person
        people.update({person.full_name, person.styled_name, person.later_mention, person.family_name})
        people.update(w for w in person.given_names.split() if len(w) > 2 and w.casefold() not in TITLES)
        for designation in person.designations.all():
            affiliations.add(designation.organisation)
            # “veteran diplomat and author” identifies; “Director” alone is a common word.
            if len(designation.position.split()) > 1:
                affiliations.add(designation.position)
    for name, organisation in Registration.objects.filter(event=event).values_list("name", "organisation"):
        people.add(name)
        people.update(
            w
            for w in name.split()
            if len(w) > 3 and not w.endswith(".") and w.casefold() not in TITLES and not w.startswith("(")
        )
        affiliations.add(organisation)
    host = organisation_get()
    # The host is named as the organiser; that is not a participant's affiliation.
    own = {host.name.casefold(), host.short_name.casefold()} - {""}
    terms = {t.strip(): "an organisation" for t in affiliations if t and t.strip()}
    terms.update({t.strip(): "a participant" for t in people if t and t.strip()})
    return {t: stand_in for t, stand_in in terms.items() if t.casefold() not in own}


def report_draft(*, event: Event) -> composer.Draft:
    """What the composer writes now from the event, its agenda and the points."""
    redact = chatham_terms(event=event) if event.policy.redacts_names else None
    speakers = [(p, [point.text for point in points]) for p, points in selectors.points_by_speaker(event=event)]
    return composer.compose(event=event, organisation=organisation_get(), speakers=speakers, redact=redact)


def _locked_report(event: Event) -> Report:
    report, _ = Report.objects.get_or_create(event=event)
    return Report.objects.select_for_update().get(pk=report.pk)


def _new_version(report: Report, *, headline: str, body: str, user, change: str) -> ReportVersion:
    number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report, number=number, headline=headline, body=body, author=user, change=change[:300]
    )
    report.current_version = version
    # Any change needs publishing again, and approving again where the institute asks for it.
    report.status = Report.Status.DRAFT
    report.approved_by, report.approved_at, report.submitted_by = None, None, None
    report.save(update_fields=["current_version", "status", "approved_by", "approved_at", "submitted_by", "updated_at"])
    return version


def report_compose(*, event: Event, user=None) -> ReportVersion:
    """A new version composed from the points; earlier versions stay and can be restored."""
    draft = report_draft(event=event)
    points = Point.objects.filter(event=event).count()
    with transaction.atomic():
        report = _locked_report(event)
        return _new_version(
            report,
            headline=draft.headline,
            body=draft.body,
            user=user,
            change=f"Composed from {points} point{'s' if points != 1 else ''}",
        )


def change_summary(*, old_headline: str, old_body: str, headline: str, body: str) -> str:
    """What an edit changed, in words: “Edited the headline and paragraph 3; added paragraph 7”."""
    old, new = paragraphs_of(old_body), paragraphs_of(body)
    edited: list[str] = []
    added: list[str] = []
    removed: list[str] = []
    if old_headline != headline:
        edited.append("the headline")
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "replace":
            both = min(i2 - i1, j2 - j1)
            edited.extend(f"paragraph {j + 1}" for j in range(j1, j1 + both))
            added.extend(f"paragraph {j + 1}" for j in range(j1 + both, j2))
            removed.extend(f"paragraph {i + 1}" for i in range(i1 + both, i2))
        elif tag == "insert":
            added.extend(f"paragraph {j + 1}" for j in range(j1, j2))
        elif tag == "delete":
            removed.extend(f"paragraph {i + 1}" for i in range(i1, i2))
    parts = []
    for verb, items in (("Edited", edited), ("added", added), ("removed", removed)):
        if items:
            listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
            parts.append(f"{verb} {listed}")
    summary = "; ".join(parts)
    return summary[:1].upper() + summary[1:] if summary else "No change"


def report_edit(*, event: Event, headline: str, body: str, base_number: int | None, user=None) -> ReportVersion:
    """Save the editor's text as a new version. ``base_number`` is the version the editor started
    from: if someone saved since, nothing is overwritten and the editor is told."""
    headline = " ".join(headline.split())
    body = "\n\n".join(paragraphs_of(body))
    if not headline:
        raise ApplicationError("Give the press release a headline.", field="headline")
    if len(headline) > MAX_HEADLINE:
        raise ApplicationError(f"Keep the headline under {MAX_HEADLINE} characters.", field="headline")
    if not body:
        raise ApplicationError("The press release needs at least one paragraph.", field="body")
    if len(body) > MAX_BODY:
        raise ApplicationError("The press release is too long to save (over 50,000 characters).", field="body")
    with transaction.atomic():
        report = _locked_report(event)
        current = report.current_version
        if current and base_number != current.number:
            who = current.author.get_username() if current.author else "someone"
            raise ApplicationError(
                f"{who} saved version {current.number} while you were editing. Your text is below: copy what "
                f"you need, then open the latest version.",
                field="conflict",
                status=409,
            )
        summary = change_summary(
            old_headline=current.headline if current else "",
            old_body=current.body if current else "",
            headline=headline,
            body=body,
        )
        if current and summary == "No change":
            raise ApplicationError("Nothing changed since the last version.")
        return _new_version(
            report, headline=headline, body=body, user=user, change=summary if current else "Written by hand"
        )


def report_restore(*, event: Event, number: int, user=None) -> ReportVersion:
    with transaction.atomic():
        report = _locked_report(event)
        old = selectors.report_version_get(report=report, number=number)
        if old is None:
            raise ApplicationError(f"There is no version {number}.")
        if report.current_version_id == old.pk:
            raise ApplicationError(f"Version {number} is already the current version.")
        return _new_version(
            report, headline=old.headline, body=old.body, user=user, change=f"Restored version {number}"
        )


def _current(report: Report, number: int | None) -> ReportVersion:
    """The current version, and the one the person acting has read: approving or publishing says
    which version it means, so a version saved in the meantime is never approved or published unread."""
    current = report.current_version
    if current is None:
        raise ApplicationError("Compose or write the press release first.")
    if number is not None and current.number != number:
        who = current.author.get_username() if current.author else "someone"
        raise ApplicationError(
            f"{who} saved version {current.number} after you opened version {number}. Read the new version first."
        )
    return current


def report_submit(*, event: Event, user, number: int | None = None) -> Report:
    """Ask a second staff member to approve the current version."""
    with transaction.atomic():
        report = _locked_report(event)
        _current(report, number)
        if report.status != Report.Status.DRAFT:
            raise ApplicationError(f"The press release is already {report.get_status_display().lower()}.")
        report.status, report.submitted_by = Report.Status.AWAITING_APPROVAL, user
        report.save(update_fields=["status", "submitted_by", "updated_at"])
    return report


def report_approve(*, event: Event, user, number: int | None = None) -> Report:
    """The second pair of eyes: whoever wrote the current version or asked for approval cannot approve it."""
    with transaction.atomic():
        report = _locked_report(event)
        current = _current(report, number)
        if report.status != Report.Status.AWAITING_APPROVAL:
            raise ApplicationError("Only a press release awaiting approval can be approved.")
        if user.pk in (current.author_id, report.submitted_by_id):
            raise ApplicationError(
                "A second staff member must approve it: you wrote this version or asked for its approval."
            )
        report.status, report.approved_by, report.approved_at = Report.Status.APPROVED, user, timezone.now()
        report.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return report


def publication_problems(*, event: Event, version: ReportVersion) -> list[str]:
    """What keeps a version from being published under the event's attribution rule. Staff edit the
    composed draft freely, so the rule is checked again on what is about to go out."""
    if event.policy.statement_only:
        stub = report_draft(event=event)
        if (version.headline, version.body) != (stub.headline, stub.body):
            return [
                "The event was off the record: only the statement that it took place can be published. "
                "Compose the press release again and publish that."
            ]
    if event.policy.redacts_names:
        text = f"{version.headline}\n{version.body}"
        found = sorted(
            {m.group(0) for m in composer.terms_pattern(chatham_terms(event=event)).finditer(text)}, key=str.casefold
        )
        if found:
            return [
                f"The event was held under the Chatham House Rule, and this version names participants or "
                f"their affiliations: {', '.join(found)}. Take them out, then publish."
            ]
    return []


def report_publish(*, event: Event, user, number: int | None = None) -> Report:
    """The current version goes to the public archive, the feed and the search."""
    approval = organisation_get().report_approval_required
    with transaction.atomic():
        report = _locked_report(event)
        current = _current(report, number)
        if approval and report.status != Report.Status.APPROVED:
            raise ApplicationError(
                "This institute publishes a press release once a second staff member has approved "
                "it. Ask for approval first."
            )
        if report.published_version_id == current.pk:
            raise ApplicationError("This version is already published.")
        problems = publication_problems(event=event, version=current)
        if problems:
            raise ApplicationError(" ".join(problems))
        report.published_version = current
        report.published_by, report.published_at = user, timezone.now()
        report.status = Report.Status.PUBLISHED
        report.save(update_fields=["published_version", "published_by", "published_at", "status", "updated_at"])
        # An ended event is now "report published"; an event still to come, or a draft, keeps its status.
        Event.objects.filter(pk=event.pk, status=Event.Status.ENDED).update(
            status=Event.Status.REPORT_PUBLISHED, updated_at=timezone.now()
        )
    return report


def report_withdraw(*, event: Event, user) -> Report:
    """Take the press release off the public archive; its versions stay, and so does an approval
    under way for a newer draft."""
    with transaction.atomic():
        report = _locked_report(event)
        if report.published_version_id is None:
            raise ApplicationError("The press release is not published.")
        report.published_version, report.published_at, report.published_by = None, None, None
        if report.status == Report.Status.PUBLISHED:
            report.status = Report.Status.DRAFT
        report.save(update_fields=["published_version", "published_at", "published_by", "status", "updated_at"])
        Event.objects.filter(pk=event.pk, status=Event.Status.REPORT_PUBLISHED).update(
            status=Event.Status.ENDED, updated_at=timezone.now()
        )
    return report
