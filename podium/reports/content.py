"""The press release as the exports see it: one value holding everything HTML, Markdown, DOCX and PDF print."""

from dataclasses import dataclass
from datetime import date

from podium.core.models import Organisation
from podium.events.models import Event


def long_date(*, day: date) -> str:
    """25 May 2023: the British form press releases use, without a locale that could change the month."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class PressRelease:
    headline: str
    paragraphs: tuple[str, ...]  # plain text, no markup: every export escapes it its own way
    event: Event
    organisation: Organisation | None
    dated: date  # the release's date: when it was published, or today for a draft
    draft: bool = False  # drafts are marked as such in every export

    @property
    def filename_stem(self) -> str:
        return f"{self.event.slug}-press-release"
