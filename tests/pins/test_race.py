"""Concurrent requests against a live server on PostgreSQL.

The server runs in threads of the test process, each with its own database
connection, so the requests below really race inside PostgreSQL. SQLite
serialises every write and cannot show these races: the tests need the
DATABASE_URL of a PostgreSQL server, as `.ci/run` provides.
"""

import http.client
import json
import threading
from urllib.parse import urlsplit

import pytest
from django.db import connection

from members.services import api_key_create, member_create, organization_create
from pins.models import Pin
from projects.services import project_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL (set DATABASE_URL)"
    ),
]


def _post_all_at_once(url: str, key: str, bodies: list[dict]) -> list[int]:
    """POST every body at the same moment, each from its own connection."""
    parts = urlsplit(url)
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = [0] * len(bodies)

    def send(index: int, body: dict) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        conn.connect()
        barrier.wait()
        conn.request(
            "POST",
            "/v1/pinned",
            body=json.dumps(body),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        statuses[index] = conn.getresponse().status
        conn.close()

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.fixture
def racer():
    organization = organization_create(slug="racers")
    member = member_create(email="racer@racers.test", organization=organization)
    _, key = api_key_create(member=member)
    return organization, member, key


def test_identical_concurrent_pins_end_with_one_row_one_201_and_200s(live_server, racer):
    organization, member, key = racer
    for round_number in range(15):
        project_id = f"race-project-{round_number:03d}"
        project_create(project_id=project_id, organization=organization)

        statuses = _post_all_at_once(live_server.url, key, [{"projectId": project_id}] * 4)

        assert sorted(statuses) == [200, 200, 200, 201], f"round {round_number}: {statuses}"
        assert Pin.objects.filter(member=member, project__project_id=project_id).count() == 1


def test_pin_limit_holds_under_concurrent_pins(live_server, racer, settings):
    organization, member, key = racer
    settings.PINS_MAX_PER_MEMBER = 3
    bodies = []
    for index in range(8):
        project_id = f"limit-project-{index:03d}"
        project_create(project_id=project_id, organization=organization)
        bodies.append({"projectId": project_id})

    statuses = _post_all_at_once(live_server.url, key, bodies)

    assert sorted(statuses) == [201] * 3 + [409] * 5
    assert Pin.objects.filter(member=member).count() == 3
