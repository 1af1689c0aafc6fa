"""The Django Channels reference of bench/live_fanout.py: what a Django team would build by default.

    BENCH_CHANNELS_PREFIX=... BENCH_CHANNELS_DB=/tmp/x.sqlite3 \
        python -m uvicorn --app-dir bench/live_fanout channels_app:application --port PORT

A minimal Django project in this one module (settings.configure; SQLite in a temporary file,
unused by the consumers; no Podium code). Channel layer (BENCH_CHANNELS_LAYER): `core`,
channels_redis.core.RedisChannelLayer, the layer the Channels documentation sets up (the default
here), or `pubsub`, channels_redis.pubsub.RedisPubSubChannelLayer; on redis://127.0.0.1:6379
(BENCH_REDIS_URL), with a key prefix of its own per run and a connection pool of 1024 instead of
redis-py's 100 (see LAYERS below). It routes two paths:

* GET /live/<token>/stream/ - `LiveStream`, a channels.generic.http.AsyncHttpConsumer: joins the
  group "live", sends the SSE headers and a first `retry:`, and writes every group message it is
  given with send_body(more_body=True). AsyncHttpConsumer.http_request stops the consumer as soon
  as handle() returns (django/channels issues #1302, #1747), so no group message could ever
  reach it; the usual fix, done here, is to override http_request so the consumer lives until
  http_disconnect, where it leaves the group.
* POST /publish - `Publish`: numbers the event, encodes the SSE frame once (the same bytes as the
  floor) and calls channel_layer.group_send("live", ...); answers 200 after group_send returns.
"""

import itertools
import json
import os

import django
from django.conf import settings

GROUP = "live"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PREFIX = os.environ.get("BENCH_CHANNELS_PREFIX", "bench-fanout")
LAYERS = {
    # The default of the Channels documentation. redis-py's asyncio pool allows 100 connections
    # and raises MaxConnectionsError past that: with 256 streams connecting at once, 40 % of the
    # group_add calls failed. Raised to 1024.
    "core": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [{"address": REDIS_URL, "max_connections": 1024}], "prefix": PREFIX},
    },
    # The Pub/Sub layer (documented as the newer, lighter alternative): one Redis PUBLISH per
    # group_send, and each process puts the message into the queue of each local member.
    "pubsub": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [{"address": REDIS_URL, "max_connections": 1024}], "prefix": PREFIX},
    },
}

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-live-fanout-not-secret",
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=["channels"],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("BENCH_CHANNELS_DB", ":memory:")}
        },
        ROOT_URLCONF=__name__,
        USE_TZ=True,
        CHANNEL_LAYERS={"default": LAYERS[os.environ.get("BENCH_CHANNELS_LAYER", "core")]},
    )
    django.setup()

from channels.exceptions import StopConsumer  # noqa: E402 - after django.setup()
from channels.generic.http import AsyncHttpConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

urlpatterns = []  # ROOT_URLCONF: Django's own URL map is not used
_seq = itertools.count(1)


class LiveStream(AsyncHttpConsumer):
    async def http_request(self, message):
        if message.get("more_body"):
            return
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.send_headers(headers=[(b"Content-Type", b"text/event-stream"), (b"Cache-Control", b"no-cache")])
        await self.send_body(b"retry: 2000\n\n", more_body=True)

    async def live_frame(self, message):
        await self.send_body(message["frame"], more_body=True)

    async def http_disconnect(self, message):
        await self.channel_layer.group_discard(GROUP, self.channel_name)
        raise StopConsumer()


class Publish(AsyncHttpConsumer):
    async def handle(self, body):
        seq = next(_seq)
        payload = json.dumps(
            {
                "id": seq,
                "text": json.loads(body)["text"],
                "status": "approved",
                "pinned": False,
                "upvotes": 0,
                "asker": None,
                "to": None,
            },
            separators=(",", ":"),
        )
        frame = f"id: {seq}\nevent: question_approved\ndata: {payload}\n\n".encode()
        await self.channel_layer.group_send(GROUP, {"type": "live.frame", "frame": frame})
        await self.send_response(200, b"ok", headers=[(b"Content-Type", b"text/plain")])


application = ProtocolTypeRouter(
    {
        "http": URLRouter(
            [
                path("live/<str:token>/stream/", LiveStream.as_asgi()),
                path("publish", Publish.as_asgi()),
            ]
        ),
    }
)
