"""Organizations (tenants), their members and the members' API keys."""

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from pinsite import clock

SLUG_PATTERN = r"\A[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z"

API_KEY_PREFIX = "mvp_"
# The visible part of a key: the fixed prefix and the first characters of the
# secret, enough for support staff to tell keys apart without revealing them.
API_KEY_VISIBLE_CHARS = len(API_KEY_PREFIX) + 8


class Organization(models.Model):
    """A tenant: every member and every project belongs to exactly one."""

    slug = models.CharField(
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                SLUG_PATTERN,
                "Use lowercase letters, digits and hyphens, not starting or ending with a hyphen.",
            )
        ],
    )
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slug__regex=SLUG_PATTERN),
                name="members_organization_slug_format",
                violation_error_message="Invalid organization slug.",
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class MemberManager(BaseUserManager["Member"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> "Member":
        if not email:
            raise ValueError("A member needs an email address.")
        member = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        member.set_password(password)
        member.full_clean(exclude=["password"])
        member.save(using=self._db)
        return member

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> "Member":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class Member(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email; belongs to one organization."""

    email = models.EmailField(
        unique=True, error_messages={"unique": "A member with this email already exists."}
    )
    name = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members")
    is_active = models.BooleanField(
        default=True, help_text="Inactive members cannot sign in or use their API keys."
    )
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the admin.")
    date_joined = models.DateTimeField(default=clock.now, editable=False)
    pin_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many pins the member holds; kept by database triggers on pins.",
    )

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["organization"]

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="members_member_email_ci_unique",
                violation_error_message="A member with this email already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()


def hash_api_key(key: str) -> str:
    """SHA-256 of the whole key, hex-encoded.

    Keys carry 256 bits of randomness, so a fast unsalted hash is enough: there
    is nothing to brute-force, and the lookup stays a single indexed read.
    """
    return hashlib.sha256(key.encode()).hexdigest()


def generate_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


class APIKeyQuerySet(models.QuerySet["APIKey"]):
    def usable(self, now: datetime) -> "APIKeyQuerySet":
        """Keys that are neither revoked nor expired at `now`."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class APIKey(models.Model):
    """A personal API key. Only a hash of the secret is stored; the key itself
    is shown once, when it is created."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(
        max_length=API_KEY_VISIBLE_CHARS,
        editable=False,
        help_text="The first characters of the key, to recognise it.",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = APIKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(key_hash__regex=r"\A[0-9a-f]{64}\Z"),
                name="members_apikey_hash_format",
                violation_error_message="The key hash must be 64 hexadecimal digits.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'unnamed'})"

    def is_usable(self, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
