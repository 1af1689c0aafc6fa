"""The sign-in guard by address alone: an address that keeps getting passwords wrong, whatever account
names it tries, is refused for a while.

django-axes locks one account from one address after a few failures (settings.AXES_*). Locking an
address after as few would lock a whole office behind one address out because one colleague mistyped,
on the morning of a live event; so the address alone has its own, higher limit, counted here in the
cache like the other per-address limits (podium.core.ratelimit, failing open while Redis is away).
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from podium.core.ratelimit import client_address, rate_limit_exceeded, rate_limit_reached

SCOPE = "login-failures"


def _window() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


class AddressLockoutBackend:
    """Listed after axes and before the password check: refuses every sign-in from an address that has
    reached its failure limit, before any password is tried. It has no get_user (no BaseBackend): it
    never signs anyone in, so a session must never name it as the backend that holds the user."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and rate_limit_reached(
            scope=SCOPE,
            key=client_address(request),
            limit=settings.PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT,
            window=_window(),
        ):
            request.axes_locked_out = True  # AxesMiddleware answers with the same lockout page as axes'
            raise PermissionDenied
        return None


@receiver(user_login_failed)
def login_failure_counted(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        rate_limit_exceeded(
            scope=SCOPE,
            key=client_address(request),
            limit=settings.PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT,
            window=_window(),
        )
