"""A project of another organization is indistinguishable from a missing one."""

from datetime import UTC, datetime

import pytest

from members.services import member_create
from pins.models import Pin
from projects.services import project_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_project(other_organization):
    return project_create(project_id="globex-secret-plan", organization=other_organization)


def _without_details(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "details"}


def test_pinning_foreign_project_answers_like_a_missing_one(api, foreign_project):
    foreign = api.post("/v1/pinned", {"projectId": "globex-secret-plan"}, format="json")
    missing = api.post("/v1/pinned", {"projectId": "globex-missing-plan"}, format="json")

    assert foreign.status_code == missing.status_code == 404
    assert _without_details(foreign.json()) == _without_details(missing.json())
    assert foreign.json()["details"] == "No project 'globex-secret-plan' in your organization"
    assert Pin.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "delete"])
def test_reading_or_unpinning_foreign_project_answers_like_a_missing_one(
    api, foreign_project, other_organization, method
):
    outsider = member_create(email="eve@globex.test", organization=other_organization)
    Pin.objects.create(
        member=outsider, project=foreign_project, pinned_at=datetime(2026, 1, 1, tzinfo=UTC)
    )

    response = getattr(api, method)("/v1/pinned/globex-secret-plan")

    assert response.status_code == 404
    assert response.json()["code"] == "project_not_found"
    assert Pin.objects.filter(member=outsider).count() == 1


def test_list_never_shows_pins_of_a_project_moved_to_another_organization(
    api, member, project, other_organization
):
    api.post("/v1/pinned", {"projectId": project.project_id}, format="json")
    project.organization = other_organization
    project.save()

    assert api.get("/v1/pinned").json() == []
    assert api.get("/v1/pinned/my-project-a1b2c").json()["code"] == "project_not_found"
