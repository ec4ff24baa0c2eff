"""The pins endpoints as a client sees them."""

from datetime import UTC, datetime

import pytest

from members.services import member_create
from pins.models import Pin

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 3, 17, 56, 36, 123456, tzinfo=UTC)


def test_list_is_empty_array_without_pins(api):
    response = api.get("/v1/pinned")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == b"[]"


def test_pin_creates_with_201_location_and_body(api, project, frozen_now):
    frozen_now(NOW)

    response = api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    assert response.status_code == 201
    assert response["Location"] == "/v1/pinned/my-project-a1b2c"
    assert response.json() == {
        "projectId": "my-project-a1b2c",
        "pinnedAt": "2026-12-03T17:56:36.123Z",
    }
    pin = Pin.objects.get()
    assert pin.pinned_at == datetime(2026, 12, 3, 17, 56, 36, 123000, tzinfo=UTC)


def test_pinning_twice_keeps_original_pinned_at(api, project, frozen_now):
    frozen_now(NOW)
    api.post("/v1/pinned", {"projectId": project.project_id}, format="json")
    frozen_now(datetime(2026, 12, 4, tzinfo=UTC))

    response = api.post(
        "/v1/pinned",
        {"projectId": project.project_id, "pinnedAt": "2026-12-03T20:00:00Z"},
        format="json",
    )

    assert response.status_code == 200
    assert "Location" not in response
    assert response.json() == {
        "projectId": "my-project-a1b2c",
        "pinnedAt": "2026-12-03T17:56:36.123Z",
    }
    assert Pin.objects.count() == 1


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2026-12-01T10:00:00Z", "2026-12-01T10:00:00.000Z"),
        ("2026-12-01T10:00:00.987654321Z", "2026-12-01T10:00:00.987Z"),
        ("2026-12-01T12:30:00.5+02:30", "2026-12-01T10:00:00.500Z"),
        ("2026-11-30t23:00:00-11:00", "2026-12-01T10:00:00.000Z"),
        ("2026-12-01T10:00:00.1z", "2026-12-01T10:00:00.100Z"),
        (None, "2026-12-03T17:56:36.123Z"),
    ],
)
def test_pinned_at_is_stored_in_utc_truncated_to_milliseconds(
    api, project, frozen_now, sent, stored
):
    frozen_now(NOW)

    response = api.post(
        "/v1/pinned", {"projectId": project.project_id, "pinnedAt": sent}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["pinnedAt"] == stored
    assert api.get("/v1/pinned").json() == [{"projectId": project.project_id, "pinnedAt": stored}]


def test_pinned_at_equal_to_now_is_accepted(api, project, frozen_now):
    frozen_now(NOW)

    response = api.post(
        "/v1/pinned",
        {"projectId": project.project_id, "pinnedAt": "2026-12-03T17:56:36.123456Z"},
        format="json",
    )

    assert response.status_code == 201


def test_unknown_fields_are_ignored(api, project):
    response = api.post(
        "/v1/pinned", {"projectId": project.project_id, "colour": "red"}, format="json"
    )

    assert response.status_code == 201
    assert set(response.json()) == {"projectId", "pinnedAt"}


def test_list_is_most_recently_pinned_first_with_ties_by_creation(api, make_project, frozen_now):
    for project_id, pinned_at in [
        ("project-old", "2026-01-01T00:00:00Z"),
        ("project-tie-first", "2026-06-01T00:00:00Z"),
        ("project-new", "2026-11-01T00:00:00Z"),
        ("project-tie-second", "2026-06-01T00:00:00Z"),
    ]:
        make_project(project_id)
        response = api.post(
            "/v1/pinned", {"projectId": project_id, "pinnedAt": pinned_at}, format="json"
        )
        assert response.status_code == 201

    listed = [pin["projectId"] for pin in api.get("/v1/pinned").json()]

    assert listed == ["project-new", "project-tie-second", "project-tie-first", "project-old"]


def test_list_shows_only_the_callers_pins(api, organization, make_project):
    mine, theirs = make_project("project-mine"), make_project("project-theirs")
    colleague = member_create(email="bob@acme.test", organization=organization)
    Pin.objects.create(member=colleague, project=theirs, pinned_at=NOW)
    api.post("/v1/pinned", {"projectId": mine.project_id}, format="json")

    listed = [pin["projectId"] for pin in api.get("/v1/pinned").json()]

    assert listed == ["project-mine"]


def test_get_one_pin(api, project, frozen_now):
    frozen_now(NOW)
    api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    response = api.get("/v1/pinned/my-project-a1b2c")

    assert response.status_code == 200
    assert response.json() == {
        "projectId": "my-project-a1b2c",
        "pinnedAt": "2026-12-03T17:56:36.123Z",
    }


def test_get_one_unpinned_project_is_not_found(api, project):
    response = api.get("/v1/pinned/my-project-a1b2c")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "message": "Not found",
        "details": "You have not pinned project 'my-project-a1b2c'",
    }


def test_get_one_unknown_project_is_project_not_found(api):
    response = api.get("/v1/pinned/no-such-project")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "project_not_found",
        "message": "Project not found",
        "details": "No project 'no-such-project' in your organization",
    }


def test_pin_unknown_project_is_project_not_found(api):
    response = api.post("/v1/pinned", {"projectId": "no-such-project"}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "project_not_found"
    assert Pin.objects.count() == 0


def test_delete_removes_the_pin(api, project):
    api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    response = api.delete("/v1/pinned/my-project-a1b2c")

    assert response.status_code == 204
    assert response.content == b""
    assert Pin.objects.count() == 0
    assert api.get("/v1/pinned").json() == []


def test_delete_unpinned_project_is_not_found(api, project):
    response = api.delete("/v1/pinned/my-project-a1b2c")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_delete_unknown_project_is_project_not_found(api):
    response = api.delete("/v1/pinned/no-such-project")

    assert response.status_code == 404
    assert response.json()["code"] == "project_not_found"


def test_delete_leaves_other_members_pins(api, organization, project):
    colleague = member_create(email="bob@acme.test", organization=organization)
    Pin.objects.create(member=colleague, project=project, pinned_at=NOW)

    response = api.delete("/v1/pinned/my-project-a1b2c")

    assert response.status_code == 404
    assert Pin.objects.filter(member=colleague).count() == 1


def test_pin_limit_answers_conflict_with_the_limit(api, make_project, settings):
    settings.PINS_MAX_PER_MEMBER = 2
    for project_id in ("project-one", "project-two", "project-three"):
        make_project(project_id)
    for project_id in ("project-one", "project-two"):
        assert api.post("/v1/pinned", {"projectId": project_id}, format="json").status_code == 201

    response = api.post("/v1/pinned", {"projectId": "project-three"}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "status": 409,
        "code": "conflict",
        "message": "Conflict",
        "details": "You can pin at most 2 projects; unpin one first",
    }
    assert Pin.objects.count() == 2


def test_pin_limit_still_allows_repeating_an_existing_pin(api, make_project, settings):
    settings.PINS_MAX_PER_MEMBER = 1
    make_project("project-one")
    api.post("/v1/pinned", {"projectId": "project-one"}, format="json")

    response = api.post("/v1/pinned", {"projectId": "project-one"}, format="json")

    assert response.status_code == 200


def test_unpinning_frees_a_place_under_the_limit(api, make_project, settings):
    settings.PINS_MAX_PER_MEMBER = 1
    make_project("project-one")
    make_project("project-two")
    api.post("/v1/pinned", {"projectId": "project-one"}, format="json")
    api.delete("/v1/pinned/project-one")

    response = api.post("/v1/pinned", {"projectId": "project-two"}, format="json")

    assert response.status_code == 201
