from django.urls import path

from podium.live import views

app_name = "live"
urlpatterns = [
    path("j/<str:token>/", views.join, name="join"),
    path("j/s/<str:token>/", views.speaker_join, name="speaker_join"),
    path("live/s/<str:token>/", views.speaker_page, name="speaker_page"),
    path("live/s/<str:token>/stream/", views.stream_elsewhere, name="speaker_stream"),
    path("live/s/<str:token>/video/", views.speaker_video, name="speaker_video"),
    path("live/s/<str:token>/video.json", views.speaker_video_json, name="speaker_video_json"),
    path("live/<str:token>/", views.page, name="page"),
    path("live/<str:token>/stream/", views.stream_elsewhere, name="stream"),
    path("live/<str:token>/ask/", views.ask, name="ask"),
    path("live/<str:token>/questions/<int:pk>/upvote/", views.upvote, name="upvote"),
    path("live/<str:token>/polls/<int:pk>/vote/", views.vote, name="vote"),
    path("live/<str:token>/video/", views.video, name="video"),
    path("live/<str:token>/video.json", views.video_json, name="video_json"),
    path("staff/live/<int:pk>/", views.console, name="console"),
    path("staff/live/<int:pk>/stream/", views.console_stream, name="console_stream"),
    path("staff/live/<int:pk>/counts.json", views.counts, name="counts"),
    path("staff/live/<int:pk>/questions/<int:question_pk>/<slug:action>/", views.question_action, name="question"),
    path("staff/live/<int:pk>/control/<slug:action>/", views.control, name="control"),
]
