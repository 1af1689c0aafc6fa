"""`podium demo`: loads the NIPS demo (safe to run again: it updates the demo rows in place)."""

from django.core.management.base import BaseCommand

from podium.core.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo: the NIPS Lecture Series, its Pakistan–Russia webinar and two upcoming events."

    def handle(self, *args, **options):
        login = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo loaded: NIPS Lecture Series with three events."))
        self.stdout.write(login)
