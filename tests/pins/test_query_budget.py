"""Database queries per request, authentication included.

These run without the test's wrapping transaction, so the counts are the ones
a production request makes (no savepoints). The key is used once beforehand:
its last-used time is written at most once a minute, not on every request.
"""

from datetime import UTC, datetime

import pytest

from pins.models import Pin

pytestmark = pytest.mark.django_db(transaction=True)

WHEN = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def warm_api(api):
    api.get("/v1/pinned")
    return api


@pytest.mark.parametrize("pins", [0, 10, 200])
def test_list_costs_two_queries_whatever_the_number_of_pins(
    warm_api, member, make_project, pins, django_assert_num_queries
):
    Pin.objects.bulk_create(
        Pin(member=member, project=make_project(f"budget-project-{n:04d}"), pinned_at=WHEN)
        for n in range(pins)
    )

    with django_assert_num_queries(2):
        response = warm_api.get("/v1/pinned")

    assert len(response.json()) == pins


def test_reading_one_pin_costs_two_queries(warm_api, project, django_assert_num_queries):
    warm_api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    with django_assert_num_queries(2):
        assert warm_api.get(f"/v1/pinned/{project.project_id}").status_code == 200


def test_new_pin_costs_three_queries(warm_api, project, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = warm_api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    assert response.status_code == 201


def test_repeated_pin_costs_two_queries(warm_api, project, django_assert_num_queries):
    warm_api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    with django_assert_num_queries(2):
        response = warm_api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    assert response.status_code == 200


def test_pin_over_the_limit_costs_three_queries(
    warm_api, make_project, settings, django_assert_num_queries
):
    settings.PINS_MAX_PER_MEMBER = 1
    make_project("budget-first")
    make_project("budget-second")
    warm_api.post("/v1/pinned", {"projectId": "budget-first"}, format="json")

    with django_assert_num_queries(3):
        response = warm_api.post("/v1/pinned", {"projectId": "budget-second"}, format="json")

    assert response.status_code == 409


def test_unpin_costs_two_queries(warm_api, project, django_assert_num_queries):
    warm_api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    with django_assert_num_queries(2):
        assert warm_api.delete(f"/v1/pinned/{project.project_id}").status_code == 204


def test_unpin_of_an_unpinned_project_costs_three_queries(
    warm_api, project, django_assert_num_queries
):
    with django_assert_num_queries(3):
        assert warm_api.delete(f"/v1/pinned/{project.project_id}").status_code == 404
