"""The projectId and pinnedAt rules, in bodies and paths."""

from datetime import UTC, datetime

import pytest

from pins.models import Pin

pytestmark = pytest.mark.django_db

BLANK = "must not be blank"
NOT_STRING = "must be a string"
SIZE = "size must be between 8 and 60"
PATTERN = 'must match "^[a-z0-9][a-z0-9-]*[a-z0-9]$"'
DATETIME = "must be an RFC 3339 date-time with a time zone"
FUTURE = "must not be in the future"
MISSING = object()


def _violations(response) -> list[tuple[str, str, object]]:
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"status", "code", "message", "violations"}
    assert (body["status"], body["code"], body["message"]) == (
        400,
        "validation_failed",
        "Validation failed",
    )
    return [(v["field"], v["message"], v["rejectedValue"]) for v in body["violations"]]


@pytest.mark.parametrize(
    ("value", "messages"),
    [
        (MISSING, [BLANK]),
        (None, [BLANK]),
        ("", [BLANK]),
        (12345678, [NOT_STRING]),
        (1.5, [NOT_STRING]),
        (True, [NOT_STRING]),
        (["my-project-a1b2c"], [NOT_STRING]),
        ({"id": "my-project-a1b2c"}, [NOT_STRING]),
        ("abc", [SIZE]),
        ("a" * 61, [SIZE]),
        ("ABC", [SIZE, PATTERN]),
        ("-abcdefgh", [PATTERN]),
        ("abcdefgh-", [PATTERN]),
        ("my_project", [PATTERN]),
        ("My-Project-1", [PATTERN]),
        (" my-project-a1b2c", [PATTERN]),
        ("my-project-a1b2c ", [PATTERN]),
        ("my-project-a1b2c\n", [PATTERN]),
        ("projet-été", [PATTERN]),
        ("-", [SIZE, PATTERN]),
        ("        ", [PATTERN]),
    ],
)
def test_project_id_rule_violations(api, value, messages):
    body = {} if value is MISSING else {"projectId": value}

    response = api.post("/v1/pinned", body, format="json")

    rejected = None if value is MISSING else value
    assert _violations(response) == [("projectId", m, rejected) for m in messages]
    assert Pin.objects.count() == 0


@pytest.mark.parametrize("project_id", ["a" * 8, "0" * 60, "a-b-c-d-e", "12345678"])
def test_project_ids_at_the_edges_of_the_rule_are_valid(api, project_id):
    response = api.post("/v1/pinned", {"projectId": project_id}, format="json")

    # Valid but unknown: the lookup runs, so the rule let it through.
    assert response.status_code == 404
    assert response.json()["code"] == "project_not_found"


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-01",
        "2026-12-01T10:00:00",
        "2026-12-01 10:00:00Z",
        "2026-12-01T10:00Z",
        "2026-13-01T10:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-12-01T24:00:00Z",
        "2026-12-01T10:00:00+24:00",
        "2026-12-01T10:00:00+0100",
        "2026-12-01T10:00:00.Z",
        "0000-01-01T00:00:00Z",
        "yesterday",
        "",
        1764758196,
        True,
        ["2026-12-01T10:00:00Z"],
    ],
)
def test_pinned_at_must_be_rfc3339_with_time_zone(api, project, value):
    response = api.post(
        "/v1/pinned", {"projectId": project.project_id, "pinnedAt": value}, format="json"
    )

    assert _violations(response) == [("pinnedAt", DATETIME, value)]


def test_pinned_at_in_the_future_is_refused(api, project, frozen_now):
    frozen_now(datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC))

    response = api.post(
        "/v1/pinned",
        {"projectId": project.project_id, "pinnedAt": "2026-12-03T12:00:00.001Z"},
        format="json",
    )

    assert _violations(response) == [("pinnedAt", FUTURE, "2026-12-03T12:00:00.001Z")]


def test_pinned_at_compares_instants_across_offsets(api, project, frozen_now):
    frozen_now(datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC))

    # 13:30+02:00 is 11:30 UTC: in the past although its wall clock is later.
    response = api.post(
        "/v1/pinned",
        {"projectId": project.project_id, "pinnedAt": "2026-12-03T13:30:00+02:00"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["pinnedAt"] == "2026-12-03T11:30:00.000Z"


def test_a_leap_second_is_accepted(api, project):
    response = api.post(
        "/v1/pinned",
        {"projectId": project.project_id, "pinnedAt": "2016-12-31T23:59:60Z"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["pinnedAt"] == "2016-12-31T23:59:59.999Z"


def test_pinned_at_in_year_one_is_written_with_four_digits(api, project):
    """Regression: years before 1000 came back unpadded ("1-01-01T..."), which is
    not an RFC 3339 date-time; the fuzzer found it."""
    response = api.post(
        "/v1/pinned",
        {"projectId": project.project_id, "pinnedAt": "0001-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["pinnedAt"] == "0001-01-01T00:00:00.000Z"
    assert api.get("/v1/pinned").json()[0]["pinnedAt"] == "0001-01-01T00:00:00.000Z"


def test_every_broken_field_is_reported_at_once(api):
    response = api.post("/v1/pinned", {"projectId": "AB", "pinnedAt": "soon"}, format="json")

    assert _violations(response) == [
        ("projectId", SIZE, "AB"),
        ("projectId", PATTERN, "AB"),
        ("pinnedAt", DATETIME, "soon"),
    ]


@pytest.mark.parametrize("method", ["get", "delete"])
@pytest.mark.parametrize(
    ("segment", "rejected", "messages"),
    [
        ("abc", "abc", [SIZE]),
        ("ABCDEFGHIJ", "ABCDEFGHIJ", [PATTERN]),
        ("a" * 61, "a" * 61, [SIZE]),
        ("my_project", "my_project", [PATTERN]),
        ("my-project-a1b2c%0A", "my-project-a1b2c\n", [PATTERN]),
        ("%20my-project", " my-project", [PATTERN]),
    ],
)
def test_path_project_id_breaking_the_rule_is_validation_failed(
    api, method, segment, rejected, messages
):
    response = getattr(api, method)(f"/v1/pinned/{segment}")

    assert _violations(response) == [("projectId", m, rejected) for m in messages]
