"""Search: ranking, prefixes, what is public, the index following edits, hostile input and the results page.

The same tests run on SQLite (FTS5) and, with PODIUM_DATABASE_URL pointing at PostgreSQL, on its full-text search.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Event, Participation, Role
from podium.people.models import Designation
from podium.reports.models import Report, ReportVersion
from podium.search import views
from podium.search.models import SearchEntry
from podium.search.selectors import query_terms, search, search_counts
from podium.search.services import search_entry_refresh, search_index_rebuild

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '""',
    "'",
    "NEAR",
    "NEAR(kozin russia)",
    "*",
    "kozin*",
    "OR",
    "AND",
    "NOT",
    "kozin OR",
    "OR kozin",
    "- kozin",
    "-kozin",
    "kozin -russia",
    "title:kozin",
    "^kozin",
    "(",
    ")",
    "{",
    ":",
    "\\",
    "%",
    "_",
    "%_%",
    "'; DROP TABLE search_searchentry; --",
    "\x00",
    "\x02kozin\x03",
    "💥",
    "“Pakistan–Russia”",
    "   ",
    "",
    "a" * 5000,
    " ".join(["kozin"] * 50),
    "koz" + "\u0301",
    "<script>",
    "!!!",
    "…",
    "the",
    "the of and",
]


def titles(hits) -> list[str]:
    return [hit.title for hit in hits]


def publish(event: Event, headline: str, body: str) -> Report:
    """What the reports service does: a version, then published_version, published_at and status, saved."""
    report = Report.objects.create(event=event)
    version = ReportVersion.objects.create(report=report, number=1, headline=headline, body=body, change="Written")
    report.current_version = report.published_version = version
    report.published_at, report.status = timezone.now(), Report.Status.PUBLISHED
    report.save()
    return report


@pytest.fixture
def kozin(make_person):
    return make_person(
        honorific="Dr.",
        given_names="Vladimir",
        family_name="Kozin",
        designations=[("Leading Expert", "MGIMO", True)],
        bio="Writes on arms control.",
    )


@pytest.fixture
def russia_event(make_event, kozin):
    event = make_event(
        title="Pakistan–Russia Relations: Prospects of Bilateral Cooperation",
        abstract="Where relations stand and where they may go.",
    )
    Participation.objects.create(
        event=event, person=kozin, role=Role.MAIN_SPEAKER, confirmation=Participation.Confirmation.CONFIRMED
    )
    return event


# Ranking, prefixes and names -------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_match(make_event):
    in_body = make_event(title="Water and the Indus basin", abstract="On hydropolitics between neighbours.")
    in_title = make_event(title="Hydropolitics in South Asia", abstract="Rivers, treaties and trust.")
    search_index_rebuild()
    hits = search(query="hydropolitics")
    assert titles(hits) == [in_title.title, in_body.title]
    assert hits[0].rank != hits[1].rank


def test_the_last_word_matches_as_a_prefix(russia_event, kozin):
    search_index_rebuild()
    assert "Dr. Vladimir Kozin" in titles(search(query="koz"))
    assert russia_event.title in titles(search(query="pakistan bilat"))
    assert search(query="koz pakistan") == []  # only the last word is a prefix


def test_people_are_found_by_name_without_their_rank(russia_event, kozin):
    search_index_rebuild()
    for query in ("Kozin", "kozin", "Vladimir Kozin", "KOZIN"):
        hits = search(query=query, kind=SearchEntry.Kind.PERSON)
        assert [(hit.title, hit.url) for hit in hits] == [("Dr. Vladimir Kozin", "/speakers/vladimir-kozin/")]
    # The event names its speakers with their designations.
    assert russia_event.title in titles(search(query="MGIMO", kind=SearchEntry.Kind.EVENT))


def test_unicode_dashes_and_quotes_are_word_breaks(russia_event):
    search_index_rebuild()
    for query in ("“Pakistan–Russia”", "Pakistan-Russia", "pakistan russia", "Pakistan—Russia relations"):
        assert titles(search(query=query, kind="event")) == [russia_event.title], query


def test_hits_carry_marked_snippets_and_dates(russia_event):
    search_index_rebuild()
    [hit] = search(query="kozin", kind="event")
    assert hit.url == reverse("public:event", args=[russia_event.slug])
    assert hit.date == russia_event.starts_at and hit.time_zone == "Asia/Karachi"
    assert [f.text for f in hit.snippet if f.match] == ["Kozin"]
    assert "Dr. Vladimir Kozin, Leading Expert, MGIMO" in "".join(f.text for f in hit.snippet)
    [hit] = search(query="russia", kind="event")
    assert [f.text for f in hit.title_fragments if f.match] == ["Russia"]


def test_counts_cover_every_kind(russia_event):
    publish(russia_event, "NIPS holds webinar with Dr. Kozin", "Dr. Kozin said relations were strong.")
    search_index_rebuild()
    assert search_counts(query="kozin") == {"event": 1, "person": 1, "report": 1}
    assert search_counts(query="") == {"event": 0, "person": 0, "report": 0}
    assert [hit.kind for hit in search(query="kozin", kind="report")] == ["report"]
    assert len(search(query="kozin", kind="nonsense")) == 3  # an unknown kind means all kinds


def test_the_limit_caps_the_hits(make_event):
    for n in range(5):
        make_event(title=f"Maritime security {n}")
    search_index_rebuild()
    assert len(search(query="maritime", limit=2)) == 2
    assert search_counts(query="maritime")["event"] == 5


# What is public ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        dict(status=Event.Status.DRAFT),
        dict(visibility=Event.Visibility.UNLISTED),
        dict(visibility=Event.Visibility.INVITATION_ONLY),
    ],
)
def test_hidden_events_their_speakers_and_reports_never_appear(make_event, make_person, fields):
    event = make_event(title="Closed roundtable on Zanzibarian affairs", **fields)
    person = make_person(given_names="Olga", family_name="Quixotova")
    Participation.objects.create(
        event=event, person=person, role=Role.MAIN_SPEAKER, confirmation=Participation.Confirmation.CONFIRMED
    )
    publish(event, "Zanzibarian affairs discussed", "Ms. Quixotova spoke.")
    search_index_rebuild()
    for query in ("zanzibarian", "quixotova", "olga", "roundtable"):
        assert search(query=query) == [], query
        assert sum(search_counts(query=query).values()) == 0
    assert not SearchEntry.objects.exists()


def test_unpublished_reports_do_not_appear(make_event):
    event = make_event(title="Energy transition")
    report = Report.objects.create(event=event)
    version = ReportVersion.objects.create(
        report=report, number=1, headline="Draft headline about lithium", body="Lithium draft.", change="Written"
    )
    report.current_version = version
    report.status = Report.Status.APPROVED
    report.save()
    search_index_rebuild()
    assert search(query="lithium") == []
    assert titles(search(query="energy")) == ["Energy transition"]


def test_declined_speakers_and_rapporteurs_have_no_entry(make_event, make_person):
    event = make_event(title="Ocean governance")
    declined = make_person(family_name="Declinova")
    rapporteur = make_person(family_name="Notetaker")
    Participation.objects.create(
        event=event, person=declined, role=Role.DISCUSSANT, confirmation=Participation.Confirmation.DECLINED
    )
    Participation.objects.create(
        event=event, person=rapporteur, role=Role.RAPPORTEUR, confirmation=Participation.Confirmation.CONFIRMED
    )
    search_index_rebuild()
    assert search(query="declinova") == []  # nor in the event's text: the agenda leaves them out
    assert [hit.kind for hit in search(query="notetaker")] == ["event"]  # on the agenda, but no speaker page


# The index follows edits ------------------------------------------------------------------------


def test_the_index_follows_event_edits_and_deletes(make_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(title="Glaciers of the Karakoram")
    assert titles(search(query="karakoram")) == [event.title]

    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Glaciers of the Hindu Kush"
        event.save()
    assert search(query="karakoram") == []
    assert titles(search(query="hindu kush")) == [event.title]
    assert SearchEntry.objects.filter(kind="event", object_id=event.pk).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        event.visibility = Event.Visibility.INVITATION_ONLY
        event.save()
    assert search(query="glaciers") == []

    with django_capture_on_commit_callbacks(execute=True):
        event.visibility = Event.Visibility.PUBLIC
        event.save()
    assert titles(search(query="glaciers")) == [event.title]

    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert search(query="glaciers") == []
    assert not SearchEntry.objects.exists()


def test_the_index_follows_people_designations_and_agendas(make_event, make_person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(title="Cyber norms")
        person = make_person(honorific="Prof.", given_names="Ayesha", family_name="Siddiqa")
    assert search(query="siddiqa") == []  # speaks nowhere yet

    with django_capture_on_commit_callbacks(execute=True):
        participation = Participation.objects.create(
            event=event, person=person, role=Role.MAIN_SPEAKER, confirmation=Participation.Confirmation.CONFIRMED
        )
    assert sorted(hit.kind for hit in search(query="siddiqa")) == ["event", "person"]

    with django_capture_on_commit_callbacks(execute=True):
        person.family_name = "Siddiqui"
        person.save()
    assert search(query="siddiqa") == []
    assert sorted(hit.kind for hit in search(query="siddiqui")) == ["event", "person"]

    with django_capture_on_commit_callbacks(execute=True):
        designation = Designation.objects.create(person=person, position="Chair", organisation="Tabadlab")
    assert sorted(hit.kind for hit in search(query="tabadlab")) == ["event", "person"]
    with django_capture_on_commit_callbacks(execute=True):
        designation.delete()
    assert search(query="tabadlab") == []

    with django_capture_on_commit_callbacks(execute=True):
        participation.confirmation = Participation.Confirmation.DECLINED
        participation.save()
    assert search(query="siddiqui") == []

    with django_capture_on_commit_callbacks(execute=True):
        participation.delete()
    assert search(query="siddiqui") == []
    assert titles(search(query="cyber")) == ["Cyber norms"]


def test_the_index_follows_publishing_and_withdrawing(make_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(title="Monsoon floods", status=Event.Status.DRAFT)
        report = publish(event, "NIPS examines flood resilience", "Speakers urged early warning systems.")
    assert search(query="resilience") == []  # the event is still a draft

    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.ENDED
        event.save()
    [hit] = search(query="resilience")
    assert hit.kind == "report" and hit.url == f"/events/{event.slug}/#report"

    with django_capture_on_commit_callbacks(execute=True):
        report.published_version, report.published_at, report.status = None, None, Report.Status.DRAFT
        report.save()
    assert search(query="resilience") == []

    with django_capture_on_commit_callbacks(execute=True):
        version = report.versions.get()
        report.published_version = version
        report.save()
    assert titles(search(query="resilience")) == ["NIPS examines flood resilience"]
    with django_capture_on_commit_callbacks(execute=True):
        version.delete()  # empties published_version by SET_NULL, which sends no signal of its own
    assert search(query="resilience") == []


def test_renaming_a_series_refreshes_its_events(series, make_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_event(title="Trade corridors")
    with django_capture_on_commit_callbacks(execute=True):
        series.name = "Silk Road Dialogues"
        series.save()
    assert titles(search(query="silk road")) == ["Trade corridors"]


def test_nothing_is_indexed_when_the_transaction_rolls_back(make_event, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            make_event(title="Rolled back talk")
            raise RuntimeError
    assert callbacks == []
    assert not SearchEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_index_follows_real_commits(make_event, kozin):
    event = make_event(title="Arctic shipping routes")
    assert titles(search(query="arctic")) == [event.title]
    Participation.objects.create(
        event=event, person=kozin, role=Role.DISCUSSANT, confirmation=Participation.Confirmation.CONFIRMED
    )
    assert sorted(hit.kind for hit in search(query="kozin")) == ["event", "person"]
    event.delete()
    assert search(query="kozin") == [] and search(query="arctic") == []


def test_refresh_writes_only_what_changed_and_deletes_what_is_gone(russia_event, kozin):
    search_entry_refresh(kind="event", object_id=russia_event.pk)
    assert {(e.kind, e.object_id) for e in SearchEntry.objects.all()} == {
        ("event", russia_event.pk),
        ("person", kozin.pk),
    }
    with CaptureQueriesContext(connection) as ctx:
        search_entry_refresh(kind="event", object_id=russia_event.pk)
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    Event.objects.filter(pk=russia_event.pk).update(status=Event.Status.DRAFT)  # bypasses the signals
    search_entry_refresh(kind="event", object_id=russia_event.pk)
    assert not SearchEntry.objects.exists()
    search_entry_refresh(kind="person", object_id=10**9)  # never existed: nothing to do


def test_rebuild_command(russia_event):
    from io import StringIO

    SearchEntry.objects.create(kind="event", object_id=10**9, title="Stale", url="/gone/")
    out = StringIO()
    call_command("search_rebuild", stdout=out)
    assert "1 events, 1 speakers, 0 press releases" in out.getvalue()
    assert search(query="stale") == []


# Hostile input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_hits_or_nothing_never_an_error(russia_event, client, query):
    search_index_rebuild()
    hits = search(query=query)
    assert isinstance(hits, list)
    assert set(search_counts(query=query)) == {"event", "person", "report"}
    for kind in ("event", "person", "report"):
        search(query=query, kind=kind)
    response = client.get(reverse("search:results"), {"q": query})
    assert response.status_code == 200


def test_query_terms():
    assert query_terms("“Pakistan–Russia” relations") == ["Pakistan", "Russia", "relations"]
    assert query_terms('"NEAR(a b)" OR *') == ["NEAR", "a", "b", "OR"]
    assert query_terms("  ...  ") == [] and query_terms("") == [] and query_terms(None) == []
    assert len(query_terms("word " * 100)) == 8


def test_operators_are_plain_words(russia_event, make_event):
    make_event(title="Security NEAR the border")
    search_index_rebuild()
    assert titles(search(query="NEAR")) == ["Security NEAR the border"]
    assert titles(search(query="kozin OR nobody")) == []  # every word must match; OR is not an operator
    assert sorted(titles(search(query='"kozin"'))) == sorted([russia_event.title, "Dr. Vladimir Kozin"])


# The results page -------------------------------------------------------------------------------


def test_results_page_labels_hits_by_kind_with_counts(client, organisation, russia_event, kozin):
    publish(russia_event, "NIPS holds webinar with Dr. Kozin", "Dr. Kozin said relations were strong.")
    search_index_rebuild()
    response = client.get(reverse("search:results"), {"q": "kozin"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert '<label for="search-q">' in html and 'value="kozin"' in html
    assert 'aria-current="page">All <span class="search-count">3</span>' in html
    assert 'Speakers <span class="search-count">1</span>' in html
    assert 'Press releases <span class="search-count">1</span>' in html
    assert html.count('class="search-hit ') == 3
    assert 'href="/speakers/vladimir-kozin/"' in html and f'href="/events/{russia_event.slug}/#report"' in html
    assert "Dr. Vladimir <mark>Kozin</mark>" in html
    assert '<span class="search-kind">Press release</span> · published' in html

    only_people = client.get(reverse("search:results"), {"q": "kozin", "kind": "person"}).content.decode()
    assert only_people.count('class="search-hit ') == 1
    assert "1 found among speakers" in only_people


def test_results_page_without_a_query_or_hits(client, organisation, russia_event):
    search_index_rebuild()
    empty = client.get(reverse("search:results")).content.decode()
    assert "search-hit" not in empty and "Nothing found" not in empty
    nothing = client.get(reverse("search:results"), {"q": "xylophone"}).content.decode()
    assert "Nothing found for “xylophone”" in nothing


def test_results_page_escapes_html(client, organisation, make_event, make_person):
    event = make_event(title='<script>alert("t")</script> Kozin', abstract="<img src=x onerror=alert(1)> kozin")
    person = make_person(given_names="<b>Bold</b>", family_name="Kozin")
    Participation.objects.create(
        event=event, person=person, role=Role.MAIN_SPEAKER, confirmation=Participation.Confirmation.CONFIRMED
    )
    search_index_rebuild()
    html = client.get(reverse("search:results"), {"q": "kozin"}).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Bold" not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; <mark>Kozin</mark>" in html
    assert "onerror=alert(1)&gt; <mark>kozin</mark> · NIPS Lecture Series · " in html
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>Kozin</mark></a>" in html
    echoed = client.get(reverse("search:results"), {"q": '<i>"kozin'}).content.decode()
    assert "<i>" not in echoed
    assert "“&lt;i&gt;&quot;kozin”" in echoed and 'value="&lt;i&gt;&quot;kozin"' in echoed


def test_results_page_queries_do_not_grow_with_hits(
    client, organisation, make_event, add_speaker, django_assert_num_queries
):
    url = reverse("search:results")

    def page_queries() -> int:
        client.get(url, {"q": "maritime"})  # warm per-process caches (organisation)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"q": "maritime"}).status_code == 200
        return len(ctx)

    event = make_event(title="Maritime security")
    add_speaker(event, Role.MAIN_SPEAKER, designations=[("Fellow", "Maritime Centre", True)])
    search_index_rebuild()
    few = page_queries()
    for n in range(15):
        event = make_event(title=f"Maritime law {n}")
        add_speaker(event, Role.MAIN_SPEAKER, designations=[("Fellow", "Maritime Centre", True)])
    search_index_rebuild()
    assert search_counts(query="maritime") == {"event": 16, "person": 16, "report": 0}
    with django_assert_num_queries(few):
        response = client.get(url, {"q": "maritime"})
    assert response.content.decode().count('class="search-hit ') == 20


def test_results_page_is_rate_limited(client, organisation, settings, monkeypatch):
    settings.PODIUM_RATE_LIMIT_ENABLED = True
    monkeypatch.setattr(views, "SEARCHES_PER_MINUTE", 2)
    url = reverse("search:results")
    assert client.get(url, {"q": "a"}).status_code == 200
    assert client.get(url, {"q": "b"}).status_code == 200
    response = client.get(url, {"q": "c"})
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Too many searches" in response.content.decode()
    assert client.get(url).status_code == 200  # the empty page costs nothing and is never refused


def test_every_page_has_a_labelled_search_box_in_its_header(client, organisation):
    html = client.get("/").content.decode()
    assert '<form class="site-search" role="search" method="get" action="/search/">' in html
    assert '<label for="site-search-q" class="visually-hidden">' in html
    assert 'id="site-search-q" name="q"' in html
