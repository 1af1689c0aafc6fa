"""After the event: transcripts, points, the press release and its exports."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "podium.reports"
    label = "reports"
