from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "podium.registrations"
    label = "registrations"
