"""Lookups shared by the management commands: the organization or member an
argument names, or a CommandError saying that there is none."""

from django.core.management.base import CommandError

from members.models import Member, Organization


def organization_by_slug(slug: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise CommandError(f"No organization with slug '{slug}'.")
    return organization


def member_by_email(email: str) -> Member:
    member = (
        Member.objects.select_related("organization").filter(email__iexact=email.strip()).first()
    )
    if member is None:
        raise CommandError(f"No member with email '{email}'.")
    return member
