"""Fixed-window rate limits for public forms, counted in the shared cache (Redis when configured)."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_address(request) -> str:
    # Only the socket's address: behind a proxy, uvicorn's --proxy-headers with
    # --forwarded-allow-ips puts the real client there. A raw X-Forwarded-For is the
    # client's to invent, so it never decides a rate limit.
    return request.META.get("REMOTE_ADDR") or "unknown"


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit for key in scope; true once the window holds more than limit hits."""
    if not settings.PODIUM_RATE_LIMIT_ENABLED:
        return False
    bucket = int(time.time() // window)
    cache_key = f"podium:rl:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 5):
        return 1 > limit
    try:
        return cache.incr(cache_key) > limit
    except ValueError:
        # No count to add to: it expired between add and incr, or Redis is away and the cache keeps
        # nothing (podium.core.cache). Either way the hit goes through: limits fail open.
        cache.add(cache_key, 1, timeout=window + 5)
        return False


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
                response = render(request, "core/rate_limited.html", status=429)
                response["Retry-After"] = str(getattr(settings, window_setting))
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
