"""The backup and restore drill: ``manage.py backup`` then ``manage.py restore`` into a fresh
database gives the same rows per table and per workspace, and the same files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core import backups, portability
from tests.conftest import ROOT
from tests.core.test_workspace_export import _beta_sample, _history
from tests.security.test_url_walker import build_full_sample


@pytest.fixture
def full_sample(personas: Any, sample: dict[str, Any]) -> dict[str, Any]:
    """One object of nearly every model (the security walker's sample)."""
    return build_full_sample(personas, sample)


def _backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    folder = Path(out.getvalue().strip())
    assert {p.name for p in folder.iterdir()} >= {backups.MANIFEST, backups.MEDIA_TAR}
    return folder


def _check_drill_data(counts: dict[str, Any]) -> None:
    """The drill compares real data: both workspaces, most tables."""
    alpha, beta = counts["workspaces"]["alpha"], counts["workspaces"]["beta"]
    assert alpha["mix.Action"] == 1 and alpha["tracer.PlanChange"] >= 1
    assert alpha["governance.Deliverable"] == 1 and alpha["core.Membership"] == 5
    assert beta["mix.Action"] == 1 and beta["governance.PartnerOrganisation"] == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_postgresql_database_with_the_same_rows(
    personas: Any, full_sample: dict[str, Any], tmp_path: Path
) -> None:
    _history(personas, full_sample)
    beta = _beta_sample(personas)
    expected = portability.database_counts()
    _check_drill_data(expected)
    folder = _backup(tmp_path)
    assert (folder / backups.DATABASE_DUMP).stat().st_size > 0

    db = settings.DATABASES["default"]
    fresh = f"{db['NAME']}_restored"
    server = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}"
    )
    with connection.cursor() as cursor:  # autocommit: the test is transactional
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    media = tmp_path / "restored-media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"{server}/{db['NAME']}",
    }
    try:
        # The operator's commands, in their own processes, as in a real drill.
        restore = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "restore",
                str(folder),
                "--yes",
                f"--database-url={server}/{fresh}",
                f"--media-root={media}",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert restore.returncode == 0, restore.stderr
        assert "the counts match the backup" in restore.stdout
        counted = subprocess.run(
            [sys.executable, "manage.py", "row_counts"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"{server}/{fresh}"},
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        assert json.loads(counted.stdout) == expected
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
    for name in [full_sample["organisation"].logo.name, beta["organisation"].logo.name]:
        assert (media / name).read_bytes() == default_storage.open(name, "rb").read()


@pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="the embedded default's backup; PostgreSQL's is the services test above",
)
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_new_file_with_the_same_rows(
    personas: Any, full_sample: dict[str, Any], tmp_path: Path
) -> None:
    _history(personas, full_sample)
    _beta_sample(personas)
    expected = portability.database_counts()
    _check_drill_data(expected)
    folder = _backup(tmp_path)
    target = tmp_path / "restored.sqlite3"
    media = tmp_path / "restored-media"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    env.pop("DATABASE_URL", None)
    restore = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "restore",
            str(folder),
            "--yes",
            f"--database-url=sqlite:///{target}",
            f"--media-root={media}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert restore.returncode == 0, restore.stderr
    assert "the counts match the backup" in restore.stdout
    counted = subprocess.run(
        [sys.executable, "manage.py", "row_counts"],
        cwd=ROOT,
        env={**env, "SQLITE_PATH": str(target)},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert json.loads(counted.stdout) == expected
    logo = full_sample["organisation"].logo.name
    assert (media / logo).read_bytes() == default_storage.open(logo, "rb").read()


def test_restore_refuses_a_backup_of_the_other_engine(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    engine = "sqlite" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "postgresql"
    (folder / backups.MANIFEST).write_text(json.dumps({"engine": engine, "counts": {}}))
    with pytest.raises(CommandError, match="restore it into"):
        call_command("restore", str(folder), yes=True)
