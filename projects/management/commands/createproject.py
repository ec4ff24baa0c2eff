"""`manage.py createproject PROJECT_ID --organization SLUG [--name NAME]`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.management.lookups import organization_by_slug
from projects.services import project_create
from projects.validators import validate_project_id


class Command(BaseCommand):
    help = "Create a project of an organization."

    def add_arguments(self, parser):
        parser.add_argument(
            "project_id",
            metavar="PROJECT_ID",
            help="8 to 60 lowercase letters, digits and hyphens, unique across the service.",
        )
        parser.add_argument(
            "--organization", required=True, metavar="SLUG", help="The project's organization."
        )
        parser.add_argument("--name", default="", help="Display name; defaults to the projectId.")

    def handle(self, *args, **options):
        project_id = options["project_id"]
        organization = organization_by_slug(options["organization"])
        try:
            # Checked here first so that a bad projectId is reported with the
            # API's messages alone, not alongside the model field's own
            # length message.
            validate_project_id(project_id)
            project = project_create(
                project_id=project_id, organization=organization, name=options["name"]
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

        self.stdout.write(
            f"Project '{project.project_id}' created in organization '{organization.slug}'."
        )
