"""`manage.py createorganization SLUG [--name NAME]`: a new tenant."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.services import organization_create


class Command(BaseCommand):
    help = "Create an organization (a tenant)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Lowercase letters, digits and hyphens, e.g. acme-corp.")
        parser.add_argument("--name", default="", help="Display name; defaults to the slug.")

    def handle(self, *args, **options):
        try:
            organization = organization_create(slug=options["slug"], name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        self.stdout.write(
            f"Organization '{organization.slug}' created (name: {organization.name})."
        )
