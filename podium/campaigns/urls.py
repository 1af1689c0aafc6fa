from django.urls import path

from podium.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("staff/campaigns/", views.campaign_list, name="list"),
    path("staff/campaigns/new/", views.campaign_edit, name="new"),
    path("staff/campaigns/<int:pk>/", views.campaign_detail, name="detail"),
    path("staff/campaigns/<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("staff/campaigns/<int:pk>/send/", views.campaign_send, name="send"),
    path("staff/campaigns/<int:pk>/cancel/", views.campaign_cancel, name="cancel"),
    path("staff/campaigns/<int:pk>/retry/", views.campaign_retry, name="retry"),
    path("staff/campaigns/<int:pk>/progress.json", views.campaign_progress, name="progress"),
    path("staff/campaigns/<int:pk>/preview/", views.campaign_preview_body, name="preview_body"),
    path("staff/events/<int:pk>/invitations/", views.event_invitations, name="event"),
    path("staff/campaigns/templates/", views.template_list, name="templates"),
    path("staff/campaigns/templates/new/", views.template_edit, name="template_new"),
    path("staff/campaigns/templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("i/<str:token>/accept/", views.accept, name="accept"),
    path("i/<str:token>/decline/", views.decline, name="decline"),
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
