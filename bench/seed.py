"""Seeds the benchmark database and prints the benchmark members' API keys.

Run by `bench/run.py` with DJANGO_SETTINGS_MODULE and DATABASE_URL set. Bulk
inserts keep seeding fast; the pin counters are kept by the database triggers.
"""

import json
import os
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinsite.settings")
django.setup()

from members.models import Member, Organization  # noqa: E402
from members.services import api_key_create  # noqa: E402
from pins.models import Pin  # noqa: E402
from projects.models import Project  # noqa: E402

ORGANIZATIONS = 20
MEMBERS_PER_ORGANIZATION = 100
PROJECTS_PER_ORGANIZATION = 200
PINS_PER_MEMBER = 10
POOL = int(os.environ.get("BENCH_POOL", "20000"))
START = datetime(2026, 1, 1, tzinfo=UTC)


def _background() -> None:
    """Other tenants, so that the tables and indexes have a realistic size."""
    for o in range(ORGANIZATIONS):
        organization = Organization.objects.create(slug=f"tenant-{o:03d}", name=f"Tenant {o}")
        projects = Project.objects.bulk_create(
            Project(project_id=f"tenant-{o:03d}-project-{p:04d}", organization=organization)
            for p in range(PROJECTS_PER_ORGANIZATION)
        )
        members = Member.objects.bulk_create(
            Member(email=f"member-{m:04d}@tenant-{o:03d}.test", organization=organization)
            for m in range(MEMBERS_PER_ORGANIZATION)
        )
        Pin.objects.bulk_create(
            Pin(
                member=member,
                project=projects[(m * 7 + k) % len(projects)],
                pinned_at=START + timedelta(minutes=m * PINS_PER_MEMBER + k),
            )
            for m, member in enumerate(members)
            for k in range(PINS_PER_MEMBER)
        )


def _bench_member(organization: Organization, name: str) -> tuple[Member, str]:
    member = Member.objects.create(email=f"{name}@bench.test", organization=organization)
    return member, api_key_create(member=member, name="bench")[1]


def main() -> None:
    _background()
    organization = Organization.objects.create(slug="bench", name="Bench")
    listed = Project.objects.bulk_create(
        Project(project_id=f"bench-listed-{p:04d}", organization=organization) for p in range(1000)
    )
    Project.objects.bulk_create(
        Project(project_id=f"bench-pool-{p:06d}", organization=organization) for p in range(POOL)
    )
    repeat = Project.objects.create(project_id="bench-repeat-0001", organization=organization)

    keys = {}
    for name, count in (("list10", 10), ("list1000", 1000)):
        member, keys[name] = _bench_member(organization, name)
        Pin.objects.bulk_create(
            Pin(member=member, project=project, pinned_at=START + timedelta(seconds=i))
            for i, project in enumerate(listed[:count])
        )
    writer, keys["writer"] = _bench_member(organization, "writer")
    Pin.objects.create(member=writer, project=repeat, pinned_at=START)
    _, keys["deleter"] = _bench_member(organization, "deleter")
    print(json.dumps(keys))


if __name__ == "__main__":
    main()
