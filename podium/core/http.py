"""Response helpers shared by several apps."""

from django.http import HttpResponse

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
