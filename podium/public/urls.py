from django.urls import path

from podium.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("events/<slug:slug>/calendar.ics", views.event_ics, name="ics"),
    path("events/<slug:slug>/share.png", views.event_share_image, name="share_image"),
    path("speakers/<slug:slug>/", views.person_detail, name="person"),
]
