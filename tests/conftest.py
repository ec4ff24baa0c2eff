"""Shared fixtures: organizations, members, projects, API keys and clients."""

import os
from collections.abc import Callable
from datetime import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from members.models import Member, Organization
from members.services import api_key_create, member_create, organization_create
from pinsite import clock, ratelimit
from projects.models import Project
from projects.services import project_create


def pytest_configure(config) -> None:
    """With PINS_REQUIRE_SERVICES=1 (as in CI), refuse to run without PostgreSQL
    and Redis, so that the tests needing them cannot be skipped silently."""
    if os.environ.get("PINS_REQUIRE_SERVICES") != "1":
        return
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        raise pytest.UsageError(
            "PINS_REQUIRE_SERVICES=1 needs DATABASE_URL (PostgreSQL) and REDIS_URL"
        )


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Every test starts with untouched budgets and a reachable cache, so that
    no test spends the budget of the next one.

    With REDIS_URL this empties that Redis database: give the tests their own.
    """
    cache.clear()
    ratelimit.outage.reset()


@pytest.fixture
def organization(db) -> Organization:
    return organization_create(slug="acme", name="Acme")


@pytest.fixture
def other_organization(db) -> Organization:
    return organization_create(slug="globex", name="Globex")


@pytest.fixture
def member(organization) -> Member:
    return member_create(email="ada@acme.test", organization=organization, name="Ada")


@pytest.fixture
def project(organization) -> Project:
    return project_create(project_id="my-project-a1b2c", organization=organization)


@pytest.fixture
def make_project(organization) -> Callable[..., Project]:
    def make(project_id: str, organization: Organization = organization) -> Project:
        return project_create(project_id=project_id, organization=organization)

    return make


@pytest.fixture
def api_key(member) -> str:
    return api_key_create(member=member, name="tests")[1]


@pytest.fixture
def client() -> APIClient:
    """A client without credentials."""
    return APIClient()


@pytest.fixture
def api(api_key) -> APIClient:
    """A client authenticated as `member` with a Bearer API key."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    return client


@pytest.fixture
def frozen_now(monkeypatch) -> Callable[[datetime], None]:
    """Sets the service's clock: `frozen_now(datetime(...))`."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    return freeze
