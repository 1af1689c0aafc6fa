from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "podium.staff"
    label = "staff"
