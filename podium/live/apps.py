from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "podium.live"
    label = "live"
    verbose_name = "Live sessions"
