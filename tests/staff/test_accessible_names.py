"""Repeated buttons say what they act on, in the server's markup: the agenda builder's row buttons, the
press release's "Edit" of each point, and the console's question filters and poll actions."""

import re

import pytest
from django.urls import reverse

from podium.live import services as live_services
from podium.reports.models import Point

pytestmark = pytest.mark.django_db


def test_agenda_row_buttons_read_name_after_colon_without_a_stray_space(admin_client, make_event, add_speaker):
    event = make_event()
    add_speaker(event, honorific="Dr.", given_names="Sara", family_name="Baloch")
    html = admin_client.get(reverse("staff:agenda", args=[event.pk])).content.decode()
    for label in ("Up", "Down", "Set role", "Remove"):
        assert f'aria-label="{label}: Dr. Sara Baloch">{label}</button>' in html
    assert 'visually-hidden">: ' not in html


def test_each_points_edit_toggle_names_its_speaker_and_words(admin_client, make_event, add_speaker):
    event = make_event()
    sara = add_speaker(event, honorific="Dr.", given_names="Sara", family_name="Baloch")
    omar = add_speaker(event, order=1, given_names="Omar", family_name="Khan")
    Point.objects.create(event=event, participation=sara, text="water storage must double by 2035 at the latest")
    Point.objects.create(event=event, participation=omar, text="the treaty has held for sixty years")
    html = admin_client.get(reverse("reports:workspace", args=[event.pk])).content.decode()
    names = re.findall(r'<summary aria-label="([^"]+)">Edit</summary>', html)
    assert names == [
        "Edit point by Dr. Sara Baloch: water storage must double by 2035 …",
        "Edit point by Omar Khan: the treaty has held for sixty …",
    ]


def test_the_consoles_two_opens_are_told_apart(admin_client, make_event):
    event = make_event()
    live_services.poll_create(event=event, question="On track?", options=["Yes", "No"])
    html = admin_client.get(reverse("live:console", args=[event.pk])).content.decode()
    assert 'data-filter="open" aria-label="Show open questions"' in html
    assert ">Open the poll</button>" in html and html.count(">Open</button>") == 1  # the filter
