from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "podium.core"
    label = "core"

    def ready(self) -> None:
        from django.conf import settings

        from podium.core import auth, signals, uploads  # noqa: F401  (auth counts failed sign-ins; uploads sets Pillow's pixel ceiling)
        from podium.core.logs import sentry_start

        if settings.SENTRY_DSN:
            sentry_start(settings.SENTRY_DSN, environment=settings.SENTRY_ENVIRONMENT)
