from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "podium.people"
    label = "people"
