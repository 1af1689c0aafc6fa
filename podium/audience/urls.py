from django.urls import path

from podium.audience import views

app_name = "audience"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("audiences/", views.audiences, name="audiences"),
    path("audiences/save/", views.audience_save, name="save"),
    path("audiences/<int:pk>/delete/", views.audience_delete, name="delete"),
]
