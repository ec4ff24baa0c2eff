"""`manage.py createapikey EMAIL [--name NAME] [--expires-in-days N]`.

The key is printed alone on the last line, so that scripts can take it with
`tail -n 1`; it is never shown again.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.management.lookups import member_by_email
from members.services import api_key_create, api_key_expiry


class Command(BaseCommand):
    help = "Create an API key for a member and print it once, alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The email of the member who will own the key.")
        parser.add_argument("--name", default="", help="What the key is for, e.g. 'CI'.")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            metavar="N",
            help="Expire the key N days from now (at least 1); by default it never expires.",
        )

    def handle(self, *args, **options):
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        member = member_by_email(options["email"])
        try:
            expires_at = api_key_expiry(days)
        except OverflowError as exc:
            raise CommandError("--expires-in-days is too large.") from exc

        try:
            api_key, key = api_key_create(
                member=member, name=options["name"], expires_at=expires_at
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        if not member.is_active:
            self.stderr.write(
                f"Member {member.email} is inactive: the key is refused until they are reactivated."
            )
        self.stdout.write(
            f"API key {api_key.prefix}… created for {member.email} "
            f"(organization '{member.organization.slug}')."
        )
        if expires_at is None:
            self.stdout.write("It does not expire.")
        else:
            self.stdout.write(f"It expires at {expires_at.isoformat()}.")
        self.stdout.write("Copy it now; it will not be shown again:")
        self.stdout.write(key)
