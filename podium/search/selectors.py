"""Reads of the search index: ranked hits with marked snippets and counts per kind, on SQLite FTS5 or PostgreSQL.

Visitors' words never reach either engine's query syntax: the query is cut into words here and each
word is passed quoted (FTS5) or as a lexeme (PostgreSQL), so quotes, NEAR, OR, * or a lone " are words
or nothing, never an operator or a syntax error.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.db import connection

from podium.search.models import SearchEntry

if TYPE_CHECKING:  # a runtime import would load the SQLite backend on PostgreSQL too
    from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations

Kind = SearchEntry.Kind
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_TERM_CHARS = 40
MAX_LIMIT = 100
SNIPPET_WORDS = 24
# Matches come back wrapped in these two control characters, which the index never holds (services._text).
MARK_START, MARK_END = "\x02", "\x03"
_MARKS = re.compile(f"[{MARK_START}{MARK_END}]")
# Letters and digits in any script; everything else (punctuation, dashes, quotes, _) separates words,
# as FTS5's unicode61 tokenizer and PostgreSQL's parser both do.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Fragment:
    """A piece of a title or snippet, and whether it is a word the visitor searched for."""

    text: str
    match: bool


@dataclass(frozen=True)
class Hit:
    """One search result as the page shows it; rank is the engine's own figure, for ordering only."""

    kind: str
    object_id: int
    title: str
    url: str
    date: datetime | None
    time_zone: str
    title_fragments: tuple[Fragment, ...]
    snippet: tuple[Fragment, ...]
    rank: float

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def is_report(self) -> bool:
        return self.kind == Kind.REPORT


def query_terms(query: str) -> list[str]:
    """The words of a visitor's query, at most MAX_TERMS of them; [] when there is nothing to search for."""
    text = unicodedata.normalize("NFKC", query or "")[:MAX_QUERY_CHARS]
    return [word[:MAX_TERM_CHARS] for word in _WORD.findall(text)][:MAX_TERMS]


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    counts: dict[str, int]  # every kind, zero included; counted over all kinds whatever the kind asked for

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def search_results(*, query: str, kind: str | None = None, limit: int = 20) -> Results:
    """The best public hits, best first, and how many there are of each kind: one SQL statement.

    The last word also matches as a prefix (“koz” finds Kozin); an unknown kind means every kind.
    """
    counts = dict.fromkeys(Kind.values, 0)
    terms = query_terms(query)
    if not terms:
        return Results(hits=[], counts=counts)
    kind = kind if kind in Kind.values else None
    limit = max(0, min(int(limit), MAX_LIMIT))
    postgres = connection.vendor == "postgresql"
    sql, params = (_postgres_sql if postgres else _sqlite_sql)(terms, kind, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    hits = []
    for (
        found,
        object_kind,
        object_id,
        title,
        url,
        date,
        time_zone,
        rank,
        title_marked,
        snippet_marked,
        snippet_lead,
        snippet_tail,
    ) in rows:
        counts.update(json.loads(found) if isinstance(found, str) else found or {})
        if object_kind is None:  # no hit of this kind: the row only carries the counts
            continue
        if not postgres and date is not None:  # SQLite returns the date as text
            date = cast("SQLiteOperations", connection.ops).convert_datetimefield_value(date, None, connection)
        hits.append(
            Hit(
                kind=object_kind,
                object_id=object_id,
                title=title,
                url=url,
                date=date,
                time_zone=time_zone,
                rank=float(rank),
                title_fragments=_fragments(title_marked or title),
                snippet=_fragments(snippet_marked or "", lead=bool(snippet_lead), tail=bool(snippet_tail)),
            )
        )
    return Results(hits=hits, counts=counts)


def search(*, query: str, kind: str | None = None, limit: int = 20) -> list[Hit]:
    """The best public hits for the query, best first; the last word also matches as a prefix (“koz” → Kozin)."""
    return search_results(query=query, kind=kind, limit=max(1, limit)).hits


def search_counts(*, query: str) -> dict[str, int]:
    """How many public hits of each kind the query has (every kind present, zero included)."""
    return search_results(query=query, limit=0).counts


def _fragments(marked: str, lead: bool = False, tail: bool = False) -> tuple[Fragment, ...]:
    # Marks alternate start, end, start, ...: odd pieces are matches. The text stays text; the template
    # escapes it and wraps matches in <mark>, so nothing from the database is ever trusted as HTML.
    # Line breaks separate the parts of an entry (abstract, series, each speaker).
    pieces = [
        Fragment(text=piece.replace("\n", " · "), match=bool(n % 2))
        for n, piece in enumerate(_MARKS.split(marked))
        if piece
    ]
    if lead:
        pieces.insert(0, Fragment(text="… ", match=False))
    if tail:
        pieces.append(Fragment(text=" …", match=False))
    return tuple(pieces)


# Both statements answer the same columns: the counts per kind as JSON on every row, then the hit's
# kind, object_id, title, url, date, time_zone, rank, marked title, marked snippet and whether the
# snippet starts after the body's start or ends before its end. With no hit there is one row, the
# counts and NULLs.

# SQLite FTS5 -----------------------------------------------------------------------------------


def _fts5_match(terms: list[str]) -> str:
    # Each word a quoted string (an FTS5 string is never a keyword or an operator), joined by FTS5's
    # implicit AND; the last one a prefix query. Words hold no quote: _WORD leaves only letters and digits.
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _sqlite_sql(terms: list[str], kind: str | None, limit: int) -> tuple[str, list]:
    # ORDER BY rank uses the BM25 weights set in migration 0002 (a title word counts ten times a body word);
    # FTS5 sorts by it itself, so highlight() and snippet() run for the rows shown only. FTS5's auxiliary
    # functions must sit in the SELECT that holds the MATCH, hence the MATCH twice.
    match = _fts5_match(terms)
    sql = f"""
        SELECT counts.found, hits.* FROM (
            SELECT json_group_object(kind, n) AS found FROM (
                SELECT e.kind, count(*) AS n
                FROM search_searchentry_fts JOIN search_searchentry e ON e.id = search_searchentry_fts.rowid
                WHERE search_searchentry_fts MATCH %s GROUP BY e.kind
            )
        ) counts LEFT JOIN (
            SELECT e.kind, e.object_id, e.title, e.url, e.date, e.time_zone, search_searchentry_fts.rank AS rank,
                   highlight(search_searchentry_fts, 0, char(2), char(3)) AS title_marked,
                   snippet(search_searchentry_fts, 1, char(2), char(3), '…', {SNIPPET_WORDS}) AS snippet_marked,
                   0 AS snippet_lead, 0 AS snippet_tail
            FROM search_searchentry_fts JOIN search_searchentry e ON e.id = search_searchentry_fts.rowid
            WHERE search_searchentry_fts MATCH %s {"AND e.kind = %s" if kind else ""}
            ORDER BY search_searchentry_fts.rank LIMIT %s
        ) hits ON 1
        ORDER BY hits.rank
    """
    return sql, [match, match, *([kind] if kind else []), limit]


# PostgreSQL ------------------------------------------------------------------------------------


def _postgres_tsquery(terms: list[str]) -> tuple[str, list]:
    # Whole words through websearch_to_tsquery, each one quoted so a visitor's "or" or "-" is a word,
    # not an operator; the last word as a prefix lexeme ('koz':*). Stemming and stop words as in the index.
    *words, last = terms
    parts, params = ["to_tsquery('english', %s)"], [f"'{last}':*"]
    if words:
        parts.insert(0, "websearch_to_tsquery('english', %s)")
        params.insert(0, " ".join(f'"{word}"' for word in words))
    return " && ".join(parts), params


def _postgres_sql(terms: list[str], kind: str | None, limit: int) -> tuple[str, list]:
    tsquery, params = _postgres_tsquery(terms)
    marks = f"StartSel={MARK_START}, StopSel={MARK_END}"
    # One pass over the matches gives both the counts and the ranking. ts_rank weighs title lexemes (A)
    # 1.0 against body lexemes (B) 0.4. Headlines parse the whole text, so they are made for the rows
    # shown only, once each (MATERIALIZED: the outer SELECT reads the snippet three times).
    sql = f"""
        WITH q AS (SELECT ({tsquery}) AS query),
        matches AS MATERIALIZED (
            SELECT e.id, e.kind, ts_rank(e.document, q.query) AS rank
            FROM search_searchentry e, q WHERE e.document @@ q.query
        ),
        counts AS (
            SELECT coalesce(json_object_agg(kind, n), '{{}}') AS found
            FROM (SELECT kind, count(*) AS n FROM matches GROUP BY kind) per_kind
        ),
        top AS (
            SELECT id, rank FROM matches {"WHERE kind = %s" if kind else ""} ORDER BY rank DESC, id LIMIT %s
        ),
        marked AS MATERIALIZED (
            SELECT e.id, e.kind, e.object_id, e.title, e.url, e.date, e.time_zone, top.rank, e.body,
                   ts_headline('english', e.title, q.query, %s) AS title_marked,
                   ts_headline('english', e.body, q.query, %s) AS snippet_marked
            FROM top JOIN search_searchentry e ON e.id = top.id, q
        )
        SELECT counts.found, kind, object_id, title, url, date, time_zone, rank, title_marked, snippet_marked,
               NOT starts_with(body, translate(snippet_marked, chr(2) || chr(3), '')) AS snippet_lead,
               NOT starts_with(reverse(body), reverse(translate(snippet_marked, chr(2) || chr(3), '')))
                   AS snippet_tail
        FROM counts LEFT JOIN marked ON true
        ORDER BY rank DESC, id
    """
    headline = f"{marks}, MaxFragments=1, MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}"
    return sql, [*params, *([kind] if kind else []), limit, f"{marks}, HighlightAll=true", headline]
