"""Versions of rows for core.kept keys, from their history: one small query however many tables it covers.

Every write of a model with django-simple-history adds a history row (saves, deletes, and many-to-many changes of
the fields it tracks), so the newest history_id of each table changes whenever one of its rows changes. A key made of
those ids (and the day, where dates decide what is shown) names one state of the rows; see core/kept.py."""

import uuid
from functools import cache

from django.db import connections


def newest_history_ids(*models, using: str = "default") -> tuple[int | None, ...]:
    """The newest history_id of each model's history table (None for an empty one), in one query. The models must
    have `history = HistoricalRecords()`.

    One plain SELECT of MAX(history_id) per table (each an index-only look at the end of the primary key): the ORM
    would compile a subquery per table, which costs more than the database's answer."""
    with connections[using].cursor() as cursor:
        cursor.execute(_newest_sql(models, using))
        return tuple(cursor.fetchone())


@cache
def _newest_sql(models: tuple, using: str) -> str:
    quote = connections[using].ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote('history_id')}) FROM {quote(m.history.model._meta.db_table)})" for m in models
    )
    return f"SELECT {columns}"  # noqa: S608 - table names from the models' _meta, quoted


def history_key(name: str, *models, on=None) -> str:
    """A core.kept key for `name` built from the models' newest history rows (and the day `on`, when given)."""
    ids = ":".join(str(i) for i in newest_history_ids(*models))
    return f"{name}:{on.isoformat() if on else ''}:{ids}"


def data_version(using: str = "default") -> str:
    """A name for the state of the whole database, in one cheap query: any committed or pending write anywhere gives
    a new name (never an old one again). For what is kept per user (core.waiting.rendered), where naming exactly the
    tables a page reads would be a second rule to keep in step with the code.

    - PostgreSQL: the WAL insert position, which every write (and its commit record) moves forward at once. Writes
      that do not concern the page (a session, autovacuum) only make it be built again.
    - SQLite: PRAGMA data_version (moves when another connection commits; only comparable within one connection, so
      the connection is named) and total_changes() (this connection's own writes, committed or not, only growing).

    Read before the data it names, so what is kept under a name is never older than the name."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            return str(cursor.fetchone()[0])
        cursor.execute("PRAGMA data_version")
        others = cursor.fetchone()[0]
        cursor.execute("SELECT total_changes()")
        own = cursor.fetchone()[0]
    raw = connection.connection
    token = getattr(connection, "_shvo_version_token", None)
    if token is None or token[0] is not raw:  # a new connection: its counters start again, so its names differ
        token = (raw, uuid.uuid4().hex)
        connection._shvo_version_token = token
    return f"{token[1]}:{others}:{own}"
