"""Every form Podium serves, filled with hostile values: no answer is a server error, and a refused
submission leaves the database as it was.

The forms are found, not listed: the demo site is crawled as a visitor, a registrant (their manage
page and, with the webinar running, their live page), a speaker and a superuser would see it, and
every <form> on every page reached is collected with its fields. hypothesis then fills each field
with a value from the hostile set below or the form's own, and submits. The suite runs on SQLite
and on PostgreSQL, where a NUL byte that reached a query would fail.
"""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.demo.loader import demo_live_now, demo_load
from podium.events.models import Event, Participation
from podium.registrations.models import Registration
from podium.registrations.services import invitation_create

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "9" * 30,
    "-1",
    "0",
    "abc",
    "1.5",
    "٣",  # an Arabic-Indic digit: int() reads it
    "\u202egnp.exe",  # a direction override
    "zero\u200bwidth",
    "Name\r\nBcc: someone@example.org",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ settings.SECRET_KEY }}",
    "🙂" * 40,
]
FILES = [
    b"",
    b"\x00\xff" * 64,
    b"PK\x03\x04 not really a zip",
    b"\x89PNG\r\n\x1a\n not really a picture",
    b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: " + b"x" * 5000 + b"\n",
]
# Not forms to fuzz: leaving the session, signing in (a lockout guards it: tests/staff), Django's admin.
SKIP_ACTIONS = ("/staff/logout/", "/staff/login/", "/admin/")
SKIP_LINKS = (
    "/admin/",
    "/staff/logout/",
    "/media/",
    "/static/",
    "/stream/",
    ".ics",
    ".pdf",
    ".docx",
    ".md",
    ".atom",
    "/export.",
    "/press-release.",
    "/sample.vtt",
)
EXAMPLES_PER_FORM = 12


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    default: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    page: str
    action: str
    method: str
    fields: tuple[Field, ...]

    @property
    def key(self) -> tuple:
        return (self.method, _shape(self.action), tuple(sorted({f.name for f in self.fields})))


def _shape(path: str) -> str:
    """A path with its ids and tokens replaced, so one form on many pages is fuzzed once."""
    return "/".join("*" if any(c.isdigit() for c in part) or len(part) > 20 else part for part in path.split("/"))


class Page(HTMLParser):
    def __init__(self, url: str):
        super().__init__()
        self.url, self.links, self.forms = url, [], []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            self._form = {
                "action": urljoin(self.url, a.get("action") or self.url),
                "method": (a.get("method") or "get").lower(),
                "fields": [],
            }
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind not in ("submit", "button", "image", "reset"):
                self._form["fields"].append(Field(a["name"], kind, a.get("value") or ""))
        elif self._form is not None and tag == "button" and a.get("name"):
            self._form["fields"].append(Field(a["name"], "button", a.get("value") or ""))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "options": []}
        elif self._select is not None and tag == "option":
            self._select["options"].append(a.get("value") or "")
        elif self._form is not None and tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            options = tuple(self._select["options"])
            self._form["fields"].append(Field(self._select["name"], "select", options[0] if options else "", options))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append(Field(self._textarea["name"], "textarea", self._textarea["text"]))
            self._textarea = None
        elif tag == "form" and self._form is not None:
            path = urlsplit(self._form["action"]).path
            if not path.startswith(SKIP_ACTIONS):
                self.forms.append(
                    Form(urlsplit(self.url).path, path, self._form["method"], tuple(self._form["fields"]))
                )
            self._form = None


def crawl(client: Client, starts: list[str], *, pages: int = 80) -> list[Form]:
    """The forms on the pages reachable from `starts` within the site, each shape once."""
    queue, seen, forms = list(starts), set(), {}
    while queue and len(seen) < pages:
        path = urlsplit(queue.pop(0)).path
        if path in seen or not path.startswith("/") or any(s in path for s in SKIP_LINKS):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = Page("http://testserver" + path)
        page.feed(response.content.decode())
        for form in page.forms:
            forms.setdefault(form.key, form)
        queue.extend(link for link in page.links if urlsplit(link).netloc in ("", "testserver"))
    return list(forms.values())


def _row_counts() -> dict[str, int]:
    """How many rows each of Podium's tables holds, in one query."""
    tables = [m._meta.db_table for m in apps.get_models() if m.__module__.startswith("podium.")]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _values(form: Form):
    def for_field(field: Field):
        if field.name == "csrfmiddlewaretoken":
            return st.just(field.default)
        if field.kind == "file":
            return st.sampled_from(FILES).map(lambda data, n=field.name: SimpleUploadedFile(f"{n}.bin", data))
        own = [field.default, *field.options]
        return st.sampled_from([*dict.fromkeys(own), *HOSTILE])

    return st.fixed_dictionaries({field.name: for_field(field) for field in form.fields})


def _refused(response) -> bool:
    if 400 <= response.status_code < 500:
        return True
    if response.status_code in (301, 302, 303):
        return any(m.level_tag == "error" for m in get_messages(response.wsgi_request))
    return False


def fuzz(client: Client, forms: list[Form]) -> list[str]:
    """Submit hostile values to every form; returns what went wrong, to assert once at the end."""
    problems: list[str] = []
    for form in forms:
        _fuzz_one(client, form, problems)()
    return problems


def _fuzz_one(client: Client, form: Form, problems: list[str]):
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=_values(form))
    def submit(values):
        client.cookies.pop("messages", None)  # so that the messages after this request are this request's
        before = _row_counts()
        if form.method == "post":
            response = client.post(form.action, values)
        else:
            response = client.get(form.action, {k: v for k, v in values.items() if isinstance(v, str)})
        if response.status_code >= 500:
            problems.append(
                f"{form.method.upper()} {form.action} (form on {form.page}) answered {response.status_code} "
                f"to {sorted(values)}"
            )
        elif _refused(response) and (after := _row_counts()) != before:
            changed = sorted(table for table in after if after[table] != before[table])
            problems.append(
                f"{form.method.upper()} {form.action} refused {values} but changed {', '.join(changed)}"[:600]
            )

    return submit


@pytest.fixture
def demo(db, settings):
    settings.PODIUM_RATE_LIMIT_ENABLED = False
    demo_load()
    demo_live_now()  # the webinar running, so its registrants' live pages and forms are there
    return Event.objects.get(slug="pakistan-central-asia-connectivity")


def test_public_and_personal_forms_refuse_hostile_input_cleanly(demo):
    registration = Registration.objects.filter(event=demo, status=Registration.Status.CONFIRMED).first()
    speaker = Participation.objects.filter(event=demo).first()
    invitation = invitation_create(event=demo, email="invitee@example.org", name="Dr. Invitee")
    client = Client(raise_request_exception=False)
    starts = [
        "/",
        f"/r/{registration.manage_token}/",
        f"/j/{registration.token}/",
        f"/speak/{speaker.token}/",
        f"/i/{invitation.token}/",
        f"/i/{invitation.token}/accept/",
        f"/i/{invitation.token}/decline/",
    ]
    forms = crawl(client, starts)
    assert len(forms) >= 8, [f.action for f in forms]  # registration, search, manage, cancel, speaker, ask, vote...
    problems = fuzz(client, forms)
    assert not problems, "\n".join(problems)


def test_staff_forms_refuse_hostile_input_cleanly(demo):
    user = get_user_model().objects.create_superuser("fuzzer", "fuzzer@example.org", "pw-fuzz-1234")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    forms = crawl(
        client,
        [
            "/staff/",
            f"/staff/live/{demo.pk}/",
            f"/staff/events/{demo.pk}/report/",
            f"/staff/events/{demo.pk}/transcript/",
            "/staff/campaigns/new/",
            "/staff/people/",
        ],
        pages=120,
    )
    assert len(forms) >= 20, [f.action for f in forms]
    problems = fuzz(client, forms)
    assert not problems, "\n".join(problems)
