from django.urls import path

from podium.reminders import views

app_name = "reminders"
urlpatterns = [
    path("events/<int:pk>/reminders/", views.event_reminders, name="event"),
    path("events/<int:pk>/reminders/save/", views.event_reminders_save, name="save"),
    path("events/<int:pk>/speakers/", views.event_speakers, name="speakers"),
    path("events/<int:pk>/speakers/<int:participation_pk>/invite/", views.participation_invite, name="invite"),
]
