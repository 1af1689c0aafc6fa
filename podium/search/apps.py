from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "podium.search"
    label = "search"
