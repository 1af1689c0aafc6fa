"""The live pages, their actions and the moderator console. Personal tokens are URL-safe base64, so
`slug` matches every real one and refuses anything else (a NUL byte) before a query is made."""

from django.urls import path

from podium.live import views

app_name = "live"
urlpatterns = [
    path("j/<slug:token>/", views.join, name="join"),
    path("j/s/<slug:token>/", views.speaker_join, name="speaker_join"),
    path("live/s/<slug:token>/", views.speaker_page, name="speaker_page"),
    path("live/s/<slug:token>/stream/", views.stream_elsewhere, name="speaker_stream"),
    path("live/s/<slug:token>/video/", views.speaker_video, name="speaker_video"),
    path("live/s/<slug:token>/video.json", views.speaker_video_json, name="speaker_video_json"),
    path("live/<slug:token>/", views.page, name="page"),
    path("live/<slug:token>/stream/", views.stream_elsewhere, name="stream"),
    path("live/<slug:token>/ask/", views.ask, name="ask"),
    path("live/<slug:token>/questions/<int:pk>/upvote/", views.upvote, name="upvote"),
    path("live/<slug:token>/polls/<int:pk>/vote/", views.vote, name="vote"),
    path("live/<slug:token>/video/", views.video, name="video"),
    path("live/<slug:token>/video.json", views.video_json, name="video_json"),
    path("staff/live/<int:pk>/", views.console, name="console"),
    path("staff/live/<int:pk>/stream/", views.console_stream, name="console_stream"),
    path("staff/live/<int:pk>/counts.json", views.counts, name="counts"),
    path("staff/live/<int:pk>/questions/<int:question_pk>/<slug:action>/", views.question_action, name="question"),
    path("staff/live/<int:pk>/control/<slug:action>/", views.control, name="control"),
]
