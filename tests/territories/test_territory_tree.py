"""The territory list as a tree: micro-territories under their parent, pages of top-level
territories, matches shown with their parent path, the same queries at 1 and 50 rows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from tests.factories import ProjectFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

SEP = " \u203a "  # the path's separator, as on the page


def _list(client: Any, personas: Any, query: str = "") -> str:
    response = client.get(reverse("territory_list", args=[personas.workspace.slug]) + query)
    assert response.status_code == 200
    return str(response.content.decode())


def _rows(page: str) -> list[tuple[int, str, str]]:
    """(depth, parent path, name) of each row, in the order shown."""
    rows = []
    for depth, cell in re.findall(
        r'<th scope="row" class="tree-cell depth-(\d+)">(.*?)</a>', page, re.S
    ):
        path = re.search(rf'<span class="tree-path muted">(.*?){SEP}</span>', cell)
        name = re.sub(r"<[^>]+>", "", cell.rsplit(">", 1)[-1])
        rows.append((int(depth), path.group(1) if path else "", name.strip()))
    return rows


@pytest.fixture
def tree(personas: Any) -> dict[str, Any]:
    ws = personas.workspace
    region = TerritoryFactory(workspace=ws, name="Centre-Val de Loire", kind="region")
    tours = TerritoryFactory(workspace=ws, name="Tours", kind="city", parent=region)
    TerritoryFactory(workspace=ws, name="Tours centre", kind="town_centre", parent=tours)
    TerritoryFactory(workspace=ws, name="Campus Grandmont", kind="campus", parent=tours)
    TerritoryFactory(workspace=ws, name="Amboise", kind="city", parent=region)
    TerritoryFactory(workspace=ws, name="Bretagne", kind="region")
    return {"region": region, "tours": tours}


def test_micro_territories_show_indented_under_their_parent(
    personas: Any, client_for: Any, tree: Any
) -> None:
    page = _list(client_for(personas.user(Role.VIEWER)), personas)
    assert _rows(page) == [
        (0, "", "Bretagne"),
        (0, "", "Centre-Val de Loire"),
        (1, "", "Amboise"),
        (1, "", "Tours"),
        (2, "", "Campus Grandmont"),
        (2, "", "Tours centre"),
    ]


def test_a_filtered_list_names_each_match_with_its_parent_path(
    personas: Any, client_for: Any, tree: Any
) -> None:
    client = client_for(personas.user(Role.VIEWER))
    assert _rows(_list(client, personas, "?kind=campus")) == [
        (0, f"Centre-Val de Loire{SEP}Tours", "Campus Grandmont")
    ]
    # A match under a match stays under it.
    assert _rows(_list(client, personas, "?q=tours")) == [
        (0, "Centre-Val de Loire", "Tours"),
        (1, "", "Tours centre"),
    ]


def test_pages_hold_top_level_territories_with_everything_under_them(
    personas: Any, client_for: Any
) -> None:
    ws = personas.workspace
    for n in range(25):
        top = TerritoryFactory(workspace=ws, name=f"Area {n:02d}")
        TerritoryFactory(workspace=ws, name=f"Area {n:02d} centre", kind="town_centre", parent=top)
    client = client_for(personas.user(Role.VIEWER))
    first = _rows(_list(client, personas))
    second = _rows(_list(client, personas, "?page=2"))
    # 20 top-level territories a page, each followed by its micro-territory, never split.
    assert [name for depth, _, name in first if depth == 0] == [f"Area {n:02d}" for n in range(20)]
    assert len(first) == 40
    assert second[:2] == [(0, "", "Area 20"), (1, "", "Area 20 centre")]
    assert len(second) == 10


def test_the_tree_costs_the_same_queries_at_1_and_50_rows(
    personas: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    ws = personas.workspace
    client = client_for(personas.user(Role.OWNER))
    region = TerritoryFactory(workspace=ws, name="Region")
    _list(client, personas)  # warm the session
    with CaptureQueriesContext(connection) as one:
        _list(client, personas, "?q=e")
    for n in range(49):
        city = TerritoryFactory(workspace=ws, name=f"City {n:02d}", parent=region)
        ProjectFactory(workspace=ws, territory=city)
    with django_assert_num_queries(len(one.captured_queries)):
        page = _list(client, personas, "?q=e")
    assert len(_rows(page)) == 50  # Region, then its 49 cities under it
