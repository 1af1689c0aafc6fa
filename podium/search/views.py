"""The public search page: a labelled search box, hits labelled by kind with counts and marked snippets."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from podium.core.ratelimit import client_address, rate_limit_exceeded
from podium.search.models import SearchEntry
from podium.search.selectors import MAX_QUERY_CHARS, search_results

Kind = SearchEntry.Kind
KIND_PLURALS: dict[str, str] = {Kind.EVENT: "Events", Kind.PERSON: "Speakers", Kind.REPORT: "Press releases"}
RESULTS_SHOWN = 20
# Searches per client address per minute: each costs a full-text query, and the page has no
# search-as-you-type, so a person never comes near this; a script that walks the index does.
SEARCHES_PER_MINUTE = 120


@require_GET
def results(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    context = {
        "query": query,
        "kind": kind,
        "kind_plural": KIND_PLURALS.get(kind, ""),
        "hits": [],
        "kinds": [],
        "total": 0,
        "matched": 0,
    }
    status = 200
    if query and rate_limit_exceeded(scope="search", key=client_address(request), limit=SEARCHES_PER_MINUTE, window=60):
        context["rate_limited"], status = True, 429
    elif query:
        results = search_results(query=query, kind=kind or None, limit=RESULTS_SHOWN)
        context.update(
            hits=results.hits,
            kinds=[(value, KIND_PLURALS[value], results.counts[value]) for value in Kind.values],
            total=results.total,
            matched=results.counts[kind] if kind else results.total,
        )
    response = render(request, "search/results.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"  # result pages are not content for search engines
    if status == 429:
        response["Retry-After"] = "60"
    return response
