"""Writes of projects."""

import logging

from members.models import Organization
from projects.models import Project

logger = logging.getLogger(__name__)


def project_create(*, project_id: str, organization: Organization, name: str = "") -> Project:
    """A new project; ValidationError when the projectId is invalid or taken."""
    project = Project(project_id=project_id, organization=organization, name=name or project_id)
    project.full_clean()
    project.save()
    logger.info("Project created: %s organization=%s", project_id, organization.slug)
    return project
