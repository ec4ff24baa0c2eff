"""The service under gunicorn with the repository's gunicorn.conf.py: graceful
shutdown, several hosts sharing PostgreSQL and Redis, and its log output."""

import json
import signal
import threading
import time

import psycopg
import pytest
from django.db import connection

from members.services import api_key_create, member_create, organization_create
from pins.models import Pin
from projects.services import project_create
from tests.http import Answer, bearer, call
from tests.servers import gunicorn_process, gunicorn_server, wait_for_lock_waiter
from tests.servers import tests_database_url as served_database_url

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server processes need PostgreSQL"
)


@pytest.fixture
def served(transactional_db):
    organization = organization_create(slug="hosts")
    member = member_create(email="ops@hosts.test", organization=organization)
    project_create(project_id="hosts-project-1", organization=organization)
    _, key = api_key_create(member=member)
    return member, key


def _pin(url: str, key: str) -> Answer:
    return call(
        "POST", f"{url}/v1/pinned", headers=bearer(key), json_body={"projectId": "hosts-project-1"}
    )


def test_sigterm_lets_the_request_in_flight_finish(served):
    member, key = served
    answers: list[Answer] = []

    with gunicorn_process(18600, workers=1) as server:
        # The test holds the member's row: the server's pin waits on it, in flight.
        with psycopg.connect(served_database_url(), autocommit=False) as holder:
            holder.execute("SELECT id FROM members_member WHERE id = %s FOR UPDATE", [member.pk])
            request = threading.Thread(target=lambda: answers.append(_pin(server.url, key)))
            request.start()
            wait_for_lock_waiter()

            server.process.send_signal(signal.SIGTERM)
            time.sleep(1.5)
            still_running = server.process.poll() is None

            holder.rollback()
        request.join(timeout=20)
        exit_code = server.process.wait(timeout=20)

    assert still_running, "gunicorn exited with a request in flight"
    [answer] = answers
    assert answer.status == 201
    assert answer.json()["projectId"] == "hosts-project-1"
    assert Pin.objects.filter(member=member).count() == 1
    assert exit_code == 0


def test_two_hosts_share_the_database_and_cache(served):
    """Pin on one host, read and unpin on the other, read on the first."""
    _, key = served
    with gunicorn_server(18601) as first, gunicorn_server(18602) as second:
        pinned = _pin(first, key)
        read_on_second = call("GET", f"{second}/v1/pinned/hosts-project-1", headers=bearer(key))
        list_on_second = call("GET", f"{second}/v1/pinned", headers=bearer(key))
        unpinned = call("DELETE", f"{second}/v1/pinned/hosts-project-1", headers=bearer(key))
        read_on_first = call("GET", f"{first}/v1/pinned/hosts-project-1", headers=bearer(key))
        list_on_first = call("GET", f"{first}/v1/pinned", headers=bearer(key))
        ready = [call("GET", f"{url}/readyz").json() for url in (first, second)]

    assert pinned.status == 201
    assert read_on_second.status == 200
    assert read_on_second.json() == pinned.json()
    assert list_on_second.json() == [pinned.json()]
    assert unpinned.status == 204
    assert read_on_first.status == 404
    assert read_on_first.json()["code"] == "not_found"
    assert list_on_first.json() == []
    assert ready == [{"status": 200, "checks": {"database": "ok", "cache": "ok"}}] * 2


def test_output_is_json_lines_with_request_ids_and_quiet_probes(served, tmp_path):
    _, key = served
    output = tmp_path / "gunicorn.log"
    env = {"LOG_FORMAT": "json", "STATIC_ROOT": str(tmp_path)}

    with gunicorn_process(18608, env, log_level="info", output=output) as server:
        for _ in range(3):
            call("GET", f"{server.url}/healthz")
            call("GET", f"{server.url}/readyz")
        pinned = call(
            "POST",
            f"{server.url}/v1/pinned",
            headers={**bearer(key), "X-Request-ID": "trace-pin-1"},
            json_body={"projectId": "hosts-project-1"},
        )
        refused = call("GET", f"{server.url}/v1/pinned", headers={"X-Request-ID": "trace-anon-1"})

    lines = [json.loads(line) for line in server.read_output().splitlines()]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert pinned.headers["X-Request-ID"] == "trace-pin-1"
    assert refused.status == 401
    assert [(line["path"], line["status"], line["request_id"]) for line in access] == [
        ("/v1/pinned", 201, "trace-pin-1"),
        ("/v1/pinned", 401, "trace-anon-1"),
    ]
    by_request = {}
    for line in lines:
        by_request.setdefault(line.get("request_id"), []).append(line["message"])
    assert "Pin created: member=" in " ".join(by_request["trace-pin-1"])
    assert "Unauthorized: /v1/pinned" in by_request["trace-anon-1"]
    assert any(line["message"].startswith("Booting worker") for line in lines)
