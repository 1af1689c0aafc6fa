from django.urls import path

from podium.events import views

app_name = "events"
urlpatterns = [
    path("", views.home, name="home"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/calendar.ics", views.event_ics, name="ics"),
    path("speakers/<slug:slug>/", views.person_detail, name="person"),
    path("j/<str:token>/", views.join, name="join"),
    path("j/s/<str:token>/", views.speaker_join, name="speaker_join"),
    path("speak/<str:token>/", views.speaker, name="speaker"),
    path("speak/<str:token>/respond/", views.speaker_respond, name="speaker_respond"),
]
