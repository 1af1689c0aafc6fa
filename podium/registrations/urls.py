from django.urls import path

from podium.registrations import views

app_name = "registrations"
urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/registered/", views.registered, name="registered"),
    path("r/<str:token>/", views.manage, name="manage"),
    path("r/<str:token>/cancel/", views.cancel, name="cancel"),
    path("r/<str:token>/calendar.ics", views.manage_ics, name="ics"),
    path("i/<str:token>/", views.invitation_open, name="invitation"),
]
