"""The OpenAPI schema: generated from the code, committed, served, and complete."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

from pinsite.exceptions import ERROR_CODES
from projects.validators import PROJECT_ID_MAX_LENGTH, PROJECT_ID_MIN_LENGTH, PROJECT_ID_PATTERN

COMMITTED = Path(__file__).resolve().parent.parent / "openapi.yaml"
DOC_PATHS = ["/v1/schema", "/v1/docs", "/v1/redoc"]

# Every status each operation answers with, as the README's error table says.
OPERATIONS = {
    ("/v1/pinned", "post"): (
        "createPinned",
        {"200", "201", "400", "401", "403", "404", "409", "413", "415", "429", "500", "503"},
    ),
    ("/v1/pinned", "get"): ("getPinned", {"200", "401", "429", "500", "503"}),
    ("/v1/pinned/{projectId}", "get"): (
        "getPinnedProject",
        {"200", "400", "401", "404", "429", "500", "503"},
    ),
    ("/v1/pinned/{projectId}", "delete"): (
        "deletePinned",
        {"204", "400", "401", "403", "404", "429", "500", "503"},
    ),
}
RATE_LIMIT_HEADERS = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}


@pytest.fixture(scope="module")
def schema() -> dict:
    return yaml.safe_load(COMMITTED.read_text())


def _operation(schema: dict, path: str, method: str) -> dict:
    return schema["paths"][path][method]


def test_committed_schema_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", file=str(generated))

    assert generated.read_text() == COMMITTED.read_text(), (
        "openapi.yaml differs from the schema the code generates: run `make schema`"
    )


def test_schema_is_served_as_yaml_by_default(client, schema):
    response = client.get("/v1/schema")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(response.content) == schema


def test_schema_is_served_as_json_on_request(client, schema):
    response = client.get("/v1/schema?format=json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    assert json.loads(response.content) == schema


@pytest.mark.parametrize("path", DOC_PATHS)
def test_schema_and_docs_are_public(client, path):
    assert client.get(path).status_code == 200
    # A stale or wrong key in the browser does not lock a reader out.
    assert client.get(path, HTTP_AUTHORIZATION="Bearer mvp_not-a-key").status_code == 200


@pytest.mark.parametrize("path", DOC_PATHS)
@override_settings(PINS_RATE_ANON="2/m", PINS_RATE_READ="2/m")
def test_schema_and_docs_spend_no_rate_budget(client, path):
    statuses = {client.get(path).status_code for _ in range(5)}

    assert statuses == {200}


@pytest.mark.parametrize("path", ["/v1/docs", "/v1/redoc"])
def test_docs_load_every_asset_from_the_service(client, path):
    html = client.get(path).content.decode()

    # Inline `data:` URLs are part of the page itself.
    assets = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if url[:5] != "data:"]
    assert assets, "the page loads no script or stylesheet"
    for asset in assets:
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not shipped"
    assert "/v1/schema" in html


@pytest.mark.parametrize(("path", "method"), list(OPERATIONS))
def test_every_operation_documents_each_of_its_statuses(schema, path, method):
    operation_id, statuses = OPERATIONS[(path, method)]
    operation = _operation(schema, path, method)

    assert operation["operationId"] == operation_id
    assert set(operation["responses"]) == statuses
    assert operation["description"]
    for status, response in operation["responses"].items():
        assert response["description"], status
        if status.startswith(("4", "5")):
            (body,) = response["content"].values()
            assert "$ref" in body["schema"], status


def test_error_bodies_are_documented(schema):
    components = schema["components"]["schemas"]
    post = _operation(schema, "/v1/pinned", "post")["responses"]

    def body_ref(status: str) -> str:
        return post[status]["content"]["application/json"]["schema"]["$ref"]

    assert components["ErrorCode"]["enum"] == list(ERROR_CODES)
    assert len(ERROR_CODES) == 19
    assert set(components["Error"]["required"]) == {"status", "code", "message"}
    assert set(components["Error"]["properties"]) == {"status", "code", "message", "details"}
    assert components["ValidationError"]["properties"]["code"]["enum"] == ["validation_failed"]
    assert set(components["Violation"]["required"]) == {"field", "message", "rejectedValue"}
    assert components["Violation"]["properties"]["rejectedValue"]["nullable"] is True
    assert "type" not in components["Violation"]["properties"]["rejectedValue"]
    assert "retryAfter" in components["RateLimitError"]["required"]
    assert body_ref("400") == "#/components/schemas/BadRequestError"
    assert components["BadRequestError"]["anyOf"] == [
        {"$ref": "#/components/schemas/ValidationError"},
        {"$ref": "#/components/schemas/Error"},
    ]
    assert body_ref("404") == "#/components/schemas/Error"
    assert body_ref("429") == "#/components/schemas/RateLimitError"


def test_project_id_rule_is_the_same_in_body_path_and_pin(schema):
    rule = {
        "type": "string",
        "minLength": PROJECT_ID_MIN_LENGTH,
        "maxLength": PROJECT_ID_MAX_LENGTH,
        "pattern": PROJECT_ID_PATTERN,
    }
    components = schema["components"]["schemas"]
    in_body = components["PinRequest"]["properties"]["projectId"]
    in_pin = components["Pin"]["properties"]["projectId"]
    path_parameters = [
        parameter
        for method in ("get", "delete")
        for parameter in _operation(schema, "/v1/pinned/{projectId}", method)["parameters"]
    ]

    assert len(path_parameters) == 2
    for parameter in path_parameters:
        assert (parameter["name"], parameter["in"], parameter["required"]) == (
            "projectId",
            "path",
            True,
        )
        assert rule.items() <= parameter["schema"].items()
    assert rule.items() <= in_body.items()
    assert rule.items() <= in_pin.items()
    assert components["PinRequest"]["required"] == ["projectId"]


def test_pinned_at_is_a_date_time_optional_and_nullable_in_the_request(schema):
    components = schema["components"]["schemas"]
    requested = components["PinRequest"]["properties"]["pinnedAt"]
    answered = components["Pin"]["properties"]["pinnedAt"]

    assert (requested["type"], requested["format"], requested["nullable"]) == (
        "string",
        "date-time",
        True,
    )
    assert "pinnedAt" not in components["PinRequest"]["required"]
    assert (answered["type"], answered["format"]) == ("string", "date-time")
    assert "nullable" not in answered
    assert set(components["Pin"]["required"]) == {"projectId", "pinnedAt"}


def test_only_json_request_bodies_are_advertised(schema):
    for (path, method), _ in OPERATIONS.items():
        body = _operation(schema, path, method).get("requestBody")
        if body is not None:
            assert set(body["content"]) == {"application/json"}, (path, method)
    assert _operation(schema, "/v1/pinned", "post")["requestBody"]["required"] is True


def test_headers_are_documented(schema):
    for path, method in OPERATIONS:
        for status, response in _operation(schema, path, method)["responses"].items():
            headers = response.get("headers", {})
            assert set(headers) >= RATE_LIMIT_HEADERS, (path, method, status)
            assert ("Retry-After" in headers) == (status in {"429", "503"}), (path, method)
            assert ("WWW-Authenticate" in headers) == (status == "401"), (path, method)
            assert ("Location" in headers) == (status == "201"), (path, method)
            for name in ("Retry-After", "WWW-Authenticate", "Location"):
                if name in headers:
                    assert headers[name]["required"] is True


def test_both_security_schemes_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]

    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["bearerAuth"].items()
    assert {"type": "apiKey", "in": "cookie", "name": "sessionid"}.items() <= schemes[
        "cookieAuth"
    ].items()
    for path, method in OPERATIONS:
        security = _operation(schema, path, method)["security"]
        assert security == [{"bearerAuth": []}, {"cookieAuth": []}]


def test_schema_describes_the_behaviour_in_its_own_words(schema):
    text = json.dumps(schema)

    for phrase in ("idempotent", "most recently pinned first", "PINS_MAX_PER_MEMBER", "64 KiB"):
        assert phrase in text, phrase
    assert "organization" in schema["info"]["description"]
    # It describes the API on its own, without pointing at documents elsewhere.
    assert not re.search(r"CONTRACT|\.md\b", text)
