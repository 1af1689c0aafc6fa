from django.contrib.auth import views as auth_views
from django.urls import path

from podium.staff import views

app_name = "staff"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="public:home"), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("series/", views.series_list, name="series"),
    path("series/new/", views.series_new, name="series_new"),
    path("series/<int:pk>/", views.series_edit, name="series_edit"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_overview, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/agenda/", views.event_agenda, name="agenda"),
    path("events/<int:pk>/agenda/people/", views.agenda_people, name="agenda_people"),
    path("events/<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("events/<int:pk>/agenda/new-person/", views.agenda_person_new, name="agenda_person_new"),
    path("events/<int:pk>/agenda/<int:participation_pk>/move/", views.agenda_move, name="agenda_move"),
    path("events/<int:pk>/agenda/<int:participation_pk>/role/", views.agenda_role, name="agenda_role"),
    path("events/<int:pk>/agenda/<int:participation_pk>/talk/", views.agenda_talk, name="agenda_talk"),
    path("events/<int:pk>/agenda/<int:participation_pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("events/<int:pk>/duplicate/", views.event_duplicate, name="event_duplicate"),
    path("events/<int:pk>/publish/", views.event_publish, name="event_publish"),
    path("events/<int:pk>/unpublish/", views.event_unpublish, name="event_unpublish"),
    path("events/<int:pk>/registrations/", views.event_registrations, name="registrations"),
    path("events/<int:pk>/registrations/decide/", views.event_registrations_decide, name="decide"),
    path("events/<int:pk>/registrations/export/", views.event_registrations_export, name="registrations_export"),
    path(
        "events/<int:pk>/registrations/<int:registration_pk>/promote/",
        views.event_registration_promote,
        name="registration_promote",
    ),
    path("events/<int:pk>/registrations/add/", views.event_registration_add, name="registration_add"),
    path(
        "events/<int:pk>/registrations/<int:registration_pk>/decline/",
        views.event_registration_decline,
        name="registration_decline",
    ),
    path(
        "events/<int:pk>/registrations/<int:registration_pk>/undo-decline/",
        views.event_registration_decline_undo,
        name="registration_decline_undo",
    ),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/", views.outbox_message, name="message"),
    path("outbox/<int:pk>/body/", views.outbox_message_html, name="message_body"),
    path("outbox/<int:pk>/retry/", views.outbox_message_retry, name="message_retry"),
]
