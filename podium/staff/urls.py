from django.contrib.auth import views as auth_views
from django.urls import path

from podium.staff import views

app_name = "staff"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="public:home"), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("events/<int:pk>/registrations/", views.event_registrations, name="registrations"),
    path("events/<int:pk>/registrations/decide/", views.event_registrations_decide, name="decide"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/", views.outbox_message, name="message"),
    path("outbox/<int:pk>/body/", views.outbox_message_html, name="message_body"),
    path("outbox/<int:pk>/retry/", views.outbox_message_retry, name="message_retry"),
]
