from django.urls import path

from podium.video import views

app_name = "video"
urlpatterns = [
    path("video/bbb/<uuid:uid>/ended/<str:token>/", views.bbb_ended, name="bbb_ended"),
]
