"""The noisy neighbour: one workspace recomputing its dashboards in a loop.

``python -m loadtest.neighbour SLUG SECONDS`` (production settings, the soak's database) goes
round the workspace's projects: it records a new measurement on one of the project's indicators
(the project's inputs change, as when a team enters its figures) and asks for the project's
dashboard as its page does, which sends the computation to the worker's ``dashboards`` queue.
It keeps that queue busy without letting it grow without bound (at most ``IN_FLIGHT`` messages
waiting), and prints how many snapshots of the workspace the worker computed meanwhile.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal

IN_FLIGHT = 2  # messages waiting on the dashboards queue (the worker runs two at a time)


def run(slug: str, seconds: float) -> int:
    import redis
    from django.conf import settings
    from django.utils import timezone

    from bench.dataset import VALUE_CENTS  # plausible values by kind of unit
    from core.models import Membership, Workspace
    from core.roles import Role
    from core.tenancy import workspace_scope
    from evaluation import services
    from evaluation.models import DashboardSnapshot, Indicator
    from territories.models import Project

    # Whole numbers are plausible in every unit (counts take no decimals).
    whole: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 9_000))
    whole.update({kind: (low // 100, high // 100) for kind, (low, high) in VALUE_CENTS.items()})
    queue = redis.Redis.from_url(settings.REDIS_URL)
    workspace = Workspace.objects.get(slug=slug)
    started = timezone.now()
    rng = random.Random(7)
    requests = 0
    with workspace_scope(workspace):
        owner = Membership.objects.filter(role=Role.OWNER).select_related("user").first()
        assert owner is not None
        projects = list(Project.objects.filter(archived_at__isnull=True).order_by("pk"))
        indicators = {
            p.pk: list(Indicator.objects.filter(project=p).order_by("pk")) for p in projects
        }
        projects = [p for p in projects if indicators[p.pk]]
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            project = projects[requests % len(projects)]
            indicator = rng.choice(indicators[project.pk])
            services.measurement_record(
                actor=owner.user,
                workspace=workspace,
                indicator=indicator,
                period=timezone.localdate() - dt.timedelta(days=rng.randint(0, 365)),
                value=Decimal(rng.randint(*whole[indicator.unit_kind])),
            )
            project.refresh_from_db()
            services.dashboard_request(workspace=workspace, project=project)
            requests += 1
            while queue.llen("dashboards") >= IN_FLIGHT and time.monotonic() < end:
                time.sleep(0.05)
        computed = DashboardSnapshot.objects.filter(computed_at__gte=started, status="done").count()
    print(
        f"neighbour {slug}: {requests} dashboard requests, {computed} snapshots computed "
        f"in {seconds:.0f} s",
        flush=True,
    )
    return 0


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    return run(argv[0], float(argv[1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
