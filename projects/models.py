"""Projects: the things members pin."""

from django.db import models

from members.models import Organization
from pinsite import clock
from projects.validators import PROJECT_ID_DB_REGEX, PROJECT_ID_MAX_LENGTH, validate_project_id


class Project(models.Model):
    """A project of one organization, identified across the whole service by
    its projectId (the `project_id` column)."""

    project_id = models.CharField(
        "projectId",
        max_length=PROJECT_ID_MAX_LENGTH,
        unique=True,
        validators=[validate_project_id],
    )
    name = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="projects"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["project_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project_id__regex=PROJECT_ID_DB_REGEX),
                name="projects_project_project_id_format",
                violation_error_message="Invalid projectId.",
            ),
        ]

    def __str__(self) -> str:
        return self.project_id
