from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "podium.public"
    label = "public"
