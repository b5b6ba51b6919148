"""The benchmark's own database: created, migrated, and dropped at the end of the run.

* No ``DATABASE_URL`` (or a SQLite one): a SQLite file in a temporary folder, removed afterwards.
* ``DATABASE_URL=postgres://.../<name>``: a database ``<name>_bench`` on the same server, created
  and dropped through the ``postgres`` maintenance database. A ``<name>_bench`` left behind by a
  run that was killed is dropped and created again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

SETTINGS_MODULE = "bench.settings"
SUFFIX = "_bench"
# The embedded default's options (config.settings); settings_test drops WAL for its in-memory DB.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}


def bench_database_settings(default: dict[str, Any], sqlite_path: str | None) -> dict[str, Any]:
    """The benchmark's ``DATABASES["default"]``, derived from the project's one."""
    engine = default["ENGINE"]
    if engine.endswith("postgresql"):
        return {**default, "NAME": f"{default['NAME']}{SUFFIX}"}
    if engine.endswith("sqlite3"):
        if not sqlite_path:
            raise ImproperlyConfigured(
                "bench.settings needs BENCH_SQLITE_PATH (python -m bench sets it): the benchmark "
                "never uses the developer's SQLite file."
            )
        return {**default, "NAME": sqlite_path, "OPTIONS": dict(SQLITE_OPTIONS)}
    raise ImproperlyConfigured(f"The benchmark supports SQLite and PostgreSQL, not {engine}.")


def _maintenance_connection(db: dict[str, Any]) -> Any:
    import psycopg2

    params = {
        "dbname": "postgres",
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "sslmode": db.get("OPTIONS", {}).get("sslmode"),
    }
    conn = psycopg2.connect(**{k: v for k, v in params.items() if v not in (None, "")})
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
    return conn


def _postgres(db: dict[str, Any], *statements: str) -> None:
    from psycopg2 import sql

    name = db["NAME"]
    if not name.endswith(SUFFIX):  # never drop a database the benchmark does not own
        raise ImproperlyConfigured(f"Refusing to create or drop {name!r}: not a {SUFFIX} database.")
    conn = _maintenance_connection(db)
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(sql.SQL(statement).format(sql.Identifier(name)))
    finally:
        conn.close()


@contextmanager
def dedicated_database(progress: Callable[[str], None]) -> Iterator[dict[str, str]]:
    """Set Django up on the benchmark's database, migrate it, and drop it afterwards.

    Must run before anything else configures Django in this process.
    """
    import django
    from django.conf import settings

    if settings.configured:
        raise ImproperlyConfigured("Django was configured before the benchmark chose its database.")
    folder = tempfile.mkdtemp(prefix="territoria-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["BENCH_SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
    try:
        django.setup()
        from django.core.management import call_command
        from django.db import connections

        db = settings.DATABASES["default"]
        postgres = db["ENGINE"].endswith("postgresql")
        if postgres:
            progress(f"Creating the PostgreSQL database {db['NAME']}")
            _postgres(db, "DROP DATABASE IF EXISTS {}", "CREATE DATABASE {}")
        try:
            progress(f"Migrating {db['NAME']}")
            call_command("migrate", interactive=False, verbosity=0)
            yield {"engine": db["ENGINE"], "name": db["NAME"]}
        finally:
            connections.close_all()
            if postgres:
                progress(f"Dropping {db['NAME']}")
                _postgres(db, "DROP DATABASE IF EXISTS {}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
