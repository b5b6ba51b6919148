"""Backup and restore of the whole installation: the database (``pg_dump`` on PostgreSQL, the
SQLite backup API on the embedded default) and a tar of ``MEDIA_ROOT``, in one folder with a
manifest of the row counts, so that a restore can be checked (``manage.py backup``,
``manage.py restore``)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import environ
from django.conf import settings
from django.db import connections
from django.utils import timezone

from core import portability

DATABASE_DUMP = "database.dump"  # PostgreSQL, pg_dump's custom format
DATABASE_SQLITE = "database.sqlite3"
MEDIA_TAR = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _is_postgres(db: dict[str, Any]) -> bool:
    return "postgresql" in db["ENGINE"]


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq's variables: the password never appears on a command line."""
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup(output_root: str | Path) -> Path:
    """Write a new backup folder under ``output_root`` and return it."""
    db = settings.DATABASES["default"]
    folder = Path(output_root) / f"territoria-{timezone.now():%Y%m%d-%H%M%S-%f}"
    folder.mkdir(parents=True)
    counts = portability.database_counts()
    if _is_postgres(db):
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={folder / DATABASE_DUMP}",
            ],
            _pg_env(db),
        )
    else:
        connection = connections["default"]
        connection.ensure_connection()
        target = sqlite3.connect(folder / DATABASE_SQLITE)
        try:
            # A consistent copy, even while the site writes (and of an in-memory database).
            connection.connection.backup(target)
        finally:
            target.close()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA_TAR, "w:gz") as tar:
        if media.is_dir():
            for child in sorted(media.iterdir()):
                tar.add(child, arcname=child.name)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": "postgresql" if _is_postgres(db) else "sqlite",
        "counts": counts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return folder


def target_database(database_url: str | None) -> dict[str, Any]:
    if not database_url:
        return dict(settings.DATABASES["default"])
    config = environ.Env.db_url_config(database_url)
    return {**settings.DATABASES["default"], **config}


def restore(
    folder: str | Path, *, database_url: str | None = None, media_root: str | None = None
) -> dict[str, Any]:
    """Restore ``folder`` into the database (the configured one, or ``database_url``: a fresh
    database) and the media folder; return the restored database's counts."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    db = target_database(database_url)
    if manifest["engine"] == "postgresql":
        if not _is_postgres(db):
            raise BackupError("This backup is of PostgreSQL: restore it into PostgreSQL.")
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={db['NAME']}",
                str(folder / DATABASE_DUMP),
            ],
            _pg_env(db),
        )
    else:
        if _is_postgres(db):
            raise BackupError("This backup is of SQLite: restore it into SQLite.")
        connections.close_all()
        source = sqlite3.connect(folder / DATABASE_SQLITE)
        target = sqlite3.connect(db["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    media = Path(media_root or settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_TAR, "r:gz") as tar:
        tar.extractall(media, filter="data")
    return counts_of(db)


def counts_of(db: dict[str, Any]) -> dict[str, Any]:
    """:func:`core.portability.database_counts` of another database."""
    alias = "territoria_restore_check"
    connections.databases[alias] = db
    try:
        return portability.database_counts(using=alias)
    finally:
        connections[alias].close()
        del connections.databases[alias]
        if hasattr(connections._connections, alias):  # type: ignore[attr-defined]
            delattr(connections._connections, alias)  # type: ignore[attr-defined]


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """What differs between two :func:`core.portability.database_counts`."""
    lines = []
    for key in sorted(set(expected["tables"]) | set(actual["tables"])):
        a, b = expected["tables"].get(key), actual["tables"].get(key)
        if a != b:
            lines.append(f"{key}: {a} backed up, {b} restored")
    for slug in sorted(set(expected["workspaces"]) | set(actual["workspaces"])):
        a, b = expected["workspaces"].get(slug), actual["workspaces"].get(slug)
        if a != b:
            lines.append(f"workspace {slug}: {a} backed up, {b} restored")
    return lines


__all__ = ["BackupError", "backup", "differences", "restore"]
