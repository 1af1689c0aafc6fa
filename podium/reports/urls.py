"""Staff pages of the transcript and the press release, and the public downloads of a published release."""

from django.urls import path

from podium.reports import views

app_name = "reports"
urlpatterns = [
    path("events/<slug:slug>/press-release.<str:fmt>", views.public_export, name="public_export"),
    path("staff/events/<int:pk>/report/", views.workspace, name="workspace"),
    path("staff/events/<int:pk>/report/points/", views.point_add, name="point_add"),
    path("staff/events/<int:pk>/report/points/<int:point_pk>/<slug:action>/", views.point_change, name="point_change"),
    path("staff/events/<int:pk>/report/notes/<int:note_pk>/use/", views.note_use, name="note_use"),
    path("staff/events/<int:pk>/report/compose/", views.compose, name="compose"),
    path("staff/events/<int:pk>/report/edit/", views.edit, name="edit"),
    path("staff/events/<int:pk>/report/versions/<int:number>/", views.version_detail, name="version"),
    path("staff/events/<int:pk>/report/versions/<int:number>/restore/", views.version_restore, name="restore"),
    path("staff/events/<int:pk>/report/export.<str:fmt>", views.staff_export, name="staff_export"),
    path("staff/events/<int:pk>/report/<slug:action>/", views.report_action, name="action"),
    path("staff/events/<int:pk>/transcript/", views.transcript, name="transcript"),
    path("staff/events/<int:pk>/transcript/sample/", views.transcript_sample, name="transcript_sample"),
    path(
        "staff/events/<int:pk>/transcript/sample.vtt",
        views.transcript_sample_download,
        name="transcript_sample_download",
    ),
    path(
        "staff/events/<int:pk>/transcript/<int:transcript_pk>/accept/",
        views.transcript_accept,
        name="transcript_accept",
    ),
    path(
        "staff/events/<int:pk>/transcript/<int:transcript_pk>/mapping/",
        views.transcript_mapping,
        name="transcript_mapping",
    ),
    path(
        "staff/events/<int:pk>/transcript/<int:transcript_pk>/delete/",
        views.transcript_delete,
        name="transcript_delete",
    ),
]
