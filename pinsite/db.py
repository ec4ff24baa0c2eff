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


def utc_millis_sql(column: str) -> str:
    """SQL that renders a datetime column as the API writes it,
    2026-12-03T17:56:36.123Z, so that long lists skip a datetime parse and
    format per row. Values are stored in UTC on both databases."""
    if connection.vendor == "postgresql":
        return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"""
    # SQLite's %f is the seconds with three decimals, SS.SSS; each % is
    # doubled since the statement goes through parameter substitution.
    return f"strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', {column})"
