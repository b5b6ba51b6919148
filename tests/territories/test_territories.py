"""Territories and projects: pages, HTMX forms, rules and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.roles import Role
from core.tenancy import scopes_disabled
from territories.models import Cycle, Project, Territory
from tests.factories import ProjectFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, personas: Any, *args: Any) -> str:
    return reverse(name, args=[personas.workspace.slug, *args])


def test_create_territory_then_a_micro_territory_inside_it(personas: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("territory_create", personas),
        {"name": "Loire Valley", "kind": "intercommunality", "description": "Châteaux"},
        **HTMX,
    )
    assert response.status_code == 200
    with scopes_disabled():
        area = Territory.objects.get(name="Loire Valley")
    assert response["HX-Redirect"] == url("territory_detail", personas, area.uuid)
    assert area.workspace == personas.workspace
    assert area.created_by == personas.user(Role.EDITOR)

    response = client.post(
        url("territory_create", personas),
        {"name": "Chinon centre", "kind": "town_centre", "parent": str(area.uuid)},
    )
    assert response.status_code == 302
    with scopes_disabled():
        micro = Territory.objects.get(name="Chinon centre")
    assert micro.parent == area and micro.is_micro
    page = client.get(url("territory_detail", personas, area.uuid)).content.decode()
    assert "Chinon centre" in page


def test_invalid_territory_answers_422_with_the_form_and_keeps_the_input(
    personas: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("territory_create", personas),
        {"name": "", "kind": "city", "description": "Keep me"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="territory-form"' in html and "<html" not in html
    assert "This field is required." in html
    assert "Keep me" in html
    assert 'aria-invalid="true"' in html


def test_duplicate_active_name_is_refused_with_a_clear_message(
    personas: Any, client_for: Any
) -> None:
    TerritoryFactory(workspace=personas.workspace, name="Chinon")
    TerritoryFactory(workspace=personas.other_workspace, name="Lyon")
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("territory_create", personas), {"name": "Chinon", "kind": "city"}, **HTMX
    )
    assert response.status_code == 422
    assert "An active territory already has this name." in response.content.decode()
    # The same name in another workspace is no conflict.
    response = client.post(
        url("territory_create", personas), {"name": "Lyon", "kind": "city"}, **HTMX
    )
    assert response.status_code == 200


def test_a_foreign_workspace_parent_is_refused(personas: Any, client_for: Any) -> None:
    foreign = TerritoryFactory(workspace=personas.other_workspace, name="Foreign parent")
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("territory_create", personas),
        {"name": "Sneaky", "kind": "campus", "parent": str(foreign.uuid)},
        **HTMX,
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    with scopes_disabled():
        assert not Territory.objects.filter(name="Sneaky").exists()


def test_a_territory_cannot_sit_inside_itself(personas: Any, client_for: Any) -> None:
    top = TerritoryFactory(workspace=personas.workspace, name="Top")
    child = TerritoryFactory(workspace=personas.workspace, name="Child", parent=top)
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("territory_edit", personas, top.uuid),
        {"name": "Top", "kind": "city", "parent": str(child.uuid)},
        **HTMX,
    )
    assert response.status_code == 422
    assert "A territory cannot sit inside itself." in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_create_project_opens_cycle_1(personas: Any, client_for: Any) -> None:
    area = TerritoryFactory(workspace=personas.workspace, name="Area")
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("project_create", personas),
        {
            "territory": str(area.uuid),
            "name": "Attract 2027",
            "ambition": "+300 residents",
            "status": "active",
            "start_date": "2026-03-01",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        project = Project.objects.get(name="Attract 2027")
        cycles = list(
            Cycle.objects.filter(project=project).values_list("number", "status", "started_on")
        )
    assert [(n, s, str(d)) for n, s, d in cycles] == [(1, "open", "2026-03-01")]
    page = client.get(url("project_detail", personas, project.uuid)).content.decode()
    assert "Cycle 1" in page and "+300 residents" in page


def test_invalid_project_keeps_input(personas: Any, client_for: Any) -> None:
    area = TerritoryFactory(workspace=personas.workspace, name="Area")
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("project_create", personas),
        {
            "territory": str(area.uuid),
            "name": "",
            "ambition": "Do not lose me",
            "status": "active",
            "start_date": "not a date",
        },
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Do not lose me" in html and "Enter a valid date." in html


def test_archive_from_the_list_swaps_the_row_and_hides_it_from_the_active_list(
    personas: Any, client_for: Any
) -> None:
    project = ProjectFactory(workspace=personas.workspace, name="To archive")
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("project_archive", personas, project.uuid), {"archived": "1"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="project-{project.uuid}"')
    assert "Project archived." in html and "Restore" in html
    assert "To archive" not in client.get(url("project_list", personas)).content.decode()
    assert (
        "To archive" in client.get(url("project_list", personas) + "?archived=on").content.decode()
    )
    # Restore it again.
    client.post(url("project_archive", personas, project.uuid), {"archived": "0"}, **HTMX)
    assert "To archive" in client.get(url("project_list", personas)).content.decode()


def test_a_territory_with_active_projects_cannot_be_archived(
    personas: Any, client_for: Any
) -> None:
    project = ProjectFactory(workspace=personas.workspace, name="Running")
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("territory_archive", personas, project.territory.uuid), {"archived": "1"}, **HTMX
    )
    assert response.status_code == 422
    assert "Archive its 1 active project first." in response.content.decode()
    project.territory.refresh_from_db()
    assert project.territory.archived_at is None


def test_list_filters_and_search(personas: Any, client_for: Any) -> None:
    TerritoryFactory(workspace=personas.workspace, name="Campus Nord", kind="campus")
    TerritoryFactory(workspace=personas.workspace, name="Ville Sud", kind="city")
    client = client_for(personas.user(Role.VIEWER))
    html = client.get(url("territory_list", personas) + "?kind=campus", **HTMX).content.decode()
    assert "Campus Nord" in html and "Ville Sud" not in html and "<html" not in html
    html = client.get(url("territory_list", personas) + "?q=sud").content.decode()
    assert "Ville Sud" in html and "Campus Nord" not in html


def test_empty_states(personas: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    assert "No territory yet" in client.get(url("territory_list", personas)).content.decode()
    assert "No project yet" in client.get(url("project_list", personas)).content.decode()
    assert (
        "No territory matches these filters."
        in client.get(url("territory_list", personas) + "?q=zzz").content.decode()
    )


def test_pagination(personas: Any, client_for: Any) -> None:
    for i in range(25):
        TerritoryFactory(workspace=personas.workspace, name=f"T{i:02d}")
    client = client_for(personas.user(Role.VIEWER))
    first = client.get(url("territory_list", personas)).content.decode()
    assert "T00" in first and "T20" not in first and "Page 1 of 2" in first
    second = client.get(url("territory_list", personas) + "?page=2").content.decode()
    assert "T24" in second and "T00" not in second


def test_viewer_sees_no_edit_controls(personas: Any, sample: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.VIEWER))
    html = client.get(url("territory_list", personas)).content.decode()
    assert "New territory" not in html and "Archive" not in html
    html = (
        client_for(personas.user(Role.EDITOR)).get(url("territory_list", personas)).content.decode()
    )
    assert "New territory" in html and "Archive" in html


@pytest.mark.parametrize("name", ["territory_list", "project_list", "workspace_home"])
def test_query_count_is_the_same_at_1_and_50_rows(
    name: str, personas: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(personas.user(Role.OWNER))
    ProjectFactory(workspace=personas.workspace)
    client.get(url(name, personas))  # warm caches (session, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url(name, personas)).status_code == 200
    for _ in range(49):
        area = TerritoryFactory(workspace=personas.workspace, parent=None)
        ProjectFactory(workspace=personas.workspace, territory=area)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url(name, personas) + ("?page=1" if name != "workspace_home" else ""))
    assert response.status_code == 200
