"""Response helpers shared by several apps."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def private_page(response: HttpResponse) -> HttpResponse:
    """Pages reached by a personal token: never cached, never indexed.

    The site-wide Referrer-Policy (same-origin) already keeps the token from other sites;
    "no-referrer" here would make browsers send "Origin: null" and fail the CSRF check.
    """
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


EMAIL_FRAME_POLICY = "default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'; sandbox"


def sandboxed_email(response: HttpResponse) -> HttpResponse:
    """An email's HTML shown inside a staff page: nothing in it runs, only our own pages may frame it.

    A sandboxed frame has an opaque origin, so the site-wide Cross-Origin-Resource-Policy
    (same-origin) would make the browser refuse to show it; the frame is protected by the login,
    the sandbox and X-Frame-Options instead.
    """
    response["Content-Security-Policy"] = EMAIL_FRAME_POLICY
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def link_invalid(request) -> HttpResponse:
    """A personal link (join, invitation, speaker) whose token matches nothing: the same page for all,
    so it never says which kind of link it was or whether anyone is registered."""
    return private_page(render(request, "core/link_invalid.html", status=404))


MAX_PATH = 2000


def local_path(request, value: str) -> str:
    """`value` if it is a path on this site a form may send the person back to ("next"), else "":
    never another site, never a scheme, never something `redirect()` would take for a view's name."""
    if not value or len(value) > MAX_PATH or not value.startswith("/") or value.startswith("//"):
        return ""
    if not value.isprintable() or not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return ""
    return value
