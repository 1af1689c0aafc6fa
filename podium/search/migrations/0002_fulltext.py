"""Each database's own full-text machinery over the search index: SQLite FTS5 or PostgreSQL tsvector.

SQLite: an external-content FTS5 table (the text lives once, in search_searchentry) kept in step
by triggers. Django rebuilds a SQLite table to alter it (new table, copy, drop, rename) and the
triggers go with the dropped table: a later migration that alters search_searchentry must run
SQLITE_TRIGGERS again (and `podium search_rebuild`).

PostgreSQL: a stored generated tsvector column, title weighted A and body B, with a GIN index.
An expression index alone would find rows as fast, but ts_rank would then recompute every
matching row's tsvector: 30,000 matches took 5.7 s to rank that way against 40 ms stored.
A later migration that changes the type of title or body must drop the column and add it again
(PostgreSQL refuses to alter a column a generated column uses).
"""

from django.db import migrations

SQLITE_TABLE = """
CREATE VIRTUAL TABLE search_searchentry_fts USING fts5(
    title, body,
    content='search_searchentry', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
)
"""
# The default rank for ORDER BY rank: BM25 with a title word worth ten body words.
SQLITE_RANK = "INSERT INTO search_searchentry_fts(search_searchentry_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)')"
SQLITE_TRIGGERS = [
    """CREATE TRIGGER search_searchentry_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    # An external-content table forgets a row only when told the exact text it indexed.
    """CREATE TRIGGER search_searchentry_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_searchentry_fts_update AFTER UPDATE OF title, body ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_searchentry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_REBUILD = "INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('rebuild')"
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_searchentry_fts_insert",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_update",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]

POSTGRES_CREATE = [
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
    ) STORED""",
    # Kept in the row rather than in TOAST (the body goes there first): ranking and the recheck of a
    # prefix match read every matching row's tsvector, and a TOAST fetch per row doubled their time.
    "ALTER TABLE search_searchentry ALTER COLUMN document SET STORAGE MAIN",
    "CREATE INDEX search_searchentry_document ON search_searchentry USING GIN (document)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_searchentry_document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


def fulltext_install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [SQLITE_TABLE, SQLITE_RANK, *SQLITE_TRIGGERS, SQLITE_REBUILD]
    elif vendor == "postgresql":
        statements = POSTGRES_CREATE
    else:
        raise NotImplementedError(f"Podium's search runs on SQLite or PostgreSQL, not {vendor}.")
    for sql in statements:
        schema_editor.execute(sql)


def fulltext_remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(fulltext_install, fulltext_remove, elidable=False)]
