"""Fixed-window rate limits for public forms, sign-in and guessed personal links, counted in the shared cache
(Redis when configured)."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render


def client_address(request) -> str:
    # Only the socket's address: behind a proxy, uvicorn's --proxy-headers with
    # --forwarded-allow-ips puts the real client there. A raw X-Forwarded-For is the
    # client's to invent, so it never decides a rate limit.
    return request.META.get("REMOTE_ADDR") or "unknown"


def client_ip_or_none(request) -> str | None:
    """The same address for django-axes (settings.AXES_CLIENT_IP_CALLABLE), which keeps it in an IP address
    column: None when the server gave none (a Unix socket, a request made in code), not "unknown"."""
    return request.META.get("REMOTE_ADDR") or None


def _cache_key(scope: str, key: str, window: int) -> str:
    return f"podium:rl:{scope}:{key}:{int(time.time() // window)}"


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit for key in scope; true once the window holds more than limit hits."""
    if not settings.PODIUM_RATE_LIMIT_ENABLED:
        return False
    cache_key = _cache_key(scope, key, window)
    if cache.add(cache_key, 1, timeout=window + 5):
        return 1 > limit
    try:
        return cache.incr(cache_key) > limit
    except ValueError:
        # No count to add to: it expired between add and incr, or Redis is away and the cache keeps
        # nothing (podium.core.cache). Either way the hit goes through: limits fail open.
        cache.add(cache_key, 1, timeout=window + 5)
        return False


def rate_limit_reached(*, scope: str, key: str, limit: int, window: int) -> bool:
    """True when the window already holds `limit` hits or more; counts nothing (None with Redis away)."""
    if not settings.PODIUM_RATE_LIMIT_ENABLED:
        return False
    return (cache.get(_cache_key(scope, key, window)) or 0) >= limit


def rate_limited_response(request, *, window: int) -> HttpResponse:
    """The polite 429 page, never cached (it may answer a personal link)."""
    response = render(request, "core/rate_limited.html", status=429)
    response["Retry-After"] = str(window)
    response["Cache-Control"] = "private, no-store"
    return response


def rate_limited(
    scope: str,
    *,
    limit_setting: str,
    methods: tuple[str, ...] = ("POST",),
    key=None,
    window_setting: str = "PODIUM_RATE_LIMIT_WINDOW",
):
    """Answer 429 with a readable page when one address (or `key(request, **kwargs)`) submits too often."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and rate_limit_exceeded(
                scope=scope,
                key=key(request, **kwargs) if key else client_address(request),
                limit=getattr(settings, limit_setting),
                window=getattr(settings, window_setting),
            ):
                return rate_limited_response(request, window=getattr(settings, window_setting))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class PersonalLinkGuessLimit:
    """Middleware: an address that has opened more than PODIUM_RATE_LIMIT_LINK_MISSES personal links
    matching nothing (404) within the window gets the 429 page for every personal link, valid or not,
    until the window ends. A personal link is any URL with a `token` (/r/, /i/, /j/, /live/, /speak/,
    /u/). Only misses count: a person opening their own link again and again is never limited, and an
    institute whose attendees all join from one address is not either. Once limited, valid tokens are
    refused too, or the difference between 429 and 200 would tell a guesser which token exists."""

    scope = "link-miss"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "podium_personal_link", False) and response.status_code == 404:
            rate_limit_exceeded(
                scope=self.scope,
                key=client_address(request),
                limit=settings.PODIUM_RATE_LIMIT_LINK_MISSES,
                window=settings.PODIUM_RATE_LIMIT_WINDOW,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "token" not in view_kwargs:
            return None
        request.podium_personal_link = True
        if rate_limit_reached(
            scope=self.scope,
            key=client_address(request),
            limit=settings.PODIUM_RATE_LIMIT_LINK_MISSES,
            window=settings.PODIUM_RATE_LIMIT_WINDOW,
        ):
            return rate_limited_response(request, window=settings.PODIUM_RATE_LIMIT_WINDOW)
        return None
