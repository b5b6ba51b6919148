"""``manage.py backup``: the database and MEDIA_ROOT into a new folder (core.backups)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or the SQLite backup API) and a tar of MEDIA_ROOT into "
        "a new folder under --output (BACKUP_ROOT by default), with a manifest of row counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=None, help="parent folder (BACKUP_ROOT)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = backups.backup(options["output"] or settings.BACKUP_ROOT)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
