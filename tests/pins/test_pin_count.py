"""The member's pin counter, kept by database triggers, matches the pins."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from members.models import Member
from members.services import member_create
from pins.models import Pin
from pins.services import pin_create, pin_delete

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 1, tzinfo=UTC)


def _count(member: Member) -> int:
    return Member.objects.values_list("pin_count", flat=True).get(pk=member.pk)


def test_pin_count_follows_every_insert_and_delete(member, organization, make_project):
    first, second, third = (make_project(f"counted-project-{n}") for n in range(3))

    pin_create(member=member, project_id=first.project_id)
    Pin.objects.create(member=member, project=second, pinned_at=WHEN)
    Pin.objects.bulk_create([Pin(member=member, project=third, pinned_at=WHEN)])
    assert _count(member) == 3

    pin_delete(member=member, project_id=first.project_id)
    assert _count(member) == 2

    # A cascade from a deleted project, as the admin does it.
    second.delete()
    assert _count(member) == 1

    colleague = member_create(email="bob@acme.test", organization=organization)
    Pin.objects.filter(member=member).update(member=colleague)
    assert (_count(member), _count(colleague)) == (0, 1)

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pins_pin")
    assert _count(colleague) == 0


def test_pin_limit_counts_pins_made_outside_the_api(api, member, make_project, settings):
    settings.PINS_MAX_PER_MEMBER = 1
    Pin.objects.create(member=member, project=make_project("admin-made-pin"), pinned_at=WHEN)
    make_project("api-made-pin")

    response = api.post("/v1/pinned", {"projectId": "api-made-pin"}, format="json")

    assert response.status_code == 409
