from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "podium.imports"
    label = "imports"
    verbose_name = "Contact imports"
