"""Every request gets an id, echoed in the answer and on each of its log lines."""

import io
import json
import logging
import re
import threading

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from pinsite.logs import JSONFormatter
from pinsite.request_id import RequestIdFilter, RequestIdMiddleware, request_id_var

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """Every record of the request, through the service's filter and formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    django_logger = logging.getLogger("django")
    django_logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    django_logger.removeHandler(handler)
    root.setLevel(previous_level)


def test_a_request_without_an_id_gets_a_generated_one(client):
    response = client.get("/v1/pinned")

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(5)}

    assert len(ids) == 5


@pytest.mark.parametrize("value", ["abc", "lb-7f3a.2026_12_03", "x" * 200, "0"])
def test_a_sane_request_id_is_taken_and_echoed(client, value):
    response = client.get("/v1/pinned", HTTP_X_REQUEST_ID=value)

    assert response["X-Request-ID"] == value


@pytest.mark.parametrize(
    "value", ["", "x" * 201, "a b", "abc\nforged log line", 'a"b', "id/1", "é", "a;b"]
)
def test_an_insane_request_id_is_replaced(client, value):
    response = client.get("/v1/pinned", HTTP_X_REQUEST_ID=value)

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_every_log_line_of_a_request_carries_its_id(api, member, project, log_lines):
    api.post(
        "/v1/pinned", {"projectId": project.project_id}, format="json", HTTP_X_REQUEST_ID="req-1"
    )
    api.get("/v1/pinned/unknown-project", HTTP_X_REQUEST_ID="req-2")

    lines = log_lines()
    by_message = {line["message"]: line for line in lines}
    created = f"Pin created: member={member.pk} project={project.project_id}"
    assert by_message[created]["request_id"] == "req-1"
    # Django logs a 4xx answer after the middleware has returned it.
    assert by_message["Not Found: /v1/pinned/unknown-project"]["request_id"] == "req-2"
    assert {line.get("request_id") for line in lines} == {"req-1", "req-2"}


def test_no_request_id_is_left_behind_after_a_request(client):
    client.get("/v1/pinned", HTTP_X_REQUEST_ID="gone-after")

    assert request_id_var.get() is None


def test_concurrent_requests_keep_their_own_ids(log_lines):
    """Two threads inside the middleware at once, as in a threaded worker."""
    both_inside = threading.Barrier(2)

    def view(request):
        both_inside.wait(timeout=5)
        logging.getLogger("tests.view").info("serving")
        return HttpResponse()

    middleware = RequestIdMiddleware(view)
    factory = RequestFactory()
    threads = [
        threading.Thread(target=middleware, args=(factory.get("/", HTTP_X_REQUEST_ID=name),))
        for name in ("thread-a", "thread-b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    served = [line["request_id"] for line in log_lines() if line["message"] == "serving"]
    assert sorted(served) == ["thread-a", "thread-b"]
