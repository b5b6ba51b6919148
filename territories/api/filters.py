"""Filters of the territories app that other apps' lists share: the cycle of a plan item or of a
record, by its id or as ``current``."""

from __future__ import annotations

from typing import Any

from core.apifilters import IdOrKeywordFilter, id_or_keyword_filter
from territories.models import Cycle
from territories.selectors import cycles_current, visible_projects

CURRENT = "current"


def only_visible_cycles(qs: Any, request: Any) -> Any:
    """Cycles of the projects the member may see (partners: the shared ones)."""
    return qs.filter(project__in=visible_projects(membership=request.membership))


def cycle_filter(path: str = "cycle", *or_paths: str) -> IdOrKeywordFilter:
    """``cycle=<id>``: the rows of that cycle (a cycle of another workspace, or of a project the
    member does not see: 400); ``cycle=current``: the rows of each project's current cycle (the
    open one with the highest number, the last one when all are closed). ``path`` leads from the
    listed model to its cycle (``objective__cycle`` for an action); ``or_paths`` are other ways
    to it (a comment is in the cycle of its objective or of its action's)."""
    return id_or_keyword_filter(
        Cycle,
        field_name=path,
        keywords={CURRENT: cycles_current},
        limit=only_visible_cycles,
        or_paths=or_paths,
        help_text=(
            "A cycle's id, or current: each project's current cycle (its open cycle with the "
            "highest number, or its last one when all are closed)."
        ),
    )
