"""The probes: /healthz answers while the process runs, /readyz when the
database and the cache answer."""

import logging

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from pinsite import health

pytestmark = pytest.mark.django_db

# A Redis cache at a port where nothing listens: a real, immediate failure.
UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:18649/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.1 failed")

    monkeypatch.setattr(connection, "cursor", refuse)


def test_healthz_answers_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {"status": 200}


def test_healthz_touches_neither_database_nor_cache(client, database_down):
    with override_settings(CACHES=UNREACHABLE_CACHE):
        response = client.get("/healthz")

    assert response.status_code == 200


def test_readyz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": 200, "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_names_the_database_when_it_fails(client, database_down):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 503,
        "code": "internal_error",
        "message": "Internal server error",
        "details": "Not ready: database unavailable",
        "checks": {"database": "unavailable", "cache": "ok"},
    }


def test_readyz_names_the_cache_when_it_fails(client):
    with override_settings(CACHES=UNREACHABLE_CACHE):
        response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["details"] == "Not ready: cache unavailable"
    assert body["checks"] == {"database": "ok", "cache": "unavailable"}


def test_readyz_names_both_when_both_fail(client, database_down):
    with override_settings(CACHES=UNREACHABLE_CACHE):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["details"] == "Not ready: database and cache unavailable"


def test_a_failing_check_is_logged_as_a_warning_naming_the_part(client, caplog):
    with override_settings(CACHES=UNREACHABLE_CACHE), caplog.at_level(logging.DEBUG):
        client.get("/readyz")

    warnings = [r for r in caplog.records if r.name == "pinsite.health"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].getMessage().startswith("Not ready: cache unavailable (ConnectionError")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_successful_probes_log_nothing_at_info_or_above(client, caplog, path):
    with caplog.at_level(logging.DEBUG):
        response = client.get(path)

    assert response.status_code == 200
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_whatever_the_host_header(client, path):
    """A load balancer addresses a host by its IP, which ALLOWED_HOSTS does not list."""
    assert client.get("/v1/pinned", HTTP_HOST="10.1.2.3").status_code == 400

    assert client.get(path, HTTP_HOST="10.1.2.3").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_plain_http_when_https_is_enforced(client, path):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/v1/pinned").status_code == 301
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_head(client, path):
    assert client.head(path).status_code == 200


def test_other_methods_on_a_probe_are_not_answered_by_it(client):
    assert client.post("/healthz").status_code == 404


def test_probes_are_not_rate_limited(client):
    """More calls from one client than the anonymous budget allows in a window."""
    statuses = {client.get("/readyz").status_code for _ in range(100)}

    assert statuses == {200}


def test_probe_answers_carry_a_request_id(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32


def test_probe_paths_are_the_ones_the_middleware_answers():
    assert set(health.PROBES) == health.PROBE_PATHS == {"/healthz", "/readyz"}
