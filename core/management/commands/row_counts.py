"""``manage.py row_counts``: rows per table, and per workspace and table, as JSON (what the
backup drill compares before and after a restore)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from core import portability


class Command(BaseCommand):
    help = "Print the rows per table and per workspace and table, as JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(portability.database_counts(), indent=1, sort_keys=True))
