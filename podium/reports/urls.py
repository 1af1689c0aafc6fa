from django.urls import path

from podium.reports import views

app_name = "reports"
urlpatterns = [
    path("events/<slug:slug>/press-release.<str:fmt>", views.public_export, name="public_export"),
]
