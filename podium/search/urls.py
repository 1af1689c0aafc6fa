"""The public search page."""

from django.urls import path

from podium.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
]
