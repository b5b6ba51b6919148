"""The timeline says more: today's line, the milestones of its range (meetings, decisions due,
the cycle's dates), each labelled and reachable, and bars that are links with their full title
in a tooltip. One cycle at a time; the same queries at 1 and many milestones."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.roles import Role
from core.tenancy import scopes_disabled
from mix.models import Action
from territories.models import Cycle
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    GovernanceBodyFactory,
    MeetingFactory,
    ObjectiveFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _client(personas: Personas, role: str = Role.VIEWER) -> Client:
    client = Client()
    client.force_login(personas.user(role))
    return client


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _month(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def harbour(personas: Personas) -> dict[str, Any]:
    """A project whose cycle 1 has actions from two months ago to three months ahead."""
    ws = personas.workspace
    today = timezone.localdate()
    project = ProjectFactory(workspace=ws, name="Harbour Project")
    with scopes_disabled():
        cycle = Cycle.objects.get(project=project, number=1)
        Cycle.objects.filter(pk=cycle.pk).update(started_on=_month(today, -2))
        cycle.refresh_from_db()
    objective = ObjectiveFactory(workspace=ws, project=project, title="Attract talent")
    long_title = "A welcome programme for the families of newly hired engineers " * 2
    action = ActionFactory(workspace=ws, objective=objective, title=long_title.strip(),
                           start_date=_month(today, -2), end_date=_month(today, 3))  # fmt: skip
    body = GovernanceBodyFactory(workspace=ws, project=project, name="Steering committee")
    return {"project": project, "cycle": cycle, "action": action, "body": body, "today": today}


def _timeline(client: Client, personas: Personas, project: Any, query: str = "") -> str:
    response = client.get(
        reverse("plan_timeline", args=[personas.workspace.slug, project.uuid]) + query
    )
    assert response.status_code == 200
    return str(response.content.decode())


def test_today_line_and_the_milestones_of_the_range(
    personas: Personas, harbour: dict[str, Any]
) -> None:
    ws, project, today = personas.workspace, harbour["project"], harbour["today"]
    in_range = MeetingFactory(workspace=ws, body=harbour["body"], title="Spring review",
                              held_on=_month(today, 1))  # fmt: skip
    MeetingFactory(workspace=ws, body=harbour["body"], title="Far future meeting",
                   held_on=_month(today, 24))  # fmt: skip
    DecisionFactory(workspace=ws, meeting=in_range, text="Hire a welcome officer",
                    due_date=_month(today, 2))  # fmt: skip
    DecisionFactory(workspace=ws, meeting=in_range, text="Decision without a date")
    DecisionFactory(workspace=ws, meeting=in_range, text="Long overdue decision",
                    due_date=_month(today, -30))  # fmt: skip
    other_project = GovernanceBodyFactory(workspace=ws, project=ProjectFactory(workspace=ws))
    MeetingFactory(workspace=ws, body=other_project, title="Other project's meeting",
                   held_on=_month(today, 1))  # fmt: skip
    page = _timeline(_client(personas), personas, project)

    # Today's line, labelled, and said in the legend the table points to.
    assert 'class="tl-line tl-line-today"' in page and ">Today</span>" in page
    assert f"Today ({_short(today)}): the vertical line." in page
    assert 'aria-describedby="tl-legend"' in page
    # Each milestone is a link named by its type, date and title; only those of the range.
    day = f"{_short(_month(today, 1))}"
    meeting_url = reverse("meeting_detail", args=[ws.slug, in_range.uuid])
    review_url = reverse("cycle_review", args=[ws.slug, project.uuid, 1])
    names = re.findall(
        r'<a class="tl-milestone kind-(\w+)" id="milestone-\d+" href="([^"]+)">'
        r'<span class="tl-glyph" aria-hidden="true"></span>'
        r'<span class="visually-hidden">([^<]+)</span></a>',
        page,
    )
    assert names == [
        ("cycle_start", review_url, f"Cycle starts, {_short(_month(today, -2))}: Cycle 1"),
        ("meeting", meeting_url, f"Meeting, {day}: Steering committee: Spring review"),
        ("decision", meeting_url, f"Decision due, {_short(_month(today, 2))}: "
                                  "Hire a welcome officer"),
    ]  # fmt: skip
    assert "3 milestones: meetings, decisions due and the cycle's dates." in page
    for absent in ("Far future meeting", "Decision without a date", "Long overdue decision",
                   "Other project&#x27;s meeting"):  # fmt: skip
        assert absent not in page, absent


def test_bars_are_links_with_their_full_title_in_a_tooltip(
    personas: Personas, harbour: dict[str, Any]
) -> None:
    action = harbour["action"]
    page = _timeline(_client(personas), personas, harbour["project"])
    detail = reverse("action_detail", args=[personas.workspace.slug, action.uuid])
    link = re.search(
        rf'<a class="tl-item" href="{detail}" aria-describedby="tip-{action.uuid}">'
        r'<span class="tl-bar status-\w+">([^<]+)</span></a>',
        page,
    )
    assert link and link.group(1) == action.title
    tip = re.search(
        rf'<span class="tl-tip" role="tooltip" id="tip-{action.uuid}">(.*?)</span>', page
    )
    assert tip and f"<strong>{action.title}</strong>" in tip.group(1)
    assert f"{_short(action.start_date)}</time> → " in tip.group(1)


def test_no_today_line_outside_the_range_and_a_closed_cycle_shows_its_own_dates(
    personas: Personas, harbour: dict[str, Any]
) -> None:
    ws, project, today = personas.workspace, harbour["project"], harbour["today"]
    with scopes_disabled():
        Action.objects.filter(pk=harbour["action"].pk).delete()  # only the actions below
        first = harbour["cycle"]
        Cycle.objects.filter(pk=first.pk).update(
            status="closed", started_on=dt.date(2020, 2, 3), closed_on=dt.date(2020, 4, 30)
        )
        second = Cycle.objects.create(
            workspace=ws, project=project, number=2, started_on=dt.date(2020, 4, 30)
        )
    old = ObjectiveFactory(workspace=ws, project=project, cycle=first, title="Old objective")
    ActionFactory(workspace=ws, objective=old, title="Old fair",
                  start_date=dt.date(2020, 2, 1), end_date=dt.date(2020, 5, 1))  # fmt: skip
    # The current cycle's timeline draws only its own actions.
    now_objective = ObjectiveFactory(workspace=ws, project=project, cycle=second)
    ActionFactory(workspace=ws, objective=now_objective, title="Current fair",
                  start_date=_month(today, 1), end_date=_month(today, 2))  # fmt: skip
    client = _client(personas)
    current = _timeline(client, personas, project)
    assert "Current fair" in current and "Old fair" not in current
    assert "Cycle starts" not in current  # cycle 2 started in 2020, before this range
    # Cycle 1 (closed): its actions only, its start and close dates, no today line.
    page = _timeline(client, personas, project, "?cycle=1")
    assert "Old fair" in page and "Current fair" not in page
    assert "tl-line-today" not in page and "Today (" not in page
    assert f"Cycle starts, {_short(dt.date(2020, 2, 3))}: Cycle 1" in page
    assert f"Cycle closed, {_short(dt.date(2020, 4, 30))}: Cycle 1" in page


def test_the_timeline_costs_the_same_queries_at_1_and_many_milestones(
    personas: Personas, harbour: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from tests.governance.helpers import assert_constant_queries

    ws, today = personas.workspace, harbour["today"]
    meeting = MeetingFactory(workspace=ws, body=harbour["body"], held_on=today)
    DecisionFactory(workspace=ws, meeting=meeting, due_date=today)

    def add_rows() -> None:
        for n in range(20):
            other = MeetingFactory(workspace=ws, body=harbour["body"], held_on=today,
                                   title=f"Meeting {n}")  # fmt: skip
            DecisionFactory(workspace=ws, meeting=other, due_date=_month(today, 1))

    page = reverse("plan_timeline", args=[ws.slug, harbour["project"].uuid])
    assert_constant_queries(_client(personas), page, add_rows, django_assert_num_queries)
    assert _timeline(_client(personas), personas, harbour["project"]).count("tl-milestone ") == 43
