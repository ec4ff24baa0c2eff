"""The createproject management command."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import Organization
from members.services import organization_create
from projects.models import Project
from projects.services import project_create

MSG_SIZE = "projectId size must be between 8 and 60"
MSG_PATTERN = 'projectId must match "^[a-z0-9][a-z0-9-]*[a-z0-9]$"'


def run(*args: str) -> str:
    """Run a command; its stdout."""
    stdout = StringIO()
    call_command(*args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


@pytest.fixture
def organization() -> Organization:
    return organization_create(slug="acme", name="Acme")


@pytest.mark.django_db
def test_createproject_creates_the_project(organization):
    stdout = run("createproject", "my-project-a1b2c", "--organization", "acme", "--name", "Shop")

    project = Project.objects.get()
    assert (project.project_id, project.name, project.organization) == (
        "my-project-a1b2c",
        "Shop",
        organization,
    )
    assert stdout == "Project 'my-project-a1b2c' created in organization 'acme'.\n"


@pytest.mark.django_db
def test_createproject_names_the_project_after_its_id_by_default(organization):
    run("createproject", "my-project-a1b2c", "--organization", "acme")

    assert Project.objects.get().name == "my-project-a1b2c"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("project_id", "message"),
    [
        ("abc", MSG_SIZE),
        ("a" * 61, MSG_SIZE),
        ("My-Project-1", MSG_PATTERN),
        ("my-project-", MSG_PATTERN),
        ("my_project_1", MSG_PATTERN),
        ("-ab", f"{MSG_SIZE}; {MSG_PATTERN}"),
        ("-" * 61, f"{MSG_SIZE}; {MSG_PATTERN}"),
    ],
)
def test_createproject_refuses_an_invalid_project_id(organization, project_id, message):
    with pytest.raises(CommandError) as excinfo:
        run("createproject", "--organization", "acme", "--", project_id)

    assert str(excinfo.value) == message
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_createproject_refuses_a_duplicate_project_id(organization):
    project_create(project_id="my-project-a1b2c", organization=organization)

    with pytest.raises(CommandError) as excinfo:
        run("createproject", "my-project-a1b2c", "--organization", "acme")

    assert str(excinfo.value) == "Project with this ProjectId already exists."
    assert Project.objects.count() == 1


@pytest.mark.django_db
def test_createproject_refuses_a_project_id_taken_in_another_organization(organization):
    globex = organization_create(slug="globex")
    project_create(project_id="my-project-a1b2c", organization=globex)

    with pytest.raises(CommandError) as excinfo:
        run("createproject", "my-project-a1b2c", "--organization", "acme")

    assert str(excinfo.value) == "Project with this ProjectId already exists."
    assert list(Project.objects.values_list("organization__slug", flat=True)) == ["globex"]


@pytest.mark.django_db
def test_createproject_refuses_an_unknown_organization(organization):
    with pytest.raises(CommandError) as excinfo:
        run("createproject", "my-project-a1b2c", "--organization", "globex")

    assert str(excinfo.value) == "No organization with slug 'globex'."
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_createproject_requires_an_organization():
    with pytest.raises(CommandError) as excinfo:
        run("createproject", "my-project-a1b2c")

    assert str(excinfo.value) == "Error: the following arguments are required: --organization"
