"""What a client of the API computes from it, for tests that compare the API with the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client


def api_pages(client: Client, path: str, **query: Any) -> list[dict[str, Any]]:
    """Every row of a workspace list, following its ``next`` links as a client would (pages of
    100). ``client`` sends its credentials (a personal token, or a logged-in session)."""
    rows: list[dict[str, Any]] = []
    url: str | None = path
    params: dict[str, Any] = {"page_size": 100, **query}
    while url is not None:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.content[:500])
        body = response.json()
        rows.extend(body["results"])
        url, params = body["next"], {}  # ``next`` carries the query
    return rows


def api_planned_budget(client: Client, workspace_slug: str, cycle: Any) -> Decimal:
    """The planned budget of a cycle as the API tells it: ``budget_planned`` summed over every
    page of ``GET /api/v1/w/<workspace>/actions/?cycle=<cycle>``. ``cycle`` is a Cycle, its id,
    or ``"current"`` (then the sum covers each project's current cycle)."""
    cycle_id = getattr(cycle, "uuid", cycle)
    path = f"/api/v1/w/{workspace_slug}/actions/"
    rows = api_pages(client, path, cycle=str(cycle_id))
    return sum((Decimal(row["budget_planned"] or 0) for row in rows), Decimal(0))
