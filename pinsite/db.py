"""Helpers for the few hand-written SQL statements on the hot paths.

The list, the lookup and the authentication run on every request; Django's
query compiler costs more than the query itself there, so those statements
are written out, with every value passed as a parameter.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import connection
from django.utils.dateparse import parse_datetime


def fetch_all(sql: str, params: Sequence[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_one(sql: str, params: Sequence[object]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def aware_utc(value: datetime | str | None) -> datetime | None:
    """A datetime column as an aware datetime: PostgreSQL returns one already;
    SQLite returns what Django stored, naive and in UTC (a datetime, or text
    where the column type is not declared)."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
