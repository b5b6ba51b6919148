"""``manage.py workspace_import FILE.zip``: restore a workspace export (core.portability)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import portability


class Command(BaseCommand):
    help = (
        "Restore a workspace from its export archive (Settings → Export) into this database. "
        "The workspace must not be here yet; users are matched by e-mail address and come "
        "back without a password (they choose one with 'forgotten password')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the export's ZIP file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = portability.import_workspace(options["archive"])
        except (portability.ImportRefused, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        for label, rows in written.items():
            self.stdout.write(f"{label}: {rows}")
        self.stdout.write(self.style.SUCCESS(f"Imported {sum(written.values())} rows."))
