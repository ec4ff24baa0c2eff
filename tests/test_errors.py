"""Every failure under /v1/ answers the standard JSON error body."""

import json
import logging

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from pins import views

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["code"] == code
    return body


@pytest.mark.parametrize("path", ["/v1/", "/v1", "/v1/nothing", "/v1/pinned/", "/v1/pinned/a/b"])
def test_unknown_path_is_json_not_found_with_or_without_credentials(client, api, path):
    for caller in (client, api):
        body = _error(caller.get(path), 404, "not_found")
        assert body == {
            "status": 404,
            "code": "not_found",
            "message": "Not found",
            "details": f"No endpoint at {path}",
        }


def test_method_not_allowed_is_405_with_allow_header(api):
    response = api.put("/v1/pinned", {}, format="json")

    body = _error(response, 405, "bad_request")
    assert body["message"] == "Bad request"
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_method_not_allowed_on_a_pin_lists_its_methods(api):
    response = api.post("/v1/pinned/my-project-a1b2c", {}, format="json")

    _error(response, 405, "bad_request")
    assert response["Allow"] == "GET, DELETE, HEAD, OPTIONS"


def test_authentication_is_checked_before_the_method(client):
    response = client.put("/v1/pinned", {}, format="json")

    _error(response, 401, "unauthorized")


def test_authentication_is_checked_before_the_body(client):
    response = client.post("/v1/pinned", "not json", content_type="application/json")

    _error(response, 401, "unauthorized")


def test_body_over_64_kib_is_413(api):
    payload = json.dumps({"projectId": "my-project-a1b2c", "padding": "x" * 65536})

    response = api.post("/v1/pinned", payload, content_type="application/json")

    body = _error(response, 413, "bad_request")
    assert body["details"] == "The request body must not exceed 65536 bytes"


def test_body_of_exactly_64_kib_is_accepted(api, project):
    head = json.dumps({"projectId": project.project_id, "padding": ""})
    payload = head[:-2] + "x" * (65536 - len(head)) + '"}'
    assert len(payload.encode()) == 65536

    response = api.post("/v1/pinned", payload, content_type="application/json")

    assert response.status_code == 201


def test_unsupported_content_type_is_415(api):
    response = api.post("/v1/pinned", "projectId=abc", content_type="text/plain")

    body = _error(response, 415, "bad_request")
    assert body["message"] == "Bad request"


def test_form_encoded_body_is_415(api):
    response = api.post(
        "/v1/pinned",
        "projectId=my-project-a1b2c",
        content_type="application/x-www-form-urlencoded",
    )

    _error(response, 415, "bad_request")


def test_empty_body_is_bad_request(api):
    response = api.post("/v1/pinned", "", content_type="application/json")

    body = _error(response, 400, "bad_request")
    assert body["details"] == "The request body must be a JSON object; it is empty"


@pytest.mark.parametrize(
    "payload",
    ["{", "projectId", '{"projectId": NaN}', "[" * 5000 + "]" * 5000, b"\xff\xfe"],
)
def test_body_that_is_not_json_is_bad_request(api, payload):
    response = api.post("/v1/pinned", payload, content_type="application/json")

    body = _error(response, 400, "bad_request")
    assert body["details"].startswith("The request body is not valid JSON")


@pytest.mark.parametrize("payload", ['{"projectId": 1e400}', '{"x": -1e999, "projectId": "a"}'])
def test_number_beyond_double_range_is_bad_request(api, payload):
    """Regression: such a number was read as infinity and echoed in rejectedValue,
    which JSON cannot hold, so the answer was a 500."""
    response = api.post("/v1/pinned", payload, content_type="application/json")

    body = _error(response, 400, "bad_request")
    assert "out of range" in body["details"]


@pytest.mark.parametrize(
    ("payload", "kind"), [("[]", "list"), ('"x"', "str"), ("1", "int"), ("null", "NoneType")]
)
def test_body_that_is_not_a_json_object_is_bad_request(api, payload, kind):
    response = api.post("/v1/pinned", payload, content_type="application/json")

    body = _error(response, 400, "bad_request")
    assert body["details"] == f"The request body must be a JSON object, not {kind}"


def test_host_outside_allowed_hosts_is_bad_request(api):
    response = api.get("/v1/pinned", HTTP_HOST="evil.example")

    _error(response, 400, "bad_request")


def test_session_without_csrf_token_is_forbidden(member, project):
    session_client = APIClient(enforce_csrf_checks=True)
    session_client.force_login(member)

    response = session_client.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    body = _error(response, 403, "forbidden")
    assert body["message"] == "Forbidden"


def test_unexpected_exception_is_logged_and_hidden(api, monkeypatch, caplog):
    def explode(**kwargs):
        raise RuntimeError("SELECT secret FROM somewhere")

    monkeypatch.setattr(views, "pin_list_for_member", explode)

    with caplog.at_level(logging.ERROR, logger="pinsite.errors"):
        response = api.get("/v1/pinned")

    body = _error(response, 500, "internal_error")
    assert body == {"status": 500, "code": "internal_error", "message": "Internal server error"}
    assert b"secret" not in response.content
    records = [r for r in caplog.records if r.name == "pinsite.errors"]
    assert len(records) == 1
    assert records[0].exc_info[0] is RuntimeError


def test_database_unreachable_is_503_with_retry_after(api, monkeypatch):
    def unreachable(**kwargs):
        raise OperationalError("connection refused on 10.0.0.1")

    monkeypatch.setattr(views, "pin_list_for_member", unreachable)

    response = api.get("/v1/pinned")

    body = _error(response, 503, "internal_error")
    assert response["Retry-After"] == "5"
    assert "10.0.0.1" not in json.dumps(body)


def test_json_is_answered_whatever_the_accept_header(api):
    response = api.get("/v1/pinned", HTTP_ACCEPT="application/xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_browser_asking_for_html_gets_the_browsable_api(member):
    browser = APIClient()
    browser.force_login(member)

    response = browser.get("/v1/pinned", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


class ExplodingMiddleware:
    """Fails every request before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise RuntimeError("middleware failure with a secret")


def test_exception_in_a_middleware_is_json_under_v1(settings, member):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_errors.ExplodingMiddleware"]
    client = APIClient(raise_request_exception=False)

    response = client.get("/v1/pinned")

    body = _error(response, 500, "internal_error")
    assert body == {"status": 500, "code": "internal_error", "message": "Internal server error"}


def test_exception_outside_v1_keeps_django_error_page(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_errors.ExplodingMiddleware"]
    client = APIClient(raise_request_exception=False)

    response = client.get("/admin/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
