"""Every address only a button posts to, opened with GET (a reload, a pasted link), answers 405 with a
page that says so and leads back, not the browser's bare "HTTP ERROR 405"; the Allow header stays."""

import asyncio
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, converters, get_resolver, reverse

pytestmark = pytest.mark.django_db

SAMPLES = {converters.IntConverter: 1, converters.UUIDConverter: uuid.UUID(int=1)}


def named_urls(patterns=None, namespace: str = ""):
    """(view, URL) for every named pattern outside the admin, with sample values for its parts."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            kwargs = {
                key: SAMPLES.get(type(converter), "x")
                for key, converter in getattr(pattern.pattern, "converters", {}).items()
            }
            yield pattern.callback, reverse(f"{namespace}{pattern.name}", kwargs=kwargs)


@pytest.fixture
def staff_client():
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-for-tests")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_every_post_only_address_opened_with_get_explains_itself(staff_client):
    refused = []
    for view, url in named_urls():
        if asyncio.iscoroutinefunction(view):  # the live streams: read with GET, never posted to
            continue
        response = staff_client.get(url, HTTP_REFERER="http://testserver/staff/events/")
        if response.status_code != 405:
            continue
        refused.append(url)
        html = response.content.decode()
        assert "This page is reached by a button" in html, url
        assert '<a class="button" href="/staff/events/">' in html, url  # back where the person came from
        assert "POST" in response["Allow"], url
    # the ones the tester reloaded are among them, and there are many more
    assert "/staff/campaigns/1/send/" in refused and "/staff/events/1/report/x/" in refused
    assert len(refused) > 20
    response = staff_client.get(reverse("reports:action", args=[1, "publish"]))
    assert response.status_code == 405 and "This page is reached by a button" in response.content.decode()


def test_the_way_back_is_never_another_site(client, staff_client):
    url = "/staff/campaigns/1/send/"
    assert reverse("campaigns:send", args=[1]) == url
    for referer in ("https://evil.example.org/staff/", "", "http://testserver" + url):
        response = staff_client.get(url, HTTP_REFERER=referer)
        assert response.status_code == 405
        assert f'<a class="button" href="{reverse("staff:dashboard")}">' in response.content.decode()
    response = client.get(reverse("live:ask", args=["some-token"]))
    assert response.status_code == 405 and f'href="{reverse("public:home")}"' in response.content.decode()


def test_the_pages_scripts_still_get_a_bare_405(staff_client):
    response = staff_client.get("/staff/campaigns/1/send/", HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 405 and response.content == b""
