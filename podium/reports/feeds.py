"""The Atom feed of published press releases, for readers, newsrooms and aggregators."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html_join

from podium.core.models import Organisation
from podium.core.selectors import organisation_get
from podium.reports.archive import published_version, reports_for_feed
from podium.reports.models import Report, ReportVersion


class PressReleaseAtomFeed(Atom1Feed):
    """Atom with the whole press release in <content>; Django's Atom1Feed writes only <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass(frozen=True)
class Entry:
    report: Report
    organisation: Organisation  # read once per request, not once per entry (it may come from Redis)

    @property
    def version(self) -> ReportVersion:
        return published_version(self.report)


class PressReleaseFeed(Feed):
    feed_type = PressReleaseAtomFeed

    def get_object(self, request, *args, **kwargs) -> Organisation:
        return organisation_get()

    def title(self, organisation: Organisation) -> str:
        return f"{organisation.name}: press releases"

    def subtitle(self, organisation: Organisation) -> str:
        return f"Press releases on the lectures and webinars of {organisation.name}."

    def link(self) -> str:
        return reverse("public:home")

    def feed_url(self) -> str:
        return reverse("reports_feed")

    def author_name(self, organisation: Organisation) -> str:
        return organisation.name

    def author_link(self, organisation: Organisation) -> str | None:
        return organisation.website or None

    def items(self, organisation: Organisation) -> list[Entry]:
        return [Entry(report=report, organisation=organisation) for report in reports_for_feed()]

    def item_title(self, entry: Entry) -> str:
        return entry.version.headline

    def item_link(self, entry: Entry) -> str:
        return reverse("public:event", args=[entry.report.event.slug]) + "#report"

    def item_guid(self, entry: Entry) -> str:
        # The event's calendar UID: stays the same if the event's address (slug) is ever changed.
        return f"urn:uuid:{entry.report.event.uid}"

    item_guid_is_permalink = False

    def item_description(self, entry: Entry) -> str:
        paragraphs = entry.version.paragraphs
        return escape(paragraphs[0]) if paragraphs else ""

    def item_extra_kwargs(self, entry: Entry) -> dict:
        # The paragraphs are plain text: escaped here, then the XML writer escapes the HTML once more.
        paragraphs = entry.version.paragraphs
        return {"content": format_html_join("\n", "<p>{}</p>", ((p,) for p in paragraphs))}

    def item_pubdate(self, entry: Entry):
        return entry.report.published_at

    def item_updateddate(self, entry: Entry):
        # The public text changes only by publishing again, which moves published_at.
        return entry.report.published_at

    def item_author_name(self, entry: Entry) -> str:
        return entry.organisation.name

    def item_author_link(self, entry: Entry) -> str | None:
        return entry.organisation.website or None

    def item_categories(self, entry: Entry) -> list[str]:
        series = entry.report.event.series
        return [series.name] if series else []
