"""Pins: "member M pinned project P at time T"."""

from django.core.exceptions import ValidationError
from django.db import models

from members.models import Member
from pinsite import clock
from projects.models import Project


class Pin(models.Model):
    """A member's pin of a project of their own organization.

    A member pins each project at most once: the unique constraint is what
    decides between two requests racing to pin the same project.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="pins")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pins")
    pinned_at = models.DateTimeField(help_text="When the project was pinned (UTC, milliseconds).")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-pinned_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "project"],
                name="pins_pin_unique_member_project",
                violation_error_message="This member has already pinned this project.",
            ),
        ]
        indexes = [
            # Serves the list endpoint: one member's pins, newest first.
            models.Index(
                fields=["member", "-pinned_at", "-created_at", "-id"],
                name="pins_pin_member_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.project_id}"

    def clean(self) -> None:
        super().clean()
        if (
            self.member_id
            and self.project_id
            and self.member.organization_id != self.project.organization_id
        ):
            raise ValidationError("A member can only pin projects of their own organization.")
