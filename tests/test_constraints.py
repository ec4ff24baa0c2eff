"""The rules hold in the database itself, not only in serializers."""

from datetime import UTC, datetime

import pytest
from django.db import DataError, IntegrityError, transaction

from members.models import APIKey, Member, Organization
from pins.models import Pin
from projects.models import Project

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 1, tzinfo=UTC)


def _violates(create) -> None:
    # An over-long value is a DataError on PostgreSQL, a CHECK failure on SQLite.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        create()


def test_a_member_pins_a_project_at_most_once(member, project):
    Pin.objects.create(member=member, project=project, pinned_at=WHEN)

    _violates(lambda: Pin.objects.create(member=member, project=project, pinned_at=WHEN))


def test_project_ids_are_unique_across_organizations(project, other_organization):
    _violates(
        lambda: Project.objects.create(
            project_id=project.project_id, organization=other_organization
        )
    )


@pytest.mark.parametrize(
    "project_id",
    ["short", "a" * 61, "Upper-case-id", "-leading-hyphen", "trailing-hyphen-", "under_score", ""],
)
def test_project_id_format_is_checked_by_the_database(organization, project_id):
    _violates(lambda: Project.objects.create(project_id=project_id, organization=organization))


def test_project_id_with_trailing_newline_is_refused_by_the_database(organization):
    _violates(
        lambda: Project.objects.create(project_id="my-project-a1b2c\n", organization=organization)
    )


def test_member_emails_are_unique_ignoring_case(member, organization):
    _violates(lambda: Member.objects.create(email="ADA@acme.test", organization=organization))


def test_organization_slug_format_is_checked_by_the_database():
    _violates(lambda: Organization.objects.create(slug="Not A Slug", name="x"))


def test_api_key_hash_must_be_a_sha256_hex_digest(member):
    _violates(lambda: APIKey.objects.create(member=member, prefix="mvp_x", key_hash="plain-key"))
