from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "podium.campaigns"
    label = "campaigns"
    verbose_name = "Invitation campaigns"
