from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "podium.reports"
    label = "reports"
