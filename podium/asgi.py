"""ASGI entry point, served by uvicorn (the live page streams)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
application = get_asgi_application()
