"""The service when PostgreSQL or Redis fails, and its writes when a failure
strikes part-way.

The server-process tests run gunicorn against the real test database and
Redis, and take them away in three ways: a DATABASE_URL at a closed port, a
forwarder (tests.tcp_proxy) that the test cuts and restores, and
pg_terminate_backend on the server's own connections.
"""

import threading
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings

from members.services import api_key_create, member_create, organization_create
from pins.models import Pin
from projects.services import project_create
from tests.http import Answer, bearer, call
from tests.servers import gunicorn_server, wait_for_lock_waiter
from tests.servers import tests_database_url as served_database_url
from tests.tcp_proxy import TcpProxy

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server processes need PostgreSQL"
)
needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
CLOSED_PORT = 18649
UNAVAILABLE = {
    "status": 503,
    "code": "internal_error",
    "message": "Internal server error",
    "details": "The service is temporarily unavailable",
}


def _database_url(port: int) -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER'] or 'postgres'}@127.0.0.1:{port}/{settings['NAME']}"


def _assert_unavailable(answer: Answer) -> None:
    assert answer.status == 503
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Retry-After"] == "5"
    assert answer.json() == UNAVAILABLE


@pytest.fixture
def served(transactional_db):
    """A member with a key and two projects, committed for the server processes."""
    organization = organization_create(slug="faults")
    member = member_create(email="ops@faults.test", organization=organization)
    for project_id in ("faults-project-1", "faults-project-2"):
        project_create(project_id=project_id, organization=organization)
    _, key = api_key_create(member=member)
    return member, key


def _pin(url: str, key: str, project_id: str = "faults-project-1") -> Answer:
    return call(
        "POST", f"{url}/v1/pinned", headers=bearer(key), json_body={"projectId": project_id}
    )


def _list(url: str, key: str) -> Answer:
    return call("GET", f"{url}/v1/pinned", headers=bearer(key))


@needs_postgres
def test_database_at_a_closed_port_answers_503_with_retry_after(served):
    _, key = served

    with gunicorn_server(18603, {"DATABASE_URL": _database_url(CLOSED_PORT)}) as url:
        answers = [
            _list(url, key),
            _pin(url, key),
            call("GET", f"{url}/v1/pinned/faults-project-1", headers=bearer(key)),
            call("DELETE", f"{url}/v1/pinned/faults-project-1", headers=bearer(key)),
            # A session cookie is looked up in the database too.
            call("GET", f"{url}/v1/pinned", headers={"Cookie": "sessionid=" + "a" * 32}),
        ]
        ready = call("GET", f"{url}/readyz")
        alive = call("GET", f"{url}/healthz")

    for answer in answers:
        _assert_unavailable(answer)
        assert b"Traceback" not in answer.body
        assert str(CLOSED_PORT).encode() not in answer.body
    assert ready.status == 503
    assert ready.json()["details"].startswith("Not ready: database")
    assert ready.json()["checks"]["database"] == "unavailable"
    assert alive.status == 200


@needs_postgres
def test_database_that_goes_away_and_returns_is_recovered_by_itself(served):
    _, key = served
    proxy = TcpProxy(18640, ("127.0.0.1", int(connection.settings_dict["PORT"] or 5432)))
    proxy.up()
    try:
        with gunicorn_server(18604, {"DATABASE_URL": _database_url(18640)}, workers=1) as url:
            assert _pin(url, key).status == 201

            proxy.down()
            while_down = [_list(url, key) for _ in range(6)]
            ready_while_down = call("GET", f"{url}/readyz")

            proxy.up()
            after = [_list(url, key) for _ in range(6)]
            ready_after = call("GET", f"{url}/readyz")
    finally:
        proxy.down()

    for answer in while_down:
        _assert_unavailable(answer)
    assert ready_while_down.status == 503
    assert [answer.status for answer in after] == [200] * 6
    assert after[0].json()[0]["projectId"] == "faults-project-1"
    assert ready_after.status == 200


def _terminate_server_connections() -> int:
    """Kill every other session on the test database: the servers' connections."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@needs_postgres
def test_killed_idle_connection_is_replaced_before_the_next_request(served):
    _, key = served
    # One thread: the next request is served on the connection just killed.
    with gunicorn_server(18605, workers=1, args=["--threads", "1"]) as url:
        assert _pin(url, key).status == 201

        killed = _terminate_server_connections()
        after = [_list(url, key) for _ in range(3)]

    assert killed >= 1
    assert [answer.status for answer in after] == [200] * 3


@needs_postgres
def test_connection_killed_during_a_request_is_503_then_recovers(served):
    member, key = served
    answers: list[Answer] = []

    with gunicorn_server(18606, workers=1, args=["--threads", "2"]) as url:
        # The test holds the member's row, so the server's pin waits on it.
        with psycopg.connect(served_database_url(), autocommit=False) as holder:
            holder.execute("SELECT id FROM members_member WHERE id = %s FOR UPDATE", [member.pk])
            request = threading.Thread(target=lambda: answers.append(_pin(url, key)))
            request.start()
            waiting = wait_for_lock_waiter()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [waiting])
            request.join(timeout=15)
            holder.rollback()

        assert not Pin.objects.filter(member=member).exists()
        retry = _pin(url, key)

    [answer] = answers
    _assert_unavailable(answer)
    assert retry.status == 201


@needs_postgres
@needs_redis
def test_redis_that_goes_away_and_returns_never_causes_a_500(served):
    _, key = served
    redis = urlsplit(settings.REDIS_URL)
    proxy = TcpProxy(18641, (redis.hostname, redis.port or 6379))
    proxy.up()
    try:
        env = {"REDIS_URL": redis._replace(netloc="127.0.0.1:18641").geturl()}
        with gunicorn_server(18607, env) as url:
            ready_before = call("GET", f"{url}/readyz")

            proxy.down()
            ready_while_down = call("GET", f"{url}/readyz")
            while_down = [_list(url, key), _pin(url, key), _list(url, key)]

            proxy.up()
            ready_after = call("GET", f"{url}/readyz")
    finally:
        proxy.down()

    assert ready_before.status == 200
    assert ready_while_down.status == 503
    assert ready_while_down.json()["details"] == "Not ready: cache unavailable"
    assert ready_while_down.json()["checks"] == {"database": "ok", "cache": "unavailable"}
    # The budgets fail open: requests are served, uncounted, without the
    # budget headers, and never answered 500.
    assert [answer.status for answer in while_down] == [200, 201, 200]
    for answer in while_down:
        assert answer.headers["Content-Type"] == "application/json"
        assert "RateLimit-Limit" not in answer.headers
    assert while_down[2].json()[0]["projectId"] == "faults-project-1"
    assert ready_after.status == 200


# Failures outside the views, and part-way through a write (in process)


class _DatabaseGoneMiddleware:
    """Fails like a middleware whose query finds the database gone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise OperationalError("connection to server at 10.0.0.1 failed")


class _BrokenMiddleware(_DatabaseGoneMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise RuntimeError("SELECT secret FROM somewhere")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("middleware", "status"), [("_DatabaseGoneMiddleware", 503), ("_BrokenMiddleware", 500)]
)
def test_failure_in_a_middleware_is_json_and_503_when_the_database_is_gone(middleware, status):
    stack = [*settings.MIDDLEWARE, f"{__name__}.{middleware}"]
    with override_settings(MIDDLEWARE=stack):
        response = Client(raise_request_exception=False).get("/v1/pinned")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "internal_error"
    assert "10.0.0.1" not in response.content.decode()
    assert "secret" not in response.content.decode()
    if status == 503:
        assert body == UNAVAILABLE
        assert response["Retry-After"] == "5"
    else:
        assert "Retry-After" not in response


@pytest.fixture
def failing_commit(transactional_db):
    """A constraint trigger on pins that fails when the transaction commits,
    after the pin row (and whatever goes with it) has been written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION tests_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'injected failure at commit'; END $$"
        )
        cursor.execute(
            "CREATE CONSTRAINT TRIGGER tests_fail_at_commit AFTER INSERT ON pins_pin "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tests_fail_at_commit()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS tests_fail_at_commit ON pins_pin")
        cursor.execute("DROP FUNCTION IF EXISTS tests_fail_at_commit()")


@needs_postgres
def test_a_pin_that_fails_before_commit_leaves_nothing_behind(
    failing_commit, api, member, make_project
):
    first, second = make_project("commit-project-1"), make_project("commit-project-2")

    with override_settings(PINS_MAX_PER_MEMBER=1):
        failed = api.post("/v1/pinned", {"projectId": first.project_id}, format="json")
        rows_after_failure = Pin.objects.filter(member=member).count()
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER tests_fail_at_commit ON pins_pin")
        # A half-written pin would count against the limit of one.
        retried = api.post("/v1/pinned", {"projectId": first.project_id}, format="json")
        over_limit = api.post("/v1/pinned", {"projectId": second.project_id}, format="json")

    assert failed.status_code == 500
    assert failed.json() == {
        "status": 500,
        "code": "internal_error",
        "message": "Internal server error",
    }
    assert rows_after_failure == 0
    assert retried.status_code == 201
    assert over_limit.status_code == 409
    assert list(api.get("/v1/pinned").json()) == [retried.json()]
