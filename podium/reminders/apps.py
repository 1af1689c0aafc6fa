from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "podium.reminders"
    label = "reminders"
    verbose_name = "Reminders and speaker briefings"
