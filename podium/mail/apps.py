"""The outbox app; when Django starts it collects the mail kinds the other apps declare."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MailConfig(AppConfig):
    name = "podium.mail"
    label = "mail"
    verbose_name = "Outbox"

    def ready(self) -> None:
        # Each sending app declares its kinds in its own mails.py (podium.mail.kinds); found by
        # name, as the admin finds admin.py, so the mail app never imports the apps above it.
        autodiscover_modules("mails")
