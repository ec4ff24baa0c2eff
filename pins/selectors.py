"""Reads of pins, always scoped to the calling member and their organization."""

from datetime import datetime
from typing import NamedTuple

from members.models import Member
from pins.models import Pin
from pinsite.db import aware_utc, fetch_all, fetch_one, utc_millis_sql
from projects.models import Project


class PinnedProject(NamedTuple):
    """A pin as the API shows it."""

    project_id: str
    pinned_at: datetime


class ProjectRef(NamedTuple):
    """The key and the projectId of a project."""

    pk: int
    project_id: str


_PINS = Pin._meta.db_table
_PROJECTS = Project._meta.db_table

# Table names come from the models; every value is a parameter.
# The project is looked up per pin by its key, in a subquery that PostgreSQL
# runs as such: written as a join, the planner may scan every project of the
# organization (a hash join) when its statistics overrate the member's pins,
# which made a ten-pin list cost as much as scanning thousands of projects.
# A pin whose project is in another organization reads as NULL and is dropped.
_LIST_SQL = (
    "SELECT (SELECT project.project_id FROM {projects} project "
    "WHERE project.id = pin.project_id AND project.organization_id = %s), {pinned_at} "
    "FROM {pins} pin WHERE pin.member_id = %s "
    "ORDER BY pin.pinned_at DESC, pin.created_at DESC, pin.id DESC"
)
_LOOKUP_SQL = (
    "SELECT project.id, project.project_id, "  # noqa: S608
    f"(SELECT pin.pinned_at FROM {_PINS} pin "
    "WHERE pin.project_id = project.id AND pin.member_id = %s) "
    f"FROM {_PROJECTS} project WHERE project.project_id = %s AND project.organization_id = %s"
)


def pin_list_for_member(*, member: Member) -> list[dict[str, str]]:
    """The member's pins as the API shows them, most recently pinned first.

    Ties on pinnedAt go to the most recently created pin, then the highest id,
    so the order is stable. One query reading two columns, whatever the count;
    the database writes pinnedAt in the API's format, which spares a datetime
    parse and format per pin on long lists.
    """
    sql = _LIST_SQL.format(
        pinned_at=utc_millis_sql("pin.pinned_at"), pins=_PINS, projects=_PROJECTS
    )
    rows = fetch_all(sql, [member.organization_id, member.pk])
    return [
        {"projectId": project_id, "pinnedAt": pinned_at}
        for project_id, pinned_at in rows
        if project_id is not None
    ]


def project_lookup_for_member(
    *, member: Member, project_id: str
) -> tuple[ProjectRef | None, datetime | None]:
    """The project with this projectId in the member's organization, and when
    the member pinned it: (None, None) when there is no such project for the
    member, (project, None) when it is not pinned. One query.

    A project of another organization is answered exactly like a missing one.
    """
    row = fetch_one(_LOOKUP_SQL, [member.pk, project_id, member.organization_id])
    if row is None:
        return None, None
    pk, found_id, pinned_at = row
    return ProjectRef(pk, found_id), aware_utc(pinned_at)
