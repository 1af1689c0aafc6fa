"""A Redis outage, for real: two uvicorn processes share a redis-server, which is killed (SIGKILL) in the
middle of a live session. Every page still answers, the rate-limited forms still take submissions, an
attendee's question is stored and reaches this process's streams; when Redis is back on the same port,
the other process subscribes again by itself, catches up what it missed from the database and receives
new frames through Redis again."""

import re
from datetime import timedelta

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from podium.core.selectors import CACHE_KEY
from podium.live.bridge import CHANNEL
from podium.live.models import Question
from podium.registrations.models import Registration
from tests.support.processes import RedisServer, Server, wait_for
from tests.support.streams import Reader

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FETCH = {"X-Requested-With": "fetch"}  # as the live page's and the console's script send actions


@pytest.fixture
def live_event(make_event, add_speaker, organisation):
    start = timezone.now() - timedelta(minutes=10)
    event = make_event(
        title="Pakistan–Russia Relations",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        join_url="https://meet.jit.si/NIPS-test",
    )
    add_speaker(event, role="moderator", given_names="Amir", family_name="Yaqub")
    return event


def attendee(event, n: int) -> Registration:
    return Registration.objects.create(
        event=event,
        name=f"Attendee {n}",
        email=f"a{n}@example.org",
        segment="diplomat",
        status=Registration.Status.CONFIRMED,
        status_changed_at=timezone.now(),
    )


@pytest.fixture
def clients():
    """Browsers without script, in short: each keeps its own cookies."""
    made: list[httpx.Client] = []

    def client(base_url: str) -> httpx.Client:
        made.append(httpx.Client(base_url=base_url, timeout=10))
        return made[-1]

    yield client
    for each in made:
        each.close()


@pytest.fixture
def redis_and_two_servers(tmp_path):
    """A redis-server and two server processes using it; `here` counts rate limits, as in production."""
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    here = Server(tmp_path, redis_server.url, PODIUM_RATE_LIMIT_ENABLED="true")
    other = Server(tmp_path, redis_server.url)
    here.start()
    other.start()
    yield redis_server, here, other
    for server in (here, other):
        if server.process.poll() is None:
            server.stop()
    if redis_server.process.poll() is None:
        redis_server.stop()


def csrf_token(page: httpx.Response) -> str:
    match = CSRF.search(page.text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def cache_keys(redis_server: RedisServer) -> list[bytes]:
    import redis

    client = redis.Redis.from_url(redis_server.url, socket_timeout=5)
    try:
        return client.keys("*")
    finally:
        client.close()


@pytest.mark.django_db(transaction=True)
def test_a_redis_outage_keeps_the_site_and_the_live_session_up(live_event, make_event, redis_and_two_servers, clients):
    redis_server, here, other = redis_and_two_servers
    upcoming = make_event(title="Central Asia Connectivity")
    person, elsewhere = attendee(live_event, 1), attendee(live_event, 2)
    get_user_model().objects.create_superuser("moderator", "m@example.org", "outage-test-pw")
    base, base_other = f"http://127.0.0.1:{here.port}", f"http://127.0.0.1:{other.port}"

    # Before the outage Redis is really in use: the organisation row is cached there, and both
    # processes hold their subscription once a stream is open on each.
    assert httpx.get(base + "/", timeout=10).status_code == 200
    assert any(CACHE_KEY.encode() in key for key in cache_keys(redis_server))
    reader = Reader(base + reverse("live:stream", args=[person.token]))
    reader_other = Reader(base_other + reverse("live:stream", args=[elsewhere.token]))
    reader.start()
    reader_other.start()
    assert wait_for(lambda: redis_server.subscribers(CHANNEL) == 2, timeout=20)

    redis_server.stop()  # SIGKILL, mid-session

    visitor = clients(base)
    for path in [
        reverse("public:home"),
        reverse("public:event", args=[live_event.slug]),
        reverse("search:results") + "?q=Russia",  # rate-limited: counted in the cache
        reverse("live:page", args=[person.token]),
    ]:
        assert visitor.get(path).status_code == 200, path

    # A public form limited by the cache still takes a registration (and queues its email).
    register = reverse("registrations:register", args=[upcoming.slug])
    form = visitor.get(register)
    response = visitor.post(
        register,
        data={
            "csrfmiddlewaretoken": csrf_token(form),
            "name": "Amb. Naveed",
            "email": "naveed@example.org",
            "segment": "diplomat",
        },
    )
    assert response.status_code == 302, response.text
    assert Registration.objects.filter(event=upcoming, email="naveed@example.org").exists()

    # Staff log in (sessions are in the database) and the console and staff pages answer.
    staff = clients(base)
    login = staff.get(reverse("staff:login"))
    response = staff.post(
        reverse("staff:login"),
        data={"csrfmiddlewaretoken": csrf_token(login), "username": "moderator", "password": "outage-test-pw"},
    )
    assert response.status_code == 302, response.text
    assert staff.get(reverse("staff:dashboard")).status_code == 200
    assert staff.get(reverse("staff:registrations", args=[live_event.pk])).status_code == 200
    console = staff.get(reverse("live:console", args=[live_event.pk]))
    assert console.status_code == 200
    console_reader = Reader(base + reverse("live:console_stream", args=[live_event.pk]), cookies=dict(staff.cookies))
    console_reader.start()

    # The attendee asks, as the page's script does: stored, and on the moderators' stream at once.
    page = visitor.get(reverse("live:page", args=[person.token]))
    asked = visitor.post(
        reverse("live:ask", args=[person.token]),
        data={"csrfmiddlewaretoken": csrf_token(page), "text": "Asked while Redis was down?", "key": "k1"},
        headers=FETCH,
    )
    assert asked.status_code == 200 and asked.json()["status"] == "pending"
    question = Question.objects.get(text="Asked while Redis was down?")
    assert wait_for(lambda: any("Asked while Redis" in d for d in console_reader.texts("question_submitted")))

    # The moderator approves: this process's attendee stream gets it.
    approved = staff.post(
        reverse("live:question", args=[live_event.pk, question.pk, "approve"]),
        data={"csrfmiddlewaretoken": csrf_token(console)},
        headers=FETCH,
    )
    assert approved.status_code == 200 and approved.json() == {"ok": True}
    assert wait_for(lambda: any("Asked while Redis" in d for d in reader.texts("question_approved")), timeout=10)

    # Redis comes back on the same port, empty. The other process subscribes again by itself and
    # catches up from the database with what was published while it was away...
    redis_server.start()
    assert wait_for(lambda: any("Asked while Redis" in d for d in reader_other.texts("question_approved")), timeout=60)
    assert wait_for(lambda: redis_server.subscribers(CHANNEL) == 2, timeout=30)
    # ...and frames published from now on reach it through Redis again.
    second = visitor.post(
        reverse("live:ask", args=[person.token]),
        data={"csrfmiddlewaretoken": csrf_token(page), "text": "And after it came back?", "key": "k2"},
        headers=FETCH,
    )
    assert second.status_code == 200
    question = Question.objects.get(text="And after it came back?")
    approved = staff.post(
        reverse("live:question", args=[live_event.pk, question.pk, "approve"]),
        data={"csrfmiddlewaretoken": csrf_token(console)},
        headers=FETCH,
    )
    assert approved.status_code == 200
    assert wait_for(lambda: any("after it came back" in d for d in reader_other.texts("question_approved")), timeout=30)
    assert wait_for(lambda: any("after it came back" in d for d in reader.texts("question_approved")), timeout=10)
    for stream in (reader, reader_other):
        assert stream.ids() == sorted(set(stream.ids()))  # nothing twice, in order
        assert len(stream.texts("question_approved")) == 2

    # The cache is used again: the organisation row goes back into Redis.
    assert wait_for(
        lambda: visitor.get("/").status_code == 200 and any(CACHE_KEY.encode() in k for k in cache_keys(redis_server)),
        timeout=30,
    )
