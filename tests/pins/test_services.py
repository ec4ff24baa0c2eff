"""The pins services, below the HTTP layer."""

from datetime import UTC, datetime

import pytest

from pins import services
from pins.models import Pin
from pins.selectors import PinnedProject
from pins.services import pin_create, pin_delete
from pinsite.exceptions import Conflict, NotFound, ProjectNotFound

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 1, 9, 30, 15, 123999, tzinfo=UTC)


def test_pin_create_returns_the_pin_and_created(member, project):
    pin, created = pin_create(member=member, project_id=project.project_id, pinned_at=WHEN)

    assert created is True
    assert pin == PinnedProject("my-project-a1b2c", datetime(2026, 12, 1, 9, 30, 15, 123000, UTC))


def test_pin_create_of_a_foreign_project_raises_project_not_found(member, other_organization):
    from projects.services import project_create

    project_create(project_id="globex-project", organization=other_organization)

    with pytest.raises(ProjectNotFound):
        pin_create(member=member, project_id="globex-project")


def test_pin_create_losing_a_race_returns_the_winners_pin(member, project, monkeypatch):
    """The unique constraint referees when the pre-check saw no pin."""
    Pin.objects.create(member=member, project=project, pinned_at=WHEN)
    monkeypatch.setattr(services, "project_lookup_for_member", lambda **kwargs: (project, None))

    pin, created = pin_create(member=member, project_id=project.project_id)

    assert created is False
    assert pin.pinned_at == WHEN
    assert Pin.objects.count() == 1


def test_pin_create_over_the_limit_raises_conflict_and_writes_nothing(
    member, make_project, settings
):
    settings.PINS_MAX_PER_MEMBER = 1
    make_project("project-one")
    make_project("project-two")
    pin_create(member=member, project_id="project-one")

    with pytest.raises(Conflict):
        pin_create(member=member, project_id="project-two")

    assert list(Pin.objects.values_list("project__project_id", flat=True)) == ["project-one"]


def test_pin_delete_distinguishes_unknown_project_from_unpinned(member, project):
    with pytest.raises(NotFound):
        pin_delete(member=member, project_id=project.project_id)
    with pytest.raises(ProjectNotFound):
        pin_delete(member=member, project_id="no-such-project")


def test_pins_are_logged_with_ids_only(member, project, caplog):
    with caplog.at_level("INFO", logger="pins.services"):
        pin_create(member=member, project_id=project.project_id)
        pin_delete(member=member, project_id=project.project_id)

    assert [r.getMessage() for r in caplog.records] == [
        f"Pin created: member={member.pk} project=my-project-a1b2c",
        f"Pin removed: member={member.pk} project=my-project-a1b2c",
    ]
