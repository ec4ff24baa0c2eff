"""Sets up a demo organization, member, projects and API key for local runs."""

from django.core.management.base import BaseCommand
from django.db import transaction

from members.models import APIKey, Member, Organization
from members.services import api_key_create, api_key_revoke, member_create, organization_create
from projects.models import Project
from projects.services import project_create

DEMO_ORGANIZATION = "demo"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - a published demo credential
DEMO_PROJECTS = ("demo-checkout-service", "demo-inventory-api", "demo-payments-gateway")
DEMO_KEY_NAME = "demo"


class Command(BaseCommand):
    help = (
        "Create (or reuse) the demo organization, member and projects, and issue a fresh "
        "demo API key. Safe to run again: earlier demo keys are revoked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    @transaction.atomic
    def handle(self, *args, base_url: str, **options):
        organization = Organization.objects.filter(slug=DEMO_ORGANIZATION).first()
        if organization is None:
            organization = organization_create(slug=DEMO_ORGANIZATION, name="Demo")
        member = Member.objects.filter(email=DEMO_EMAIL).first()
        if member is None:
            member = member_create(
                email=DEMO_EMAIL,
                organization=organization,
                name="Demo Member",
                password=DEMO_PASSWORD,
                is_staff=True,
            )
            member.is_superuser = True
            member.save(update_fields=["is_superuser"])
        for project_id in DEMO_PROJECTS:
            if not Project.objects.filter(project_id=project_id).exists():
                project_create(project_id=project_id, organization=organization)
        for old in APIKey.objects.filter(
            member=member, name=DEMO_KEY_NAME, revoked_at__isnull=True
        ):
            api_key_revoke(api_key=old)
        _, key = api_key_create(member=member, name=DEMO_KEY_NAME)

        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"Demo organization: {organization.slug}",
                    f"Demo projects:     {', '.join(DEMO_PROJECTS)}",
                    f"Sign in (admin, browsable API): {DEMO_EMAIL} / {DEMO_PASSWORD}",
                    f"  API:          {base_url}/v1/pinned",
                    f"  Swagger UI:   {base_url}/v1/docs",
                    f"  Redoc:        {base_url}/v1/redoc",
                    f"  Admin:        {base_url}/admin/",
                    f"  Sign-in page: {base_url}/api-auth/login/",
                    "Demo API key (earlier demo keys are now revoked):",
                    key,
                    "",
                ]
            )
        )
