"""The 7 elements maturity assessment: scoring, two cycles compared, next steps for the weakest,
closed cycles read-only, constant query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from governance import selectors, services
from governance.models import Element, ElementComponent, MaturityScore
from territories.models import Cycle
from tests.governance.helpers import HTMX, assert_constant_queries, url

pytestmark = pytest.mark.django_db


def _two_cycles(project: Any) -> tuple[Cycle, Cycle]:
    with scopes_disabled():
        first = Cycle.objects.get(project=project, number=1)
        second = Cycle.objects.create(
            workspace=project.workspace, project=project, number=2, started_on=dt.date(2027, 1, 1)
        )
    return first, second


def _score(personas: Any, cycle: Cycle, scores: dict[str, int | None]) -> None:
    with workspace_scope(personas.workspace):
        entries = []
        for code, value in scores.items():
            model = ElementComponent if code.count(".") == 2 else Element
            entries.append({"item": model.objects.get(code=code), "score": value})
        services.maturity_assessment_save(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace, cycle=cycle,
            scores=entries,
        )  # fmt: skip


def test_two_cycles_are_compared_element_by_element(personas: Any, sample: Any) -> None:
    first, second = _two_cycles(sample["project"])
    _score(personas, first, {"element.organisation": 1, "element.method": 3,
                             "element.organisation.pooling": 0})  # fmt: skip
    _score(personas, second, {"element.organisation": 3, "element.method": 2,
                              "element.mix": 1, "element.organisation.pooling": 2})  # fmt: skip
    with workspace_scope(personas.workspace):
        comparison = selectors.maturity_comparison(cycle=second)
    assert comparison.previous_cycle == first
    rows = {row.item.code: row for row in comparison.rows}
    assert len(rows) == 13  # 7 elements and the 6 organisation components
    assert (rows["element.organisation"].delta, rows["element.method"].delta) == (2, -1)
    assert rows["element.organisation.pooling"].delta == 2
    assert rows["element.mix"].previous is None and rows["element.mix"].delta is None
    assert rows["element.evaluation"].score is None
    assert [row.item.code for row in comparison.weakest] == ["element.mix"]
    # The first cycle has nothing before it.
    with workspace_scope(personas.workspace):
        assert selectors.maturity_comparison(cycle=first).previous_cycle is None


def test_clearing_a_score_removes_it(personas: Any, sample: Any) -> None:
    first, _second = _two_cycles(sample["project"])
    _score(personas, first, {"element.mix": 2})
    _score(personas, first, {"element.mix": None})
    with scopes_disabled():
        assert not MaturityScore.objects.exists()


def test_editor_scores_through_the_page_and_sees_radar_and_next_steps(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project = sample["project"]
    client = client_for(personas.user(Role.EDITOR))
    edit = url("maturity_edit", personas, project.uuid)
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"element_organisation-score": "1", "element_organisation-justification": "No committee",
         "element_organisation-evidence": "https://example.org/minutes",
         "element_mix-score": "3"},
        **HTMX,
    )  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:500]
    page = client.get(url("maturity", personas, project.uuid)).content.decode()
    assert 'id="maturity-data"' in page and "maturity.js" in page
    assert "No committee" in page and "https://example.org/minutes" in page
    assert "Suggested next steps" in page and "steering committee that meets" in page


def test_bad_evidence_links_and_scores_are_refused(
    personas: Any, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    edit = url("maturity_edit", personas, sample["project"].uuid)
    response = client.post(
        edit, {"element_mix-score": "2", "element_mix-evidence": "javascript:alert(1)"}, **HTMX
    )
    assert response.status_code == 422 and "is not a web address" in response.content.decode()
    assert client.post(edit, {"element_mix-score": "5"}, **HTMX).status_code == 422
    with scopes_disabled():
        assert not MaturityScore.objects.exists()


def test_a_closed_cycle_is_read_only(personas: Any, sample: Any, client_for: Any) -> None:
    first, _second = _two_cycles(sample["project"])
    _score(personas, first, {"element.mix": 2})
    with scopes_disabled():
        Cycle.objects.filter(pk=first.pk).update(status="closed", closed_on=dt.date(2026, 12, 31))
    client = client_for(personas.user(Role.EDITOR))
    edit = url("maturity_edit", personas, sample["project"].uuid) + "?cycle=1"
    response = client.post(edit, {"element_mix-score": "4"})
    assert response.status_code == 409
    assert "closed cycles are read-only" in response.content.decode()
    with scopes_disabled():
        assert MaturityScore.objects.get().score == 2
    page = client.get(url("maturity", personas, sample["project"].uuid) + "?cycle=1")
    assert "closed, read-only" in page.content.decode()


def test_partners_see_the_assessment_of_shared_projects_only(
    personas: Any, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.PARTNER))
    page = url("maturity", personas, sample["project"].uuid)
    assert client.get(page).status_code == 404
    sample["organisation"].members.add(personas.memberships[Role.PARTNER])
    sample["organisation"].shared_projects.add(sample["project"])
    assert client.get(page).status_code == 200
    assert client.get(url("maturity_edit", personas, sample["project"].uuid)).status_code == 403


def test_maturity_page_costs_the_same_queries_with_every_score(
    personas: Any, sample: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    first, second = _two_cycles(sample["project"])
    _score(personas, second, {"element.mix": 2})
    codes = [e.code for e in Element.objects.all()] + [
        c.code for c in ElementComponent.objects.all()
    ]

    def add_rows() -> None:
        _score(personas, first, dict.fromkeys(codes, 1))
        _score(personas, second, dict.fromkeys(codes, 3))

    client = client_for(personas.user(Role.EDITOR))
    assert_constant_queries(
        client, url("maturity", personas, sample["project"].uuid), add_rows,
        django_assert_num_queries,
    )  # fmt: skip
