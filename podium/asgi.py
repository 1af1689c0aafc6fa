"""ASGI entry point, served by uvicorn.

Attendees' and speakers' live streams go to the lean endpoint in podium.live.streams (thousands
stay open at once; decision 17); everything else goes to Django. The live hub gets its
collaborators here, once, before the first request: nothing in podium.live wires itself on import.
"""

import os

from asgiref.sync import markcoroutinefunction
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402  (the imports below need the settings and apps loaded above)

from podium.core.uploads import body_ceiling  # noqa: E402
from podium.live import streams  # noqa: E402
from podium.live.bridge import RedisBridge  # noqa: E402
from podium.live.hub import hub  # noqa: E402

django_bounded = body_ceiling(django_application)  # no body past the upload ceiling reaches Django

hub.wire(
    reload=streams.reload,  # frames a channel missed, from the database
    alive=streams.server_alive,  # this process's heartbeat in the database, for "connected now"
    bridge=RedisBridge(settings.REDIS_URL) if settings.REDIS_URL else None,  # to and from the other processes
)


@markcoroutinefunction
def application(scope, receive, send):
    """Hands over the coroutine of whichever app serves the path, adding no frame of its own to the
    thousands of open streams."""
    if streams.serves(scope):
        return streams.stream(scope, receive, send)
    return django_bounded(scope, receive, send)
