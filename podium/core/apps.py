from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "podium.core"
    label = "core"

    def ready(self) -> None:
        from podium.core import signals  # noqa: F401
