"""`manage.py createmember EMAIL --organization SLUG [...]`: a new member."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.management.lookups import organization_by_slug
from members.models import Member
from members.services import member_create


class Command(BaseCommand):
    help = (
        "Create a member of an organization. Without --password the member can "
        "only use API keys; with --staff they can sign in to the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The member's email, which they sign in with.")
        parser.add_argument(
            "--organization", required=True, metavar="SLUG", help="The member's organization."
        )
        parser.add_argument("--name", default="", help="The member's display name.")
        parser.add_argument(
            "--password", help="Checked against the password validators of the settings."
        )
        parser.add_argument(
            "--staff", action="store_true", help="Let the member sign in to the admin."
        )

    def handle(self, *args, **options):
        email = options["email"].strip()
        organization = organization_by_slug(options["organization"])
        password = options["password"]
        if password is not None:
            # The similarity validator compares the password with the member's
            # own attributes, so it needs the member as they will be stored.
            candidate = Member(email=email.lower(), name=options["name"], organization=organization)
            try:
                validate_password(password, user=candidate)
            except ValidationError as exc:
                raise CommandError("Password rejected: " + " ".join(exc.messages)) from exc

        try:
            member = member_create(
                email=email,
                organization=organization,
                name=options["name"],
                password=password,
                is_staff=options["staff"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        notes = []
        if member.is_staff:
            notes.append("can sign in to the admin")
        if not member.has_usable_password():
            notes.append("no password: API keys only")
        suffix = f" ({'; '.join(notes)})" if notes else ""
        self.stdout.write(
            f"Member {member.email} created in organization '{organization.slug}'{suffix}."
        )
