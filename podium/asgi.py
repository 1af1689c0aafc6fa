"""ASGI entry point, served by uvicorn.

Attendees' and speakers' live streams go to the lean endpoint in podium.live.streams (thousands
stay open at once; decision 17); everything else goes to Django.
"""

import os

from asgiref.sync import markcoroutinefunction
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
django_application = get_asgi_application()

from podium.live import streams  # noqa: E402  (needs the settings and apps loaded above)


@markcoroutinefunction
def application(scope, receive, send):
    """Hands over the coroutine of whichever app serves the path, adding no frame of its own to the
    thousands of open streams."""
    if streams.serves(scope):
        return streams.stream(scope, receive, send)
    return django_application(scope, receive, send)
