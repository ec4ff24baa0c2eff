"""The management commands of organizations, members and API keys."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from members.models import APIKey, Member, Organization, hash_api_key
from members.services import api_key_create, member_create, organization_create

PASSWORD = "correct-horse-battery-staple"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def run(*args: str) -> tuple[str, str]:
    """Run a command; its stdout and stderr."""
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def organization() -> Organization:
    return organization_create(slug="acme", name="Acme")


@pytest.fixture
def member(organization: Organization) -> Member:
    return member_create(email="alice@example.com", organization=organization, name="Alice")


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr("pinsite.clock.now", lambda: NOW)
    return NOW


# createorganization


@pytest.mark.django_db
def test_createorganization_creates_the_organization():
    stdout, _ = run("createorganization", "acme-corp", "--name", "Acme Corporation")

    organization = Organization.objects.get()
    assert (organization.slug, organization.name) == ("acme-corp", "Acme Corporation")
    assert stdout == "Organization 'acme-corp' created (name: Acme Corporation).\n"


@pytest.mark.django_db
def test_createorganization_names_the_organization_after_its_slug_by_default():
    run("createorganization", "acme-corp")

    assert Organization.objects.get().name == "acme-corp"


@pytest.mark.django_db
def test_createorganization_refuses_a_duplicate_slug(organization):
    with pytest.raises(CommandError) as excinfo:
        run("createorganization", "acme")

    assert str(excinfo.value) == "Organization with this Slug already exists."
    assert Organization.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["Acme", "-acme", "acme-", "ac me", "acme_corp"])
def test_createorganization_refuses_an_invalid_slug(slug):
    with pytest.raises(CommandError) as excinfo:
        run("createorganization", "--", slug)

    assert str(excinfo.value) == (
        "Use lowercase letters, digits and hyphens, not starting or ending with a hyphen."
    )
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_a_failing_command_exits_with_a_non_zero_status(capsys):
    argv = ["manage.py", "createorganization", "Not-A-Slug"]
    # The command line's own path, without the django.setup() of
    # execute_from_command_line, which would point the logs at this test's
    # captured stderr for the rest of the run.
    command = ManagementUtility(argv).fetch_command("createorganization")
    with pytest.raises(SystemExit) as excinfo:
        command.run_from_argv(argv)

    assert excinfo.value.code == 1
    assert capsys.readouterr().err == (
        "CommandError: Use lowercase letters, digits and hyphens, "
        "not starting or ending with a hyphen.\n"
    )


# createmember


@pytest.mark.django_db
def test_createmember_creates_a_member_with_a_password(organization):
    stdout, _ = run(
        "createmember",
        "Alice@Example.com",
        "--organization",
        "acme",
        "--name",
        "Alice Liddell",
        "--password",
        PASSWORD,
    )

    member = Member.objects.get()
    assert member.email == "alice@example.com"
    assert member.name == "Alice Liddell"
    assert member.organization == organization
    assert member.check_password(PASSWORD) is True
    assert (member.is_active, member.is_staff, member.is_superuser) == (True, False, False)
    assert stdout == "Member alice@example.com created in organization 'acme'.\n"


@pytest.mark.django_db
def test_createmember_without_password_makes_an_api_key_only_member(organization):
    stdout, _ = run("createmember", "bob@example.com", "--organization", "acme")

    member = Member.objects.get()
    assert member.has_usable_password() is False
    assert member.name == ""
    assert stdout == (
        "Member bob@example.com created in organization 'acme' (no password: API keys only).\n"
    )


@pytest.mark.django_db
def test_createmember_staff_flag_lets_the_member_into_the_admin(organization):
    stdout, _ = run(
        "createmember",
        "carol@example.com",
        "--organization",
        "acme",
        "--staff",
        "--password",
        PASSWORD,
    )

    member = Member.objects.get()
    assert (member.is_staff, member.is_superuser) == (True, False)
    assert stdout == (
        "Member carol@example.com created in organization 'acme' (can sign in to the admin).\n"
    )


@pytest.mark.django_db
def test_createmember_refuses_an_unknown_organization(organization):
    with pytest.raises(CommandError) as excinfo:
        run("createmember", "alice@example.com", "--organization", "globex")

    assert str(excinfo.value) == "No organization with slug 'globex'."
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_createmember_requires_an_organization():
    with pytest.raises(CommandError) as excinfo:
        run("createmember", "alice@example.com")

    assert str(excinfo.value) == "Error: the following arguments are required: --organization"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["alice@example.com", "ALICE@example.COM"])
def test_createmember_refuses_a_duplicate_email(member, email):
    with pytest.raises(CommandError) as excinfo:
        run("createmember", email, "--organization", "acme")

    assert str(excinfo.value) == "A member with this email already exists."
    assert Member.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-email", "Enter a valid email address."),
        ("", "A member needs an email address."),
    ],
)
def test_createmember_refuses_an_invalid_email(organization, email, message):
    with pytest.raises(CommandError) as excinfo:
        run("createmember", email, "--organization", "acme")

    assert str(excinfo.value) == message
    assert not Member.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        (
            "Xq7#kP",
            "Password rejected: This password is too short. It must contain at least 8 characters.",
        ),
        ("password123", "Password rejected: This password is too common."),
        ("83920174651", "Password rejected: This password is entirely numeric."),
        ("alice@example", "Password rejected: The password is too similar to the email."),
    ],
)
def test_createmember_refuses_a_password_the_validators_reject(organization, password, message):
    with pytest.raises(CommandError) as excinfo:
        run(
            "createmember",
            "alice@example.com",
            "--organization",
            "acme",
            "--name",
            "Alice Liddell",
            "--password",
            password,
        )

    assert str(excinfo.value) == message
    assert not Member.objects.exists()


# createapikey


@pytest.mark.django_db
def test_createapikey_prints_the_key_alone_on_the_last_line(member):
    stdout, stderr = run("createapikey", "alice@example.com", "--name", "CI")

    api_key = APIKey.objects.get()
    lines = stdout.splitlines()
    key = lines[-1]
    assert hash_api_key(key) == api_key.key_hash
    assert key.startswith(api_key.prefix)
    assert stdout.count(key) == 1
    assert lines[:-1] == [
        f"API key {api_key.prefix}… created for alice@example.com (organization 'acme').",
        "It does not expire.",
        "Copy it now; it will not be shown again:",
    ]
    assert stderr == ""
    assert (api_key.member, api_key.name, api_key.expires_at) == (member, "CI", None)
    assert api_key.revoked_at is None


@pytest.mark.django_db
def test_createapikey_finds_the_member_whatever_the_case_of_the_email(member):
    run("createapikey", "Alice@EXAMPLE.com")

    assert APIKey.objects.get().member == member


@pytest.mark.django_db
def test_createapikey_sets_the_expiry(member, frozen_now):
    stdout, _ = run("createapikey", "alice@example.com", "--expires-in-days", "30")

    expires_at = APIKey.objects.get().expires_at
    assert expires_at == frozen_now + timedelta(days=30)
    assert stdout.splitlines()[1] == "It expires at 2026-03-31T12:00:00+00:00."


@pytest.mark.django_db
def test_createapikey_warns_when_the_member_is_inactive(member):
    member.is_active = False
    member.save()

    _, stderr = run("createapikey", "alice@example.com")

    assert stderr == (
        "Member alice@example.com is inactive: the key is refused until they are reactivated.\n"
    )
    assert APIKey.objects.count() == 1


@pytest.mark.django_db
def test_createapikey_refuses_an_unknown_member(member):
    with pytest.raises(CommandError) as excinfo:
        run("createapikey", "mallory@example.com")

    assert str(excinfo.value) == "No member with email 'mallory@example.com'."
    assert not APIKey.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "-1"])
def test_createapikey_refuses_an_expiry_below_one_day(member, days):
    with pytest.raises(CommandError) as excinfo:
        run("createapikey", "alice@example.com", f"--expires-in-days={days}")

    assert str(excinfo.value) == "--expires-in-days must be at least 1."
    assert not APIKey.objects.exists()


@pytest.mark.django_db
def test_createapikey_refuses_an_expiry_beyond_the_calendar(member):
    with pytest.raises(CommandError) as excinfo:
        run("createapikey", "alice@example.com", "--expires-in-days", "99999999")

    assert str(excinfo.value) == "--expires-in-days is too large."
    assert not APIKey.objects.exists()


@pytest.mark.django_db
def test_createapikey_refuses_a_non_numeric_expiry(member):
    with pytest.raises(CommandError) as excinfo:
        run("createapikey", "alice@example.com", "--expires-in-days", "soon")

    assert str(excinfo.value) == ("Error: argument --expires-in-days: invalid int value: 'soon'")


# revokeapikey


@pytest.mark.django_db
def test_revokeapikey_revokes_the_key(member, frozen_now):
    api_key, key = api_key_create(member=member, name="CI")

    stdout, _ = run("revokeapikey", key)

    api_key.refresh_from_db()
    assert api_key.revoked_at == frozen_now
    assert stdout == (
        f"API key {api_key.prefix}… of alice@example.com revoked at 2026-03-01T12:00:00+00:00.\n"
    )
    assert key not in stdout


@pytest.mark.django_db
def test_revokeapikey_leaves_the_other_keys_alone(member):
    _, key = api_key_create(member=member, name="CI")
    other, _ = api_key_create(member=member, name="laptop")

    run("revokeapikey", key)

    other.refresh_from_db()
    assert other.revoked_at is None


@pytest.mark.django_db
def test_revokeapikey_keeps_the_first_revocation_time(member, monkeypatch):
    api_key, key = api_key_create(member=member)
    monkeypatch.setattr("pinsite.clock.now", lambda: NOW)
    run("revokeapikey", key)
    monkeypatch.setattr("pinsite.clock.now", lambda: NOW + timedelta(hours=1))

    stdout, _ = run("revokeapikey", key)

    api_key.refresh_from_db()
    assert api_key.revoked_at == NOW
    assert stdout == (
        f"API key {api_key.prefix}… of alice@example.com was already revoked at "
        "2026-03-01T12:00:00+00:00.\n"
    )


@pytest.mark.django_db
def test_revokeapikey_refuses_an_unknown_key_without_repeating_it(member):
    api_key, key = api_key_create(member=member)
    wrong_key = key[:-1] + ("A" if key[-1] != "A" else "B")

    with pytest.raises(CommandError) as excinfo:
        run("revokeapikey", wrong_key)

    assert str(excinfo.value) == "No API key matches the key given."
    api_key.refresh_from_db()
    assert api_key.revoked_at is None
