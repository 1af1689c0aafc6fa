from django.urls import path

from podium.events import views

app_name = "events"
urlpatterns = [
    path("speak/<str:token>/", views.speaker, name="speaker"),
    path("speak/<str:token>/respond/", views.speaker_respond, name="speaker_respond"),
]
