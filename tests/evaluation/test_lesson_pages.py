"""The lessons register: roles and partners, the current cycle by default, evidence of this
project only, filters, the inline status change, deletion and the list's query count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Workspace
from core.roles import Role
from core.tenancy import scopes_disabled
from evaluation.models import Indicator, Lesson
from governance.models import PartnerOrganisation
from mix.models import Action
from territories.models import Cycle, Project
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    LessonFactory,
    ObjectiveFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WHO = ["owner", "admin", "editor", "partner", "viewer", "outsider"]


@dataclass
class Register:
    workspace: Workspace
    project: Project  # shared with the partner persona's organisation
    cycle1: Cycle  # closed
    cycle2: Cycle  # open: the current one
    indicator: Indicator
    action: Action
    lesson: Lesson  # cycle 1

    def url(self, name: str, *args: Any) -> str:
        return reverse(name, args=[self.workspace.slug, *args])


@pytest.fixture
def reg(personas: Personas) -> Register:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="Shared Project")
    office = PartnerOrganisation.unscoped_objects.create(workspace=ws, name="Tourism Office")
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(project)
    cycle1 = Cycle.unscoped_objects.get(project=project, number=1)
    cycle1.status, cycle1.closed_on = "closed", project.start_date
    cycle1.save()
    cycle2 = Cycle.unscoped_objects.create(
        workspace=ws, project=project, number=2, started_on=project.start_date
    )
    indicator = IndicatorFactory(workspace=ws, project=project, name="Awareness")
    action = ActionFactory(workspace=ws, objective__project=project, title="Fair stand")
    lesson = LessonFactory(
        workspace=ws, project=project, cycle=cycle1, learned="Fairs bring few leads",
        policy="economic", indicator=indicator,
    )  # fmt: skip
    return Register(ws, project, cycle1, cycle2, indicator, action, lesson)


EXPECTED = {
    "lesson_list": ("get", [200, 200, 200, 200, 200, 404]),
    "lesson_create": ("get", [200, 200, 200, 403, 403, 404]),
    "lesson_edit": ("get", [200, 200, 200, 403, 403, 404]),
    "lesson_status": ("post", [302, 302, 302, 403, 403, 404]),
    "lesson_delete": ("post", [302, 302, 302, 403, 403, 404]),
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_matrix_on_a_shared_project(
    name: str, who: str, personas: Personas, reg: Register, client_for: Any
) -> None:
    method, statuses = EXPECTED[name]
    expected = statuses[WHO.index(who)]
    client = client_for(personas.user(who))
    target = reg.project.uuid if name in {"lesson_list", "lesson_create"} else reg.lesson.uuid
    response = getattr(client, method)(reg.url(name, target), {"status": "sent"})
    assert response.status_code == expected
    if who == "outsider":
        assert "Fairs bring few leads" not in response.content.decode()
    with scopes_disabled():
        lesson = Lesson.objects.filter(pk=reg.lesson.pk).first()
    if name == "lesson_delete":
        assert (lesson is None) is (expected == 302)
    else:
        assert lesson is not None
        assert (lesson.status == "sent") is (name == "lesson_status" and expected == 302)


def test_a_partner_reads_the_lessons_of_a_shared_project_without_controls(
    personas: Personas, reg: Register, client_for: Any
) -> None:
    html = (
        client_for(personas.user(Role.PARTNER))
        .get(reg.url("lesson_list", reg.project.uuid))
        .content.decode()
    )
    assert "Fairs bring few leads" in html
    assert reg.url("lesson_create", reg.project.uuid) not in html
    assert reg.url("lesson_status", reg.lesson.uuid) not in html
    assert '<span class="status status-proposed">Proposed</span>' in html
    hidden = ProjectFactory(workspace=personas.workspace)
    lesson = LessonFactory(workspace=personas.workspace, project=hidden)
    client = client_for(personas.user(Role.PARTNER))
    assert client.get(reg.url("lesson_list", hidden.uuid)).status_code == 404
    # Editing is refused by role first (403), whatever the project.
    assert client.get(reg.url("lesson_edit", lesson.uuid)).status_code == 403


def test_another_workspaces_lesson_is_404_even_for_an_owner(
    personas: Personas, reg: Register, client_for: Any
) -> None:
    foreign = LessonFactory(workspace=personas.other_workspace, learned="Beta lesson")
    client = client_for(personas.user(Role.OWNER))
    assert client.get(reg.url("lesson_edit", foreign.uuid)).status_code == 404
    for name in ("lesson_status", "lesson_delete"):
        assert client.post(reg.url(name, foreign.uuid), {"status": "sent"}).status_code == 404
    with scopes_disabled():
        assert Lesson.objects.get(pk=foreign.pk).status == "proposed"


def test_a_new_lesson_defaults_to_the_current_cycle_and_saves(
    personas: Personas, reg: Register, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    url = reg.url("lesson_create", reg.project.uuid)
    page = client.get(url, {"indicator": str(reg.indicator.uuid)}).content.decode()
    assert f'<option value="{reg.cycle2.uuid}" selected>Cycle 2</option>' in page
    assert f'<option value="{reg.indicator.uuid}" selected>Awareness</option>' in page
    response = client.post(
        url,
        {
            "learned": "Residents want evening shops",
            "source": "workshop",
            "indicator": str(reg.indicator.uuid),
            "action": str(reg.action.uuid),
            "policy": "urbanism",
            "status": "proposed",
            "sent_to": "Town planning",
            "cycle": str(reg.cycle2.uuid),
        },
        **HTMX,
    )
    assert response.status_code == 200
    with scopes_disabled():
        lesson = Lesson.objects.get(learned="Residents want evening shops")
    assert (lesson.project, lesson.cycle, lesson.indicator, lesson.action) == (
        reg.project, reg.cycle2, reg.indicator, reg.action,
    )  # fmt: skip
    assert lesson.created_by == personas.user(Role.EDITOR)
    assert response["HX-Redirect"].endswith(f"#lesson-{lesson.uuid}")


def test_evidence_and_cycles_of_another_project_are_refused(
    personas: Personas, reg: Register, client_for: Any
) -> None:
    other = ProjectFactory(workspace=personas.workspace)
    foreign_indicator = IndicatorFactory(workspace=personas.workspace, project=other)
    foreign_action = ActionFactory(workspace=personas.workspace, objective=ObjectiveFactory(
        workspace=personas.workspace, project=other
    ))  # fmt: skip
    foreign_cycle = Cycle.unscoped_objects.get(project=other)
    client = client_for(personas.user(Role.EDITOR))
    base = {"learned": "Never saved", "source": "other", "policy": "tourism", "status": "sent"}
    for extra in (
        {"indicator": str(foreign_indicator.uuid), "cycle": str(reg.cycle2.uuid)},
        {"action": str(foreign_action.uuid), "cycle": str(reg.cycle2.uuid)},
        {"cycle": str(foreign_cycle.uuid)},
        {"cycle": str(reg.cycle2.uuid), "policy": "astrology"},
        {"cycle": str(reg.cycle2.uuid), "learned": ""},
    ):
        response = client.post(
            reg.url("lesson_create", reg.project.uuid), {**base, **extra}, **HTMX
        )
        assert response.status_code == 422
        assert response.content.decode().lstrip().startswith('<form id="lesson-form"')
    with scopes_disabled():
        assert not Lesson.objects.filter(learned="Never saved").exists()


def test_edit_changes_the_lesson(personas: Personas, reg: Register, client_for: Any) -> None:
    client = client_for(personas.user(Role.ADMIN))
    url = reg.url("lesson_edit", reg.lesson.uuid)
    assert "Fairs bring few leads" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "learned": "Fairs bring few leads; webinars more",
            "source": "evaluation",
            "policy": "economic",
            "status": "sent",
            "sent_to": "Development agency",
            "cycle": str(reg.cycle1.uuid),
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        lesson = Lesson.objects.get(pk=reg.lesson.pk)
    assert lesson.learned.endswith("webinars more") and lesson.status == "sent"
    assert lesson.indicator is None and lesson.sent_to == "Development agency"


def test_the_status_changes_inline(personas: Personas, reg: Register, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        reg.url("lesson_status", reg.lesson.uuid), {"status": "acted_on"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="lesson-{reg.lesson.uuid}">')
    assert '<option value="acted_on" selected>' in html and "Status changed." in html
    response = client.post(reg.url("lesson_status", reg.lesson.uuid), {"status": "lost"}, **HTMX)
    assert response.status_code == 422 and 'role="alert"' in response.content.decode()
    with scopes_disabled():
        assert Lesson.objects.get(pk=reg.lesson.pk).status == "acted_on"


def test_filters_by_cycle_policy_and_status(
    personas: Personas, reg: Register, client_for: Any
) -> None:
    LessonFactory(
        workspace=reg.workspace, project=reg.project, cycle=reg.cycle2, learned="Housing first",
        policy="housing", status="sent",
    )  # fmt: skip
    client = client_for(personas.user(Role.VIEWER))
    url = reg.url("lesson_list", reg.project.uuid)
    page = client.get(url).content.decode()
    page = page[page.index('<div id="results">') :]
    # Newest cycle first.
    assert page.index("Cycle 2") < page.index("Housing first") < page.index("Cycle 1")
    assert page.index("Cycle 1") < page.index("Fairs bring few leads")
    for query, shown, hidden in (
        ({"cycle": str(reg.cycle1.uuid)}, "Fairs bring few leads", "Housing first"),
        ({"policy": "housing"}, "Housing first", "Fairs bring few leads"),
        ({"status": "proposed"}, "Fairs bring few leads", "Housing first"),
    ):
        html = client.get(url, query, **HTMX).content.decode()
        assert html.lstrip().startswith('<div id="results">')
        assert shown in html and hidden not in html
    html = client.get(url, {"status": "acted_on"}).content.decode()
    assert "No lesson matches these filters." in html


def test_delete_removes_the_lesson(personas: Personas, reg: Register, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(reg.url("lesson_delete", reg.lesson.uuid), **HTMX)
    assert response["HX-Redirect"] == reg.url("lesson_list", reg.project.uuid)
    with scopes_disabled():
        assert not Lesson.objects.filter(pk=reg.lesson.pk).exists()
    html = client.get(reg.url("lesson_list", reg.project.uuid)).content.decode()
    assert "No lesson yet" in html and "Lesson deleted." in html


@pytest.mark.parametrize("who", [Role.OWNER, Role.PARTNER])
def test_list_query_count_is_the_same_at_1_and_30_lessons(
    who: str, personas: Personas, reg: Register, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(personas.user(who))
    url = reg.url("lesson_list", reg.project.uuid)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 1
    for n in range(29):
        LessonFactory(
            workspace=reg.workspace, project=reg.project,
            cycle=reg.cycle1 if n % 2 else reg.cycle2,
            indicator=IndicatorFactory(workspace=reg.workspace, project=reg.project),
            action=ActionFactory(workspace=reg.workspace, objective__project=reg.project),
        )  # fmt: skip
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url + "?page=2")
    assert len(response.context["page"].object_list) == 10
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20
