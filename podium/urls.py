"""The site's URL map: public pages, the personal token pages, staff pages and Django's admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from podium.reports.feeds import PressReleaseFeed

admin.site.site_header = "Podium administration"
admin.site.site_title = "Podium"

urlpatterns = [
    path("", include("podium.public.urls")),
    path("", include("podium.events.urls")),
    path("", include("podium.registrations.urls")),
    path("staff/", include("podium.staff.urls")),
    path("staff/", include("podium.audience.urls")),
    path("staff/", include("podium.reminders.urls")),
    path("staff/", include("podium.imports.urls")),
    path("", include("podium.campaigns.urls")),
    path("", include("podium.live.urls")),
    path("", include("podium.video.urls")),
    path("", include("podium.reports.urls")),
    path("search/", include("podium.search.urls")),
    path("reports/feed.atom", PressReleaseFeed(), name="reports_feed"),
    path("admin/", admin.site.urls),
]
if settings.PODIUM_SERVE_MEDIA:
    # Uploaded photos and logos; a production proxy serves MEDIA_ROOT itself (docs/deploy.md).
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
