"""The Redis bridge and the hub's wiring: a request that emits live events never waits for Redis, even a
Redis that accepts connections and answers nothing; this process's streams get the events all the same;
what waits for Redis is bounded; and nothing in podium.live wires the hub on import (podium/asgi.py does)."""

import asyncio
import logging
import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.live import services
from podium.live.bridge import CHANNEL, RedisBridge
from podium.live.hub import Hub
from podium.registrations.models import Registration
from tests.support.processes import RedisServer, wait_for


@pytest.fixture
def hung_redis(tmp_path):
    """A real redis-server, stopped (SIGSTOP): the kernel still accepts connections for it, and nothing
    answers, the way a Redis that hangs does. Carries on (SIGCONT) when the test calls `resume`."""
    server = RedisServer(tmp_path)
    server.start()
    server.process.send_signal(signal.SIGSTOP)
    server.resume = lambda: server.process.send_signal(signal.SIGCONT)
    yield server
    server.resume()
    server.stop()


@pytest.fixture
def loop_hub(monkeypatch):
    """A hub of this test's own, on an event loop in a thread as in the server, used by the services."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    hub = Hub()
    monkeypatch.setattr(services, "hub", hub)
    yield hub, loop

    async def stop():
        for task in hub._tasks:
            task.cancel()
        await asyncio.gather(*hub._tasks, return_exceptions=True)

    asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


@pytest.mark.django_db(transaction=True)
def test_a_request_returns_while_redis_hangs_and_this_process_s_streams_get_its_events(
    admin_client, make_event, hung_redis, loop_hub
):
    hub, loop = loop_hub
    start = timezone.now() - timedelta(minutes=10)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2), join_url="https://meet.jit.si/x")
    asker = Registration.objects.create(
        event=event,
        name="Attendee",
        email="a@example.org",
        segment="diplomat",
        status=Registration.Status.CONFIRMED,
        status_changed_at=timezone.now(),
    )
    # Waiting on Redis would hold the request for two minutes: long enough to see, no timing needed.
    bridge = RedisBridge(hung_redis.url, timeout=120)
    hub.wire(bridge=bridge)
    written = []

    async def open_stream():
        hub.attach()

        async def send(message):
            written.append(message["body"])

        hub.channel(event.pk).listen(send, moderator=True, after=0)

    asyncio.run_coroutine_threadsafe(open_stream(), loop).result(10)

    question, _ = services.question_ask(registration=asker, text="Still there?", client_key="k")
    response = admin_client.post(
        reverse("live:question", args=[event.pk, question.pk, "approve"]), HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 200 and response.json() == {"ok": True}
    # The request has returned, and Redis has answered nothing yet: it did not wait for Redis.
    assert (bridge.published, bridge.failed) == (0, 0)
    # This process's stream got every event straight from the hub (the console: the moderators' approval
    # only, not the attendees' copy).
    assert wait_for(lambda: sum(b"question_approved" in body for body in written) == 1, timeout=10)
    assert b"question_submitted" in written[0]

    hung_redis.resume()  # Redis answers again: what was waiting goes out, nothing was given up
    assert wait_for(lambda: bridge.published == 3, timeout=30)
    assert bridge.failed == 0


def test_what_waits_for_redis_is_bounded_and_the_newest_gets_through(hung_redis):
    """While Redis hangs the queue keeps only the newest messages: the newest is what shows the other
    processes the gap they then read from the database."""
    import redis

    hung_redis.resume()
    listener = redis.Redis.from_url(hung_redis.url).pubsub()
    listener.subscribe(CHANNEL)
    assert listener.get_message(timeout=5)["type"] == "subscribe"
    hung_redis.process.send_signal(signal.SIGSTOP)

    bridge = RedisBridge(hung_redis.url, timeout=120, backlog=2)
    for n in range(5):
        bridge.publish(f"m{n}")
    assert len(bridge.queue) <= 2 and list(bridge.queue)[-1] == "m4"
    hung_redis.resume()
    received = []

    def newest_arrived() -> bool:
        if (message := listener.get_message(timeout=0.1)) is not None:
            received.append(message["data"].decode())
        return received[-1:] == ["m4"]

    assert wait_for(newest_arrived, timeout=30)
    # m0 may have been on its way when Redis stopped; m1 and m2 were given up for the newer ones.
    assert received in (["m0", "m3", "m4"], ["m3", "m4"])
    listener.close()


def test_importing_the_live_app_wires_nothing_and_the_asgi_entry_point_wires_the_hub(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from podium.live import streams, views\n"
        "from podium.live.hub import hub\n"
        "print(hub.reload, hub.alive, hub.bridge)\n"
        "import podium.asgi\n"
        "print(hub.reload is streams.reload, hub.alive is streams.server_alive, type(hub.bridge).__name__)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "podium.settings",
        "PODIUM_DATA_DIR": str(tmp_path),
        "PODIUM_REDIS_URL": "redis://127.0.0.1:9/0",  # never reached: wiring connects to nothing
    }
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["None None None", "True True RedisBridge"]


def test_the_subscription_comes_back_by_itself_after_redis_is_killed_and_says_so_once(tmp_path, caplog):
    """A real redis-server killed (SIGKILL) under the subscription and started again on the same port:
    the bridge keeps trying, logs the loss once (not at every try), subscribes again by itself, calls
    its catch-up, and receives what is published from then on."""
    import redis

    caplog.set_level(logging.WARNING, logger="podium.live")
    server = RedisServer(tmp_path)
    server.start()
    bridge = RedisBridge(server.url)
    received: list[bytes] = []
    catch_ups: list[int] = []

    async def catch_up():
        catch_ups.append(bridge.subscriptions)

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def start() -> asyncio.Task:
        return asyncio.get_running_loop().create_task(bridge.listen(received.append, catch_up))

    async def stop():
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)

    listening = asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    publisher = redis.Redis.from_url(server.url, socket_timeout=5)
    try:
        assert wait_for(lambda: catch_ups == [1], timeout=10)
        server.stop()
        assert wait_for(lambda: bridge.subscribe_failures >= 3, timeout=30)  # kept trying, with backoff
        assert not bridge.subscribed
        server.start()
        assert wait_for(lambda: catch_ups == [1, 2], timeout=30)
        assert wait_for(lambda: publisher.publish(CHANNEL, "after") == 1, timeout=10)
        assert wait_for(lambda: received == [b"after"], timeout=10)
    finally:
        publisher.close()
        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        if server.process.poll() is None:
            server.stop()
    warnings = [r.getMessage() for r in caplog.records if r.name == "podium.live"]
    assert len([w for w in warnings if "subscription lost" in w]) == 1
    assert len([w for w in warnings if "subscribed to Redis again" in w]) == 1
