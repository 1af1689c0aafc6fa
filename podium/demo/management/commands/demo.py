"""`podium demo`: loads the NIPS demo (safe to run again: it updates the demo rows in place).

`podium demo --live-now` moves the demo's upcoming webinar to start a few minutes ago, so its
registrants' join links open the live page at once: the way to try the live session today.
"""

from django.core.management.base import BaseCommand

from podium.demo.loader import demo_live_now, demo_load


class Command(BaseCommand):
    help = "Load the demo: the NIPS Lecture Series, its Pakistan–Russia webinar and two upcoming events."

    def add_arguments(self, parser):
        parser.add_argument(
            "--live-now",
            action="store_true",
            help="Move the upcoming demo webinar to now, so its join links open the live page.",
        )

    def handle(self, *args, live_now: bool = False, **options):
        login = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo loaded: NIPS Lecture Series with three events."))
        if live_now:
            for line in demo_live_now():
                self.stdout.write(line)
        self.stdout.write(login)
