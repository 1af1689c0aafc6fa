"""Security headers Django does not set itself (a strict Content Security Policy and a permissions policy),
the idle timeout of signed-in sessions, and a readable page for an address opened that only a button posts to."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import render
from django.urls import reverse

from podium.core.errors import wants_json
from podium.core.http import local_path

# Our own pages use no inline script or style, so the policy can forbid both.
SITE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
# Django's admin uses a few inline styles.
ADMIN_POLICY = SITE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# On every answer: Django's pages (this middleware; Django's own SecurityMiddleware sets the last two
# from settings as well) and the live streams, which podium.live.streams answers before Django.
SECURITY_HEADERS = {
    "Content-Security-Policy": SITE_POLICY,
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def policies_with_video(origin: str) -> dict[str, str]:
    """The headers of a page that embeds a video room from `origin` (Jitsi's IFrame API): its script and
    frame may load, and the frame may use the camera, microphone and screen sharing. Only that origin."""
    return {
        "Content-Security-Policy": SITE_POLICY.replace("script-src 'self'", f"script-src 'self' {origin}")
        + f"; frame-src {origin}",
        "Permissions-Policy": (
            f'camera=(self "{origin}"), microphone=(self "{origin}"), '
            f'display-capture=(self "{origin}"), fullscreen=(self "{origin}"), '
            "geolocation=(), payment=(), usb=()"
        ),
    }


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefix):
            response.headers.setdefault("Content-Security-Policy", ADMIN_POLICY)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not settings.DEBUG:
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class SignedInIdleTimeoutMiddleware:
    """A signed-in session ends PODIUM_IDLE_TIMEOUT seconds after its last request, not two weeks after
    sign-in. Each request moves the end (the session row's expiry, which Django enforces), at most once a
    minute so that a busy console does not write on every poll. Anonymous sessions are left alone: their
    requests cause no write and no cookie."""

    seen_key = "podium_seen"
    refresh_after = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:  # signed in (also just now, by this request)
            now = int(time.time())
            idle = settings.PODIUM_IDLE_TIMEOUT
            if now - session.get(self.seen_key, 0) >= self.refresh_after or session.get_expiry_age() > idle:
                session[self.seen_key] = now
                session.set_expiry(idle)
        return response


class MethodNotAllowedPageMiddleware:
    """An address only a form's button posts to (sending a campaign, publishing a press release), opened
    or reloaded in the browser: Django answers 405 with an empty body, which browsers show as a bare
    "HTTP ERROR 405". The one place that turns it into a page saying so, with a way back; still 405, with
    the same Allow header. Answers that say something already, and the pages' scripts, are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or request.method not in ("GET", "HEAD")
            or response.streaming
            or response.content.strip()
            or wants_json(request)
        ):
            return response
        page = render(request, "405.html", {"back": self.back(request)}, status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page

    @staticmethod
    def back(request) -> str:
        """Where the button is: the page the person came from, if it is on this site, else their start page."""
        referer = urlsplit(request.headers.get("Referer", ""))
        if referer.scheme == request.scheme and referer.netloc == request.get_host():
            path = local_path(request, referer.path + (f"?{referer.query}" if referer.query else ""))
            if path and path != request.path:
                return path
        user = getattr(request, "user", None)
        return reverse("staff:dashboard") if user is not None and user.is_staff else reverse("public:home")
