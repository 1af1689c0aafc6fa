from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "podium.events"
    label = "events"
