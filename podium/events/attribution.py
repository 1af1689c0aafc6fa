"""The attribution rule of an event (on the record, Chatham House Rule, off the record), decided here once.

Every page, service and export that the rule shapes asks the event's policy (`event.policy`) a named
question (may askers be named, may the archive offer a recording, how the report is written, what
the public note says) instead of comparing the rule's value.
"""

import enum
from dataclasses import dataclass

from django.db import models


class Attribution(models.TextChoices):
    ON_THE_RECORD = "on_the_record", "On the record"
    CHATHAM_HOUSE = "chatham_house", "Chatham House Rule"
    OFF_THE_RECORD = "off_the_record", "Off the record"


class ReportStyle(enum.StrEnum):
    ATTRIBUTED = "attributed"  # every speaker named in full once, in agenda order
    UNATTRIBUTED = "unattributed"  # what was said, no speaker, participant or affiliation named
    STATEMENT = "statement"  # only that the event took place


@dataclass(frozen=True)
class AttributionPolicy:
    rule: Attribution
    # Live session: may an asker's name be shown to other attendees (and may an attendee choose to hide it)?
    names_askers: bool
    # Public archive: may the event page and its card offer a recording? A recording names every voice.
    allows_recording: bool
    # The press release: attributed, unattributed (names replaced), or the statement that it took place.
    report_style: ReportStyle
    # One sentence each where the rule is explained; empty where nothing needs saying.
    public_note: str  # on the event page, beside the report
    release_note: str  # in the press release's notes to editors
    registration_note: str  # under the registration form
    live_note: str  # on the live page
    workspace_note: str  # in the staff report workspace, with workspace_title in bold before it
    workspace_title: str
    choice_note: str  # beside the rule where staff choose it for an event: what it means, in one sentence

    @property
    def label(self) -> str:
        return self.rule.label

    @property
    def announced(self) -> bool:
        """Is the rule named beside the event (a badge on its page)? Only when it restricts something."""
        return self.rule != Attribution.ON_THE_RECORD

    @property
    def redacts_names(self) -> bool:
        """Must names and affiliations be taken out of what the report says?"""
        return self.report_style == ReportStyle.UNATTRIBUTED

    @property
    def statement_only(self) -> bool:
        return self.report_style == ReportStyle.STATEMENT

    @property
    def attributes_speakers(self) -> bool:
        return self.report_style == ReportStyle.ATTRIBUTED


POLICIES = {
    Attribution.ON_THE_RECORD: AttributionPolicy(
        rule=Attribution.ON_THE_RECORD,
        names_askers=True,
        allows_recording=True,
        report_style=ReportStyle.ATTRIBUTED,
        public_note="",
        release_note="",
        registration_note="",
        live_note="",
        workspace_title="",
        workspace_note="",
        choice_note="Everything said may be quoted with the speaker's name; the archive may offer a recording.",
    ),
    Attribution.CHATHAM_HOUSE: AttributionPolicy(
        rule=Attribution.CHATHAM_HOUSE,
        names_askers=False,
        allows_recording=False,
        report_style=ReportStyle.UNATTRIBUTED,
        public_note="The discussion was held under the Chatham House Rule, and the report follows it: it gives what "
        "was said without attributing any remark to a speaker or participant.",
        release_note="The discussion was held under the Chatham House Rule.",
        registration_note="This event is held under the Chatham House Rule.",
        live_note="This event is held under the Chatham House Rule: no names are shown to other attendees.",
        workspace_title="Chatham House Rule.",
        workspace_note="The draft reports what was said without naming any speaker or participant, or their "
        "affiliation; names in points are replaced. Read it through before publishing.",
        choice_note="What is said may be reported, but no remark is attributed to anyone; no recording is offered.",
    ),
    Attribution.OFF_THE_RECORD: AttributionPolicy(
        rule=Attribution.OFF_THE_RECORD,
        names_askers=False,
        allows_recording=False,
        report_style=ReportStyle.STATEMENT,
        public_note="The discussion was off the record. This page records that the event took place; what was "
        "said is not reported.",
        release_note="The discussion was held off the record.",
        registration_note="",
        live_note="This event is held off the record: no names are shown to other attendees.",
        workspace_title="Off the record.",
        workspace_note="Nothing of the discussion is published: the draft says only that the event took place.",
        choice_note="Nothing said is reported; the institute records only that the event took place.",
    ),
}


def attribution_policy(rule: str) -> AttributionPolicy:
    return POLICIES[Attribution(rule)]


def rules_allowing_recording() -> list[str]:
    """The rules under which the archive offers a recording, for filtering in the database."""
    return [str(rule) for rule, policy in POLICIES.items() if policy.allows_recording]
