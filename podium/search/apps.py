"""The search app: a public full-text index of events, speakers and press releases."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "podium.search"
    label = "search"

    def ready(self) -> None:
        from podium.search import signals  # noqa: F401
