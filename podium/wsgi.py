"""WSGI entry point, for servers that cannot speak ASGI (the live page then cannot stream)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (the imports below need the settings and apps loaded above)

from podium.live.bridge import RedisBridge  # noqa: E402
from podium.live.hub import hub  # noqa: E402

# No streams here, but live events made by these processes still reach the ASGI servers' streams.
hub.wire(bridge=RedisBridge(settings.REDIS_URL) if settings.REDIS_URL else None)
