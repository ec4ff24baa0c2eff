"""The PostgreSQL backend's health check before a request reuses a connection."""

import time

import psycopg
import pytest
from django.db import connection

from tests.servers import tests_database_url as served_database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _reused_connection():
    """The test's connection, as a new request finds it: open, idle, unchecked."""
    connection.ensure_connection()
    connection.health_check_done = False
    return connection.connection


def test_quiet_idle_connection_is_kept_without_a_query(monkeypatch):
    raw = _reused_connection()

    def no_query():
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(connection, "is_usable", no_query)
    connection.close_if_health_check_failed()

    assert connection.connection is raw
    assert connection.health_check_done is True


def test_connection_closed_by_the_server_is_dropped_before_its_next_use():
    raw = _reused_connection()
    with psycopg.connect(served_database_url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [raw.info.backend_pid])
    # The server's farewell message reaches the socket right after it acts.
    deadline = time.monotonic() + 5
    while connection._idle_and_quiet() and time.monotonic() < deadline:
        time.sleep(0.01)

    connection.close_if_health_check_failed()

    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_connection_inside_a_transaction_gets_the_full_check(monkeypatch):
    _reused_connection()
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(True) or True)

    with connection.cursor() as cursor:
        connection.set_autocommit(False)
        try:
            cursor.execute("SELECT 1")
            connection.health_check_done = False
            connection.close_if_health_check_failed()
        finally:
            connection.rollback()
            connection.set_autocommit(True)

    assert checks == [True]
