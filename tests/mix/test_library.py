"""The plan library page: who reads it, who imports, what an import creates and records."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from core.tenancy import scopes_disabled
from mix.models import Action
from territories.models import Cycle
from tests.factories import ObjectiveFactory
from tracer.models import ChangeKind, Objective, PlanChange
from tracer.reference_data import PLAN_LIBRARY

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WHO = ["owner", "admin", "editor", "partner", "viewer", "outsider"]
LIBRARY = {row[0]: row for row in PLAN_LIBRARY}


def library_url(personas: Any, project: Any) -> str:
    return reverse("plan_library", args=[personas.workspace.slug, project.uuid])


def share_with_partner(personas: Any, sample: Any) -> None:
    office = sample["organisation"]
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(sample["project"])


def imported(project: Any) -> list[Objective]:
    with scopes_disabled():
        return list(
            Objective.objects.filter(project=project, is_draft=True)
            .select_related("stage")
            .order_by("stage__position")
        )


@pytest.mark.parametrize(
    ("who", "get", "post"),
    list(
        zip(
            WHO,
            [200, 200, 200, 404, 200, 404],  # the partner's organisation has no share here
            [302, 302, 302, 404, 403, 404],
            strict=True,
        )
    ),
)
def test_role_matrix(
    who: str, get: int, post: int, personas: Any, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(who))
    url = library_url(personas, sample["project"])
    response = client.get(url)
    assert response.status_code == get
    if get == 404:
        assert "Secret Project Alpha" not in response.content.decode()
    assert client.post(url, {"stages": ["tracer.reputation"]}).status_code == post
    assert len(imported(sample["project"])) == (1 if post == 302 else 0)


def test_a_partner_of_a_shared_project_reads_the_library_but_cannot_import(
    personas: Any, sample: Any, client_for: Any
) -> None:
    share_with_partner(personas, sample)
    client = client_for(personas.user(Role.PARTNER))
    url = library_url(personas, sample["project"])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Correct the territory&#x27;s economic image" in body
    assert 'name="stages"' not in body and "Import into this plan" not in body
    assert "Editors can import these examples into the plan." in body
    assert client.post(url, {"stages": ["tracer.reputation"]}).status_code == 403
    assert imported(sample["project"]) == []


def test_the_library_shows_every_stage_with_checkboxes_for_editors(
    personas: Any, sample: Any, client_for: Any
) -> None:
    body = client_for(personas.user(Role.EDITOR)).get(library_url(personas, sample["project"]))
    html = body.content.decode()
    assert 'aria-current="page">Library</a>' in html
    for stage_code, title_en, _fr, _audiences, _segment, actions in PLAN_LIBRARY:
        assert f'name="stages" value="{stage_code}"' in html
        assert title_en.replace("'", "&#x27;") in html
        for _family, action_en, _action_fr in actions:
            assert action_en.replace("'", "&#x27;") in html
    assert "Import into this plan" in html
    # The stages come in TRACER order: T, R, A, C, E, R.
    letters = re.findall(r'<span class="letter" aria-hidden="true">(\w)</span>', html)
    assert letters == ["T", "R", "A", "C", "E", "R"]


def test_import_creates_drafts_with_their_stage_and_family_and_records_history(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project = sample["project"]
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        library_url(personas, project),
        {"stages": ["tracer.engagement", "tracer.affinities"]},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse(
        "plan_board", args=[personas.workspace.slug, project.uuid]
    )
    objectives = imported(project)
    assert [o.stage.code for o in objectives] == ["tracer.affinities", "tracer.engagement"]
    with scopes_disabled():
        for objective in objectives:
            _stage, title_en, _fr, audiences, segment, actions = LIBRARY[objective.stage.code]
            assert objective.title == title_en and objective.segment == segment
            assert objective.cycle == Cycle.objects.get(project=project, number=1)
            assert sorted(a.code for a in objective.audiences.all()) == sorted(audiences)
            created = Action.objects.filter(objective=objective).select_related("family")
            assert sorted((a.family.code, a.title) for a in created) == sorted(
                (family, en) for family, en, _fr in actions
            )
            assert all(
                a.status == "idea" and a.created_by == personas.user(Role.EDITOR) for a in created
            )
        history = PlanChange.objects.filter(project=project)
        objective_uuids = {o.uuid for o in objectives}
        action_uuids = set(
            Action.objects.filter(objective__in=objectives).values_list("uuid", flat=True)
        )
        rows = history.filter(kind=ChangeKind.IMPORTED)
        assert {r.target_uuid for r in rows.filter(target_type="objective")} == objective_uuids
        assert {r.target_uuid for r in rows.filter(target_type="action")} == action_uuids
        assert rows.count() == 2 + 6  # 2 objectives, 2 + 4 actions
        assert {r.actor_id for r in rows} == {personas.user(Role.EDITOR).pk}
        assert not history.exclude(kind=ChangeKind.IMPORTED).exists()
    board = client.get(reverse("plan_board", args=[personas.workspace.slug, project.uuid]))
    html = board.content.decode()
    assert "2 objectives imported as drafts" in html
    assert html.count('<span class="badge">draft</span>') == 2
    # The library now marks them as already in the plan.
    html = client.get(library_url(personas, project)).content.decode()
    assert html.count("already in this plan") == 2


def test_in_french_the_library_and_the_import_are_in_french(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project = sample["project"]
    client = client_for(personas.user(Role.EDITOR))
    response = client.get(library_url(personas, project), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert "Importer dans ce plan" in html
    assert "Corriger l&#x27;image économique du territoire" in html
    assert "Correct the territory" not in html
    response = client.post(
        library_url(personas, project),
        {"stages": ["tracer.reputation"]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    [objective] = imported(project)
    assert objective.title == "Corriger l'image économique du territoire"
    with scopes_disabled():
        titles = set(Action.objects.filter(objective=objective).values_list("title", flat=True))
    assert "Créer un kit de communication pour les partenaires" in titles


def test_nothing_ticked_answers_422_with_the_form(
    personas: Any, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    url = library_url(personas, sample["project"])
    for data in ({}, {"csrfmiddlewaretoken": "x"}):
        response = client.post(url, data, **HTMX)
        assert response.status_code == 422
        html = response.content.decode()
        assert 'id="library-form"' in html and "<html" not in html
        assert "Choose at least one TRACER stage to import." in html
    response = client.post(url, {"stages": ["tracer.nope"]}, **HTMX)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert imported(sample["project"]) == []


def test_a_refused_import_keeps_the_ticked_stages(
    personas: Any, sample: Any, client_for: Any
) -> None:
    """A closed cycle refuses new objectives: 409, the service's reason comes back on the form,
    which (the cycle being closed now) no longer offers an import."""
    with scopes_disabled():
        Cycle.objects.filter(project=sample["project"]).update(status="closed")
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        library_url(personas, sample["project"]),
        {"stages": ["tracer.conversion", "tracer.retention"]},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "closed cycles are read-only" in html
    assert 'name="stages"' not in html
    assert "Import into this plan" not in html
    assert imported(sample["project"]) == []


def test_library_query_count_does_not_grow_with_the_plan(
    personas: Any, sample: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    url = library_url(personas, sample["project"])
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(29):
        ObjectiveFactory(workspace=personas.workspace, project=sample["project"])
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
