from django.apps import AppConfig


class AudienceConfig(AppConfig):
    name = "podium.audience"
    label = "audience"
    verbose_name = "Audience"
