"""Reads of pins, always scoped to the calling member and their organization."""

from datetime import datetime
from typing import NamedTuple

from django.db.models import OuterRef, Subquery

from members.models import Member
from pins.models import Pin
from projects.models import Project


class PinnedProject(NamedTuple):
    """A pin as the API shows it."""

    project_id: str
    pinned_at: datetime


def pin_list_for_member(*, member: Member) -> list[PinnedProject]:
    """The member's pins, most recently pinned first.

    Ties on pinnedAt go to the most recently created pin, then the highest id,
    so the order is stable. One query reading two columns, whatever the count.
    """
    rows = (
        Pin.objects.filter(member=member, project__organization_id=member.organization_id)
        .order_by("-pinned_at", "-created_at", "-id")
        .values_list("project__project_id", "pinned_at")
    )
    return [PinnedProject(project_id, pinned_at) for project_id, pinned_at in rows]


def project_lookup_for_member(
    *, member: Member, project_id: str
) -> tuple[Project | None, datetime | None]:
    """The project with this projectId in the member's organization, and when
    the member pinned it: (None, None) when there is no such project for the
    member, (project, None) when it is not pinned. One query.

    A project of another organization is answered exactly like a missing one.
    """
    pinned_at = Pin.objects.filter(project=OuterRef("pk"), member=member).values("pinned_at")
    project = (
        Project.objects.filter(project_id=project_id, organization_id=member.organization_id)
        .annotate(member_pinned_at=Subquery(pinned_at[:1]))
        .only("pk", "project_id")
        .first()
    )
    if project is None:
        return None, None
    return project, project.member_pinned_at
