"""Writes of pins. Each write is a single statement, atomic on its own."""

import logging
from contextlib import nullcontext
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connections, transaction

from members.models import Member
from pins.models import Pin
from pins.selectors import PinnedProject, project_lookup_for_member
from pinsite import clock
from pinsite.exceptions import Conflict, NotFound, ProjectNotFound
from projects.models import Project

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
        inserted = _insert_within_limit(
            member_id=member.pk, project_pk=project.pk, pinned_at=pinned_at, limit=limit
        )
    except IntegrityError:
        # The unique constraint on (member, project) referees a concurrent
        # request that pinned the same project first: answer with its pin. The
        # only other constraint is the project's foreign key, broken when the
        # project was deleted meanwhile.
        existing = (
            Pin.objects.filter(member=member, project_id=project.pk)
            .values_list("pinned_at", flat=True)
            .first()
        )
        if existing is None:
            raise ProjectNotFound(project_id) from None
        return PinnedProject(project.project_id, existing), False
    if not inserted:
        raise Conflict(f"You can pin at most {limit} projects; unpin one first")

    logger.info("Pin created: member=%s project=%s", member.pk, project.project_id)
    return PinnedProject(project.project_id, pinned_at), True


def _insert_within_limit(
    *, member_id: int, project_pk: int, pinned_at: datetime, limit: int
) -> bool:
    """Insert the pin unless the member already holds `limit` pins.

    One statement: it reads the member's pin count (kept by triggers, see the
    migration `pins.0002`), and inserts only while it is under the limit. On
    PostgreSQL the member's row is locked FOR UPDATE, so a concurrent pin of
    the same member waits, then re-reads the count the other one committed:
    the limit holds exactly under races. SQLite serialises all writes.

    Returns whether a row was inserted; raises IntegrityError when the member
    has pinned the project meanwhile.
    """
    connection = connections[Pin.objects.db]
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    # Table names come from the models; every value is a parameter.
    sql = (
        "WITH member AS ("  # noqa: S608
        f"SELECT id FROM {Member._meta.db_table} WHERE id = %s AND pin_count < %s{lock}"
        ") "
        f"INSERT INTO {Pin._meta.db_table} (member_id, project_id, pinned_at, created_at) "
        "SELECT id, %s, %s, %s FROM member RETURNING id"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [member_id, limit, project_pk, adapt(pinned_at), adapt(clock.now())]
    # A single statement is atomic on its own; inside a caller's transaction a
    # savepoint keeps a unique violation from spoiling the rest of it.
    guard = (
        transaction.atomic(using=connection.alias) if connection.in_atomic_block else nullcontext()
    )
    with guard, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def pin_delete(*, member: Member, project_id: str) -> None:
    """Unpin a project; ProjectNotFound or NotFound when there is nothing to remove."""
    if _delete_pin(member=member, project_id=project_id):
        logger.info("Pin removed: member=%s project=%s", member.pk, project_id)
        return
    project, _ = project_lookup_for_member(member=member, project_id=project_id)
    if project is None:
        raise ProjectNotFound(project_id)
    raise NotFound(f"You have not pinned project '{project_id}'")


def _delete_pin(*, member: Member, project_id: str) -> bool:
    """Delete the member's pin of the project in one statement; whether it existed.

    QuerySet.delete() would wrap the DELETE in a transaction of its own (two
    more round trips) to collect cascades and signals, and pins have neither.
    """
    connection = connections[Pin.objects.db]
    # Table names come from the models; every value is a parameter.
    sql = (
        f"DELETE FROM {Pin._meta.db_table} WHERE member_id = %s AND project_id IN ("  # noqa: S608
        f"SELECT id FROM {Project._meta.db_table} WHERE project_id = %s AND organization_id = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [member.pk, project_id, member.organization_id])
        return cursor.rowcount > 0
