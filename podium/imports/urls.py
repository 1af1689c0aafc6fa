from django.urls import path

from podium.imports import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.upload, name="upload"),
    path("imports/demo/", views.upload_demo, name="demo"),
    path("imports/<int:pk>/", views.detail, name="detail"),
    path("imports/<int:pk>/columns/", views.mapping, name="mapping"),
    path("imports/<int:pk>/decide/", views.decide, name="decide"),
    path("imports/<int:pk>/resume/", views.resume, name="resume"),
    path("imports/<int:pk>/progress.json", views.progress, name="progress"),
]
