"""`podium search_rebuild`: builds the public search index again from events, speakers and press releases.

Signals keep the index current; this repairs it after changes that bypass them (QuerySet.update(),
raw SQL, bulk imports) or after restoring a database.
"""

from django.core.management.base import BaseCommand

from podium.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of listed events, their speakers and published press releases."

    def handle(self, *args, **options):
        counts = search_index_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {counts['event']} events, {counts['person']} speakers, "
                f"{counts['report']} press releases."
            )
        )
