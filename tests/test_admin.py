"""The admin of organizations, members, projects, pins and API keys."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import APIKey, Member, Organization, hash_api_key
from members.services import api_key_create, api_key_revoke, member_create, organization_create
from pins.models import Pin
from pins.services import pin_create
from pinsite import clock
from projects.models import Project
from projects.services import project_create

PASSWORD = "correct-horse-battery-staple"
KEY_RE = re.compile(r"mvp_[A-Za-z0-9_-]{43}")


def url(model: str, view: str, *args: object) -> str:
    app = {"project": "projects", "pin": "pins"}.get(model, "members")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def results(response) -> list:
    return list(response.context["cl"].result_list)


def management_forms(pins: int, keys: int) -> dict[str, int]:
    """The inline formsets' management data a member change form posts."""
    return {
        "pins-TOTAL_FORMS": pins,
        "pins-INITIAL_FORMS": pins,
        "api_keys-TOTAL_FORMS": keys,
        "api_keys-INITIAL_FORMS": keys,
    }


@pytest.fixture
def staff_client() -> Client:
    support = organization_create(slug="support", name="Support")
    staff = member_create(email="staff@example.com", organization=support, is_staff=True)
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def acme() -> Organization:
    return organization_create(slug="acme", name="Acme")


@pytest.fixture
def globex() -> Organization:
    return organization_create(slug="globex", name="Globex")


@pytest.fixture
def alice(acme: Organization) -> Member:
    return member_create(email="alice@example.com", organization=acme, name="Alice")


@pytest.fixture
def bob(acme: Organization) -> Member:
    return member_create(email="bob@example.com", organization=acme, name="Bob")


@pytest.fixture
def carol(globex: Organization) -> Member:
    return member_create(email="carol@example.com", organization=globex, name="Carol")


@pytest.fixture
def projects(acme: Organization, globex: Organization) -> dict[str, Project]:
    return {
        project_id: project_create(project_id=project_id, organization=organization)
        for project_id, organization in [
            ("alpha-project-1", acme),
            ("bravo-project-2", acme),
            ("globex-project-1", globex),
        ]
    }


@pytest.fixture
def pins(alice: Member, bob: Member, carol: Member, projects: dict[str, Project]) -> list[Pin]:
    pin_create(member=alice, project_id="alpha-project-1")
    pin_create(member=bob, project_id="bravo-project-2")
    pin_create(member=carol, project_id="globex-project-1")
    return list(Pin.objects.order_by("id"))


@pytest.fixture
def keys(alice: Member, bob: Member, carol: Member) -> dict[str, tuple[APIKey, str]]:
    return {
        "alice": api_key_create(member=alice, name="CI"),
        "bob": api_key_create(member=bob, name="laptop"),
        "carol": api_key_create(member=carol, name="deploy"),
    }


# Every page answers


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["organization", "member", "project", "pin", "apikey"])
def test_changelist_answers_ok(staff_client, pins, keys, model):
    response = staff_client.get(url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["organization", "member", "project", "pin", "apikey"])
def test_add_page_answers_ok(staff_client, model):
    response = staff_client.get(url(model, "add"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_change_pages_answer_ok(staff_client, acme, alice, projects, pins, keys):
    for model, obj in [
        ("organization", acme),
        ("member", alice),
        ("project", projects["alpha-project-1"]),
        ("pin", pins[0]),
        ("apikey", keys["alice"][0]),
    ]:
        assert staff_client.get(url(model, "change", obj.pk)).status_code == 200, model


# Search and filters


@pytest.mark.django_db
def test_organization_search_matches_slug_and_name(staff_client, acme, globex):
    assert results(staff_client.get(url("organization", "changelist"), {"q": "glob"})) == [globex]


@pytest.mark.django_db
def test_member_search_by_email(staff_client, alice, bob, carol):
    response = staff_client.get(url("member", "changelist"), {"q": "bob@example"})

    assert results(response) == [bob]


@pytest.mark.django_db
def test_member_filter_by_organization(staff_client, acme, alice, bob, carol):
    response = staff_client.get(url("member", "changelist"), {"organization__id__exact": acme.pk})

    assert results(response) == [alice, bob]


@pytest.mark.django_db
def test_project_search_by_project_id(staff_client, projects):
    response = staff_client.get(url("project", "changelist"), {"q": "bravo-project"})

    assert results(response) == [projects["bravo-project-2"]]


@pytest.mark.django_db
def test_project_filter_by_organization(staff_client, globex, projects):
    response = staff_client.get(
        url("project", "changelist"), {"organization__id__exact": globex.pk}
    )

    assert results(response) == [projects["globex-project-1"]]


@pytest.mark.django_db
def test_pin_search_by_member_email(staff_client, pins):
    response = staff_client.get(url("pin", "changelist"), {"q": "carol@example.com"})

    assert results(response) == [pins[2]]


@pytest.mark.django_db
def test_pin_search_by_project_id(staff_client, pins):
    response = staff_client.get(url("pin", "changelist"), {"q": "alpha-project-1"})

    assert results(response) == [pins[0]]


@pytest.mark.django_db
def test_pin_filter_by_project_organization(staff_client, globex, pins):
    response = staff_client.get(
        url("pin", "changelist"), {"project__organization__id__exact": globex.pk}
    )

    assert results(response) == [pins[2]]


@pytest.mark.django_db
def test_pin_changelist_costs_the_same_queries_whatever_the_number_of_pins(
    staff_client, acme, alice, pins
):
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url("pin", "changelist"))
    for number in range(5):
        project_create(project_id=f"extra-project-{number}", organization=acme)
        pin_create(member=alice, project_id=f"extra-project-{number}")

    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url("pin", "changelist"))

    assert len(results(response)) == 8
    assert len(many) == len(few)


@pytest.mark.django_db
def test_apikey_search_by_member_email(staff_client, keys):
    response = staff_client.get(url("apikey", "changelist"), {"q": "bob@example.com"})

    assert results(response) == [keys["bob"][0]]


@pytest.mark.django_db
def test_apikey_search_by_prefix(staff_client, keys):
    api_key = keys["carol"][0]

    response = staff_client.get(url("apikey", "changelist"), {"q": api_key.prefix})

    assert results(response) == [api_key]


@pytest.mark.django_db
def test_apikey_filter_by_member_organization(staff_client, acme, keys):
    response = staff_client.get(
        url("apikey", "changelist"), {"member__organization__id__exact": acme.pk}
    )

    assert set(results(response)) == {keys["alice"][0], keys["bob"][0]}


@pytest.mark.django_db
def test_apikey_filter_by_status(staff_client, keys):
    revoked = keys["alice"][0]
    api_key_revoke(api_key=revoked)
    expired = keys["bob"][0]
    expired.expires_at = clock.now() - timedelta(minutes=1)
    expired.save()
    changelist = url("apikey", "changelist")

    assert results(staff_client.get(changelist, {"status": "active"})) == [keys["carol"][0]]
    assert results(staff_client.get(changelist, {"status": "expired"})) == [expired]
    assert results(staff_client.get(changelist, {"status": "revoked"})) == [revoked]


# API keys: shown once, never their hash


@pytest.mark.django_db
def test_apikey_add_shows_the_key_once_then_never(staff_client, alice, pins):
    response = staff_client.post(
        url("apikey", "add"),
        {"member": alice.pk, "name": "CI", "expires_at_0": "", "expires_at_1": ""},
        follow=True,
    )

    assert response.status_code == 200
    api_key = APIKey.objects.get()
    content = response.content.decode()
    [key] = KEY_RE.findall(content)
    assert hash_api_key(key) == api_key.key_hash
    assert content.count(key) == 1
    assert api_key.key_hash not in content
    assert [str(message) for message in response.context["messages"]] == [
        f"Copy this key now; it will not be shown again: {key}",
        f'The API key “<a href="{url("apikey", "change", api_key.pk)}">{api_key}</a>” '
        "was added successfully.",
    ]
    assert (api_key.member, api_key.name, api_key.expires_at) == (alice, "CI", None)

    for later in [
        url("apikey", "changelist"),
        url("apikey", "change", api_key.pk),
        url("member", "change", alice.pk),
    ]:
        page = staff_client.get(later).content.decode()
        assert key not in page, later
        assert api_key.key_hash not in page, later
        assert KEY_RE.findall(page) == [], later


@pytest.mark.django_db
def test_apikey_add_sets_the_expiry(staff_client, alice):
    staff_client.post(
        url("apikey", "add"),
        {"member": alice.pk, "name": "", "expires_at_0": "2040-01-02", "expires_at_1": "03:04:05"},
    )

    assert APIKey.objects.get().expires_at == datetime(2040, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.django_db
def test_apikey_add_refuses_an_expiry_in_the_past(staff_client, alice):
    response = staff_client.post(
        url("apikey", "add"),
        {"member": alice.pk, "name": "", "expires_at_0": "2020-01-01", "expires_at_1": "00:00:00"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "expires_at": ["The expiry must lie in the future."]
    }
    assert not APIKey.objects.exists()


@pytest.mark.django_db
def test_apikey_change_page_shows_the_prefix_but_not_the_hash(staff_client, keys):
    api_key, key = keys["alice"]

    content = staff_client.get(url("apikey", "change", api_key.pk)).content.decode()

    assert api_key.prefix in content
    assert api_key.key_hash not in content
    assert key not in content


@pytest.mark.django_db
def test_revoke_action_revokes_the_selected_keys(staff_client, keys):
    selected = [keys["alice"][0], keys["bob"][0]]

    response = staff_client.post(
        url("apikey", "changelist"),
        {"action": "revoke_selected", "_selected_action": [api_key.pk for api_key in selected]},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == ["Revoked 2 key(s)."]
    for api_key in selected:
        api_key.refresh_from_db()
        assert api_key.revoked_at is not None
    untouched = keys["carol"][0]
    untouched.refresh_from_db()
    assert untouched.revoked_at is None


@pytest.mark.django_db
def test_revoke_action_keeps_the_first_revocation_time(staff_client, keys):
    api_key = keys["alice"][0]
    api_key_revoke(api_key=api_key)
    first = api_key.revoked_at

    response = staff_client.post(
        url("apikey", "changelist"),
        {"action": "revoke_selected", "_selected_action": [api_key.pk]},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == ["Revoked 0 key(s)."]
    api_key.refresh_from_db()
    assert api_key.revoked_at == first


@pytest.mark.django_db
def test_apikey_change_cannot_alter_the_revocation(staff_client, keys):
    api_key = keys["alice"][0]

    staff_client.post(
        url("apikey", "change", api_key.pk),
        {
            "name": "renamed",
            "expires_at_0": "",
            "expires_at_1": "",
            "revoked_at_0": "2030-01-01",
            "revoked_at_1": "00:00:00",
        },
    )

    api_key.refresh_from_db()
    assert (api_key.name, api_key.revoked_at) == ("renamed", None)


# Members


@pytest.mark.django_db
def test_member_change_page_lists_the_members_pins_and_keys(staff_client, alice, pins, keys):
    response = staff_client.get(url("member", "change", alice.pk))

    inlines = {
        type(inline.opts).__name__: inline.formset
        for inline in response.context["inline_admin_formsets"]
    }
    assert [form.instance for form in inlines["PinInline"].forms] == [pins[0]]
    assert [form.instance for form in inlines["APIKeyInline"].forms] == [keys["alice"][0]]
    content = response.content.decode()
    assert "alpha-project-1" in content
    assert "bravo-project-2" not in content
    assert keys["alice"][0].key_hash not in content


@pytest.mark.django_db
def test_member_add_creates_a_member_with_a_password(staff_client, acme):
    response = staff_client.post(
        url("member", "add"),
        {
            "email": "Dave@Example.com",
            "organization": acme.pk,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    member = Member.objects.get(email="dave@example.com")
    assert response.status_code == 302
    assert response["Location"] == url("member", "change", member.pk)
    assert member.organization == acme
    assert member.check_password(PASSWORD) is True
    assert (member.is_staff, member.is_superuser) == (False, False)


@pytest.mark.django_db
def test_member_add_without_password_makes_an_api_key_only_member(staff_client, acme):
    staff_client.post(
        url("member", "add"),
        {"email": "erin@example.com", "organization": acme.pk, "usable_password": "false"},
    )

    assert Member.objects.get(email="erin@example.com").has_usable_password() is False


@pytest.mark.django_db
def test_member_add_refuses_a_weak_password(staff_client, acme):
    response = staff_client.post(
        url("member", "add"),
        {
            "email": "dave@example.com",
            "organization": acme.pk,
            "usable_password": "true",
            "password1": "password",
            "password2": "password",
        },
    )

    assert response.context["adminform"].form.errors == {
        "password2": [
            "This password is too common.",
        ]
    }
    assert not Member.objects.filter(email="dave@example.com").exists()


@pytest.mark.django_db
def test_member_add_refuses_a_duplicate_email_whatever_its_case(staff_client, acme, alice):
    response = staff_client.post(
        url("member", "add"),
        {"email": "ALICE@example.com", "organization": acme.pk, "usable_password": "false"},
    )

    assert response.context["adminform"].form.errors == {
        "email": ["A member with this email already exists."]
    }
    assert Member.objects.filter(organization=acme).count() == 1


@pytest.mark.django_db
def test_member_organization_cannot_be_changed(staff_client, alice, globex):
    response = staff_client.post(
        url("member", "change", alice.pk),
        {
            "email": alice.email,
            "name": "Alice",
            "organization": globex.pk,
            "is_active": "on",
            **management_forms(0, 0),
        },
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.organization.slug == "acme"


# Organizations, projects, pins


@pytest.mark.django_db
def test_organization_add_creates_the_organization(staff_client):
    staff_client.post(url("organization", "add"), {"slug": "initech", "name": "Initech"})

    organization = Organization.objects.get(slug="initech")
    assert organization.name == "Initech"


@pytest.mark.django_db
def test_project_add_creates_the_project(staff_client, acme):
    response = staff_client.post(
        url("project", "add"),
        {"project_id": "new-project-1", "name": "", "organization": acme.pk},
    )

    project = Project.objects.get()
    assert response.status_code == 302
    assert (project.project_id, project.name, project.organization) == (
        "new-project-1",
        "new-project-1",
        acme,
    )


@pytest.mark.django_db
def test_project_add_refuses_an_invalid_project_id(staff_client, acme):
    response = staff_client.post(
        url("project", "add"), {"project_id": "abc", "name": "", "organization": acme.pk}
    )

    assert response.context["adminform"].form.errors == {
        "project_id": ["projectId size must be between 8 and 60"]
    }
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_pin_add_creates_the_pin_at_millisecond_precision(staff_client, alice, projects):
    response = staff_client.post(
        url("pin", "add"),
        {
            "member": alice.pk,
            "project": projects["bravo-project-2"].pk,
            "pinned_at_0": "2024-05-06",
            "pinned_at_1": "07:08:09.123456",
        },
    )

    pin = Pin.objects.get()
    assert response.status_code == 302
    assert (pin.member, pin.project) == (alice, projects["bravo-project-2"])
    assert pin.pinned_at == datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)


@pytest.mark.django_db
def test_pin_add_refuses_a_project_of_another_organization(staff_client, alice, projects):
    response = staff_client.post(
        url("pin", "add"),
        {
            "member": alice.pk,
            "project": projects["globex-project-1"].pk,
            "pinned_at_0": "2024-05-06",
            "pinned_at_1": "07:08:09",
        },
    )

    assert response.context["adminform"].form.errors == {
        "__all__": ["A member can only pin projects of their own organization."]
    }
    assert not Pin.objects.exists()


@pytest.mark.django_db
def test_pin_add_refuses_beyond_the_members_limit(staff_client, alice, pins, projects, settings):
    settings.PINS_MAX_PER_MEMBER = 1

    response = staff_client.post(
        url("pin", "add"),
        {
            "member": alice.pk,
            "project": projects["bravo-project-2"].pk,
            "pinned_at_0": "2024-05-06",
            "pinned_at_1": "07:08:09",
        },
    )

    assert response.context["adminform"].form.errors == {
        "__all__": ["This member already holds the most pins allowed (1)."]
    }
    assert Pin.objects.filter(member=alice).count() == 1


@pytest.mark.django_db
def test_project_organization_cannot_be_changed(staff_client, projects, globex):
    project = projects["alpha-project-1"]

    response = staff_client.post(
        url("project", "change", project.pk),
        {"project_id": project.project_id, "name": "Renamed", "organization": globex.pk},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.organization.slug) == ("Renamed", "acme")


@pytest.mark.django_db
def test_apikey_add_form_asks_only_for_member_name_and_expiry(staff_client):
    response = staff_client.get(url("apikey", "add"))

    assert list(response.context["adminform"].form.fields) == ["member", "name", "expires_at"]
