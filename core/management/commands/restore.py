"""``manage.py restore FOLDER``: a backup back into a database and MEDIA_ROOT, checked against
the row counts the backup recorded (core.backups)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import backups


class Command(BaseCommand):
    help = (
        "Restore a folder written by 'manage.py backup' into the configured database (or "
        "--database-url, e.g. a fresh database for a drill) and MEDIA_ROOT (or --media-root), "
        "then compare the rows per table and per workspace with the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")
        parser.add_argument("--database-url", default=None)
        parser.add_argument("--media-root", default=None)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        target = backups.target_database(options["database_url"])
        if not options["yes"]:
            answer = input(
                f"This replaces the data of the database {target['NAME']!r}. Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restored = backups.restore(
                options["folder"],
                database_url=options["database_url"],
                media_root=options["media_root"],
            )
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        with open(f"{options['folder']}/{backups.MANIFEST}") as manifest:
            expected = json.load(manifest)["counts"]
        problems = backups.differences(expected, restored)
        if problems:
            raise CommandError("The restored rows differ from the backup:\n" + "\n".join(problems))
        tables = sum(restored["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {tables} rows in {len(restored['tables'])} tables and "
                f"{len(restored['workspaces'])} workspaces: the counts match the backup."
            )
        )
