"""Counts on the evaluation pages take their plural forms: the dashboard's status counters and the
cycle review's pooled means ("from 1 partner", "1 in-kind day"), in English and in French."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.roles import Role
from territories.models import Cycle
from tests.conftest import Personas
from tests.evaluation.test_dashboard import add_indicators, compute
from tests.factories import ContributionFactory, ProjectFactory
from tests.mix.test_first_hour_text import text_of

pytestmark = pytest.mark.django_db


def read(personas: Personas, url: str, language: str) -> str:
    client = Client()
    client.force_login(personas.user(Role.OWNER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def status_counters(page: str) -> str:
    found = re.search(r'<ul class="counters status-counters"[^>]*>.*?</ul>', page, re.S)
    assert found, "no status counters"
    return text_of(found.group(0))


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [("en", "1 on track", "2 on track"), ("fr", "1 en bonne voie", "2 en bonne voie")],
)
def test_dashboard_status_counters_count_indicators(
    personas: Personas, language: str, one: str, two: str
) -> None:
    def counters_of(indicators: int) -> str:
        project = ProjectFactory(workspace=personas.workspace)
        add_indicators(project, indicators)
        compute(project, personas.workspace)
        url = reverse("project_dashboard", args=[personas.workspace.slug, project.uuid])
        return status_counters(read(personas, url, language))

    counters = counters_of(1)
    assert one in counters, counters
    assert ("0 reached" if language == "en" else "0 atteint") in counters  # French: 0 is singular
    assert two in counters_of(2)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", ["1 in-kind day from 1 partner,"], ["2.5 in-kind days from 2 partners,"]),
        (
            "fr",
            ["1 jour en nature apportés par 1 partenaire,"],
            ["2,5 jours en nature apportés par 2 partenaires,"],
        ),
    ],
)
def test_the_cycle_review_counts_partners_and_days(
    personas: Personas, language: str, one: list[str], two: list[str]
) -> None:
    project = ProjectFactory(workspace=personas.workspace)
    cycle = Cycle.unscoped_objects.get(project=project, number=1)
    url = reverse("cycle_review", args=[personas.workspace.slug, project.uuid, 1])
    ContributionFactory(workspace=personas.workspace, cycle=cycle, amount=1000, days=1)
    text = text_of(read(personas, url, language))
    assert all(expected in text for expected in one), text
    ContributionFactory(workspace=personas.workspace, cycle=cycle, amount=1000, days="1.5")
    text = text_of(read(personas, url, language))
    assert all(expected in text for expected in two), text
