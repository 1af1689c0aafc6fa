from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "podium.video"
    label = "video"
    verbose_name = "Video rooms"
