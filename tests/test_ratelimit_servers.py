"""Budgets hold across processes and hosts: two gunicorn servers, one Redis.

Two servers on two ports stand for two hosts, each with two worker processes;
they share only PostgreSQL and Redis. Requests are spread over both servers
and over several connections at once, and exactly the budget must succeed.
"""

import http.client
import json
import math
import time
import zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection

from members.services import api_key_create, member_create, organization_create
from projects.services import project_create
from tests.servers import gunicorn_server

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="budgets across processes need PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
    ),
]

PORTS = (18510, 18511)
READS, WRITES, ANONYMOUS = 15, 12, 5
PERIOD = 3600
# The longest the requests below may take; a window closer to its end than
# this is waited out so that every request falls into the same window.
MARGIN_SECONDS = 30
CONNECTIONS = 6


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: object
    sent_at: float
    received_at: float


def _send(base_url: str, method: str, path: str, authorization: str, body: object) -> Answer:
    """One request on a connection of its own."""
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Authorization": authorization}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    sent_at = time.time()
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        received_at = time.time()
        return Answer(
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()},
            body=json.loads(raw) if raw else None,
            sent_at=sent_at,
            received_at=received_at,
        )
    finally:
        conn.close()


def _spread(urls: list[str], count: int, method: str, path: str, authorization: str, body=None):
    """`count` requests at once, alternating servers, over CONNECTIONS connections."""
    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        futures = [
            pool.submit(_send, urls[index % len(urls)], method, path, authorization, body)
            for index in range(count)
        ]
        return [future.result() for future in futures]


def _window_end(key: str, now: float) -> int:
    """The last whole second of the current window of `key`.

    Windows are fixed, offset per key by crc32(key) % period seconds (how
    django-ratelimit staggers them); a window resets one second after its
    last second.
    """
    second = int(now)
    end = second - second % PERIOD + zlib.crc32(key.encode()) % PERIOD
    return end + PERIOD if end < second else end


def _wait_for_fresh_windows(*keys: str) -> None:
    """Waits while any of the keys' windows ends within MARGIN_SECONDS."""
    while True:
        now = time.time()
        soonest = min(_window_end(key, now) + 1 for key in keys)
        if soonest - now >= MARGIN_SECONDS:
            return
        time.sleep(soonest - now + 0.1)


def _assert_budget_spent_exactly(
    answers: list[Answer], budget: int, success: set[int], refused_key: str
) -> None:
    statuses = Counter(answer.status for answer in answers)
    assert sum(statuses[status] for status in success) == budget, statuses
    assert statuses[429] == len(answers) - budget, statuses

    allowed = [answer for answer in answers if answer.status in success]
    remaining = sorted(int(answer.headers["ratelimit-remaining"]) for answer in allowed)
    assert remaining == list(range(budget)), "each success holds one distinct count"

    window_end = _window_end(refused_key, answers[0].sent_at)
    for answer in answers:
        assert answer.headers["ratelimit-limit"] == str(budget)
        # The server reads its clock between sending and receiving: the reset
        # is the whole seconds from then until the window resets.
        earliest = window_end + 1 - math.floor(answer.received_at)
        latest = window_end + 1 - math.floor(answer.sent_at)
        reset = int(answer.headers["ratelimit-reset"])
        assert earliest <= reset <= latest
        if answer.status != 429:
            continue
        assert answer.body == {
            "status": 429,
            "code": "rate_limited",
            "message": "Too many requests",
            "retryAfter": reset,
        }
        assert answer.headers["retry-after"] == str(reset)
        assert answer.headers["ratelimit-remaining"] == "0"


def test_budgets_hold_across_two_servers_sharing_redis():
    organization = organization_create(slug="budgets")
    member = member_create(email="budget@budgets.test", organization=organization)
    project_create(project_id="budget-project", organization=organization)
    _, key = api_key_create(member=member)
    member_auth, guess_auth = f"Bearer {key}", "Bearer mvp_" + "x" * 43
    env = {
        "REDIS_URL": settings.REDIS_URL,
        "PINS_RATE_READ": f"{READS}/h",
        "PINS_RATE_WRITE": f"{WRITES}/h",
        "PINS_RATE_ANON": f"{ANONYMOUS}/h",
    }
    _wait_for_fresh_windows(str(member.pk), "127.0.0.1")

    with gunicorn_server(PORTS[0], env) as first, gunicorn_server(PORTS[1], env) as second:
        urls = [first, second]
        writes = _spread(
            urls, WRITES + 18, "POST", "/v1/pinned", member_auth, {"projectId": "budget-project"}
        )
        reads = _spread(urls, READS + 10, "GET", "/v1/pinned", member_auth)
        late_write = _send(second, "DELETE", "/v1/pinned/budget-project", member_auth, None)
        guesses = _spread(urls, ANONYMOUS + 7, "GET", "/v1/pinned", guess_auth)

    _assert_budget_spent_exactly(writes, WRITES, {200, 201}, str(member.pk))
    assert Counter(answer.status for answer in writes)[201] == 1
    # Reads stayed available while writes were exhausted, within their own budget.
    _assert_budget_spent_exactly(reads, READS, {200}, str(member.pk))
    for answer in reads:
        if answer.status == 200:
            assert [pin["projectId"] for pin in answer.body] == ["budget-project"]
    assert late_write.status == 429
    _assert_budget_spent_exactly(guesses, ANONYMOUS, {401}, "127.0.0.1")
