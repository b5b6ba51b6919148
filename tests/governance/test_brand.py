"""The brand platform: optional, licensees, the ambassadors register, counts that feed the
evaluation's indicators, constant query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from evaluation.models import CatalogueIndicator, Measurement
from governance import selectors
from governance.models import Ambassador, BrandPlatform
from tests.factories import (
    AmbassadorFactory,
    BrandLicenseeFactory,
    BrandPlatformFactory,
    IndicatorFactory,
)
from tests.governance.helpers import HTMX, assert_constant_queries, url

pytestmark = pytest.mark.django_db


def test_a_project_has_no_brand_until_one_is_written(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project = sample["project"]
    client = client_for(personas.user(Role.EDITOR))
    assert "No brand platform" in client.get(url("brand", personas, project.uuid)).content.decode()
    assert client.get(url("ambassador_create", personas, project.uuid)).status_code == 404
    response = client.post(
        url("brand_edit", personas, project.uuid),
        {
            "name": "Loire Vivante",
            "promise": "Live by the river",
            "audiences": ["audience.talents"],
        },
        **HTMX,
    )
    assert response.status_code == 200, response.content.decode()[:300]
    with scopes_disabled():
        platform = BrandPlatform.objects.get(project=project)
        assert [a.code for a in platform.audiences.all()] == ["audience.talents"]
    # Saving again updates the one platform.
    client.post(url("brand_edit", personas, project.uuid), {"name": "Loire"}, **HTMX)
    with scopes_disabled():
        assert BrandPlatform.objects.get(project=project).name == "Loire"
    response = client.post(
        url("ambassador_create", personas, project.uuid),
        {"name": "Jeanne", "kind": "person", "segment": "Business leaders", "is_active": "on",
         "joined_on": "2026-03-01"},
        **HTMX,
    )  # fmt: skip
    assert response.status_code == 200
    assert client.post(url("ambassador_create", personas, project.uuid), {"name": ""}, **HTMX
                       ).status_code == 422  # fmt: skip
    with scopes_disabled():
        assert Ambassador.objects.get().name == "Jeanne"


def test_counts_follow_the_date_and_the_active_flag(personas: Any, sample: Any) -> None:
    platform = BrandPlatformFactory(workspace=personas.workspace, project=sample["project"])
    ws = personas.workspace
    AmbassadorFactory(workspace=ws, platform=platform, joined_on=dt.date(2026, 1, 10))
    AmbassadorFactory(workspace=ws, platform=platform, joined_on=dt.date(2026, 5, 1),
                      kind="organisation")  # fmt: skip
    AmbassadorFactory(
        workspace=ws, platform=platform, joined_on=dt.date(2026, 1, 1), is_active=False
    )
    BrandLicenseeFactory(workspace=ws, platform=platform, since=dt.date(2026, 2, 1))
    BrandLicenseeFactory(workspace=ws, platform=platform, since=dt.date(2026, 6, 1))
    with workspace_scope(ws):
        march = selectors.brand_counts(project=sample["project"], on=dt.date(2026, 3, 31))
        july = selectors.brand_counts(project=sample["project"], on=dt.date(2026, 7, 1))
    assert march == {"ambassadors": 1, "people": 1, "organisations": 0, "licensees": 1}
    assert july == {"ambassadors": 2, "people": 1, "organisations": 1, "licensees": 2}


def test_counts_are_recorded_as_values_of_catalogue_indicators(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project = sample["project"]
    platform = BrandPlatformFactory(workspace=personas.workspace, project=project)
    for _ in range(3):
        AmbassadorFactory(workspace=personas.workspace, platform=platform)
    BrandLicenseeFactory(workspace=personas.workspace, platform=platform)
    client = client_for(personas.user(Role.EDITOR))
    record = url("brand_indicators_record", personas, project.uuid)
    # No brand indicator yet: the page says what to add.
    response = client.post(record, follow=True)
    assert "no indicator for the brand yet" in response.content.decode()
    with scopes_disabled():
        ambassadors = IndicatorFactory(
            workspace=personas.workspace, project=project, unit="people", unit_kind="count",
            catalogue=CatalogueIndicator.objects.get(code="kpi.brand.ambassadors"),
        )  # fmt: skip
        users = IndicatorFactory(
            workspace=personas.workspace, project=project, unit="partners", unit_kind="count",
            catalogue=CatalogueIndicator.objects.get(code="kpi.brand.mark_users"),
        )  # fmt: skip
    assert client.post(record).status_code == 302
    with scopes_disabled():
        assert [m.value for m in Measurement.objects.filter(indicator=ambassadors)] == [Decimal(3)]
        assert [m.value for m in Measurement.objects.filter(indicator=users)] == [Decimal(1)]
        # Unrelated indicators are left alone.
        assert not Measurement.objects.filter(indicator=sample["indicator"]).exists()
    assert client_for(personas.user(Role.VIEWER)).post(record).status_code == 403


def test_partners_see_the_brand_of_shared_projects_only(
    personas: Any, sample: Any, client_for: Any
) -> None:
    ambassador = AmbassadorFactory(
        workspace=personas.workspace, platform__project=sample["project"]
    )
    client = client_for(personas.user(Role.PARTNER))
    assert client.get(url("brand", personas, sample["project"].uuid)).status_code == 404
    sample["organisation"].members.add(personas.memberships[Role.PARTNER])
    sample["organisation"].shared_projects.add(sample["project"])
    assert client.get(url("ambassador_list", personas, sample["project"].uuid)).status_code == 200
    assert client.get(url("ambassador_edit", personas, ambassador.uuid)).status_code == 403


@pytest.mark.parametrize("page", ["brand", "ambassador_list"])
def test_brand_pages_cost_the_same_queries_at_1_and_many_rows(
    page: str, personas: Any, sample: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    platform = BrandPlatformFactory(workspace=personas.workspace, project=sample["project"])
    AmbassadorFactory(workspace=personas.workspace, platform=platform)
    BrandLicenseeFactory(workspace=personas.workspace, platform=platform)

    def add_rows() -> None:
        for _ in range(15):
            AmbassadorFactory(workspace=personas.workspace, platform=platform)
            BrandLicenseeFactory(workspace=personas.workspace, platform=platform)

    client = client_for(personas.user(Role.EDITOR))
    assert_constant_queries(
        client, url(page, personas, sample["project"].uuid), add_rows, django_assert_num_queries
    )
