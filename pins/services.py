"""Writes of pins. Each service owns its transaction."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from members.models import Member
from pins.models import Pin
from pins.selectors import PinnedProject, project_lookup_for_member
from pinsite import clock
from pinsite.exceptions import Conflict, NotFound, ProjectNotFound

logger = logging.getLogger(__name__)


def truncate_to_milliseconds(value: datetime) -> datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def pin_get(*, member: Member, project_id: str) -> PinnedProject:
    """The member's pin of a project; ProjectNotFound or NotFound otherwise."""
    project, pinned_at = project_lookup_for_member(member=member, project_id=project_id)
    if project is None:
        raise ProjectNotFound(project_id)
    if pinned_at is None:
        raise NotFound(f"You have not pinned project '{project_id}'")
    return PinnedProject(project.project_id, pinned_at)


def pin_create(
    *, member: Member, project_id: str, pinned_at: datetime | None = None
) -> tuple[PinnedProject, bool]:
    """Pin a project for a member; idempotent.

    Returns the pin and whether it was created. An existing pin is returned
    unchanged, its original pinnedAt kept. Raises ProjectNotFound when the
    project is not in the member's organization, and Conflict when the member
    already holds PINS_MAX_PER_MEMBER pins.
    """
    project, existing = project_lookup_for_member(member=member, project_id=project_id)
    if project is None:
        raise ProjectNotFound(project_id)
    if existing is not None:
        return PinnedProject(project.project_id, existing), False

    pinned_at = truncate_to_milliseconds(pinned_at or clock.now())
    limit = settings.PINS_MAX_PER_MEMBER
    try:
        with transaction.atomic():
            # Locking the member's row serialises this member's pin creations,
            # so the count below cannot be raced past the limit.
            Member.objects.select_for_update().filter(pk=member.pk).values_list("pk").get()
            if Pin.objects.filter(member=member).count() >= limit:
                raise Conflict(f"You can pin at most {limit} projects; unpin one first")
            Pin.objects.create(member=member, project=project, pinned_at=pinned_at)
    except IntegrityError:
        # The unique constraint on (member, project) referees a concurrent
        # request that pinned the same project first: answer with its pin. The
        # only other constraint is the project's foreign key, broken when the
        # project was deleted meanwhile.
        existing = (
            Pin.objects.filter(member=member, project=project)
            .values_list("pinned_at", flat=True)
            .first()
        )
        if existing is None:
            raise ProjectNotFound(project_id) from None
        return PinnedProject(project.project_id, existing), False

    logger.info("Pin created: member=%s project=%s", member.pk, project.project_id)
    return PinnedProject(project.project_id, pinned_at), True


def pin_delete(*, member: Member, project_id: str) -> None:
    """Unpin a project; ProjectNotFound or NotFound when there is nothing to remove."""
    deleted, _ = Pin.objects.filter(
        member=member,
        project__project_id=project_id,
        project__organization_id=member.organization_id,
    ).delete()
    if deleted:
        logger.info("Pin removed: member=%s project=%s", member.pk, project_id)
        return
    project, _ = project_lookup_for_member(member=member, project_id=project_id)
    if project is None:
        raise ProjectNotFound(project_id)
    raise NotFound(f"You have not pinned project '{project_id}'")
