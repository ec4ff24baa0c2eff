"""`manage.py revokeapikey KEY`: refuse a key from now on."""

from django.core.management.base import BaseCommand, CommandError

from members.services import api_key_find, api_key_revoke


class Command(BaseCommand):
    help = "Revoke an API key, given in full. Revoking a revoked key changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("key", help="The whole key, as printed by createapikey.")

    def handle(self, *args, **options):
        api_key = api_key_find(key=options["key"].strip())
        # The message never repeats the key: command output ends up in logs.
        if api_key is None:
            raise CommandError("No API key matches the key given.")

        already_revoked_at = api_key.revoked_at
        api_key_revoke(api_key=api_key)

        label = f"API key {api_key.prefix}… of {api_key.member.email}"
        if already_revoked_at is not None:
            self.stdout.write(f"{label} was already revoked at {already_revoked_at.isoformat()}.")
        else:
            self.stdout.write(f"{label} revoked at {api_key.revoked_at.isoformat()}.")
