"""The benchmark harness (``make bench``) on a tiny dataset: what it measures, never how fast."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import URLPattern, URLResolver, get_resolver

from bench import snapshots
from bench.database import bench_database_settings
from bench.dataset import Dataset, build_dataset
from bench.endpoints import BenchError, Target, endpoints
from bench.harness import probe_pages, run_benchmark
from bench.report import table
from bench.sizes import PROBE_ROWS, SIZES, THROTTLE_RATES
from core import restapi
from core.tenancy import scopes_disabled
from evaluation.models import Indicator, Measurement
from mix import selectors as mix_selectors
from mix.api.views import ActionViewSet
from mix.models import Action
from territories import selectors
from territories.models import MICRO_KINDS, Cycle, Territory
from tracer.models import Objective, TracerStage

SEED = 7
PLAN = "/w/<slug>/projects/<project>/plan/"
API_ACTIONS = "/api/v1/w/<slug>/actions/?page_size=100"
PLAN_PAGES = [
    PLAN,
    PLAN + "table/ [HX-Request]",
    PLAN + "matrix/",
    PLAN + "timeline/",
    PLAN + "changes/ [204]",
]


@pytest.fixture(autouse=True)
def no_throttling_in_the_way(settings: Any) -> None:
    """As bench.settings: the benchmark makes hundreds of requests a minute."""
    settings.API_THROTTLE_RATES = THROTTLE_RATES


def reference_routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from reference_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/reference/"):
            yield "/" + route


@pytest.mark.django_db
def test_every_endpoint_is_measured_with_equal_query_counts_at_1_and_200_rows() -> None:
    result = run_benchmark(SIZES["XS"], SEED)

    labels = [e.label for e in result.endpoints]
    assert labels[:3] == ["/w/<slug>/", "/w/<slug>/territories/", "/w/<slug>/projects/"]
    assert labels[3:8] == PLAN_PAGES
    assert set(labels[8:-1]) == set(reference_routes())
    assert labels[-1] == API_ACTIONS
    assert len(labels) == len(set(labels))
    for e in result.endpoints:
        assert set(e.queries) == set(PROBE_ROWS), e.label
        assert e.queries[1] == e.queries[200], f"N+1 on {e.label}: {e.queries}"
        assert e.queries[1] >= 1, e.label
        assert e.rows >= (0 if e.status == 204 else 1), e.label
        assert 1 <= e.runs <= SIZES["XS"].repeat, e.label
        assert e.median_ms > 0 and e.baseline_ms > 0 and e.ratio > 0, e.label
    # The probes really had 1 and 200 rows (lists show their first page of 20, the plan's
    # table its first 50 actions, the matrix its 6 x 12 cells whatever the plan).
    by_label = {e.label: e for e in result.endpoints}
    # The territory list pages by top-level territory: 20 trees, each with its micro-territories.
    territories = by_label["/w/<slug>/territories/"].probe_rows
    assert territories[1] == 1 and territories[200] >= 20
    assert by_label["/api/v1/reference/method-steps/"].probe_rows == {1: 1, 200: 200}
    assert by_label[PLAN].probe_rows == {1: 1, 200: 200}
    assert by_label[PLAN + "table/ [HX-Request]"].probe_rows == {1: 1, 200: 50}
    assert by_label[PLAN + "matrix/"].probe_rows == {1: 72, 200: 72}
    assert by_label[PLAN + "changes/ [204]"].probe_rows == {1: 0, 200: 0}
    assert by_label[API_ACTIONS].probe_rows == {1: 1, 200: 100}  # capped at 100 a page
    assert by_label[PLAN].rows == SIZES["XS"].plan_actions
    assert result.ok
    assert result.dataset["workspaces"] == SIZES["XS"].workspaces
    # The table partial against the full page, one inline save, and the targets.
    assert 0 < result.table_bytes["partial_bytes"] < result.table_bytes["full_page_bytes"]
    assert result.inline_save["queries"] >= 1 and result.inline_save["median_ms"] > 0
    assert [t["max"] for t in result.targets] == [5.0, 0.3, 0.5, 1000.0, 2.5]
    assert all(isinstance(t["met"], bool) for t in result.targets)
    # The dashboard snapshot at each measurement level of the timed project, against its
    # Python reference (checked equal before timing): its queries do not grow with the data.
    levels = SIZES["XS"].measurement_levels
    assert [s["measurements"] for s in result.snapshots] == list(levels)
    indicators = [s["indicators"] for s in result.snapshots]
    assert indicators == sorted(indicators) and indicators[0] >= 1
    assert len({s["queries"] for s in result.snapshots}) == 1, result.snapshots
    for s in result.snapshots:
        assert s["median_ms"] > 0 and s["reference_ms"] > 0 and s["ratio"] > 0, s
        assert 1 <= s["runs"] <= SIZES["XS"].repeat and s["queries"] >= 1, s
        assert s["peak_kib"] > 0 and s["reference_peak_kib"] > 0, s
    page = result.dashboard_page
    assert page.get("queries", 0) >= 1 or page["skipped"].startswith("no URL"), page

    report = json.loads(json.dumps(result.as_json()))  # what bench/results/*.json holds
    assert [e["endpoint"] for e in report["endpoints"]] == labels
    assert all(e["n_plus_one_free"] for e in report["endpoints"]) and report["ok"]
    text = table(report)
    assert all(label in text for label in labels)
    assert "No N+1" in text
    assert "Inline save" in text and "Table partial" in text and text.count("Target ") == 5
    assert "Dashboard snapshot" in text and "Dashboard page" in text
    assert f"{levels[-1]:,}" in text
    check_api_actions_list(report)


def check_api_actions_list(report: dict[str, Any]) -> None:
    """The API's actions list, timed against one SQL query + json.dumps: reported in the JSON, a
    line of its own and a target (whether the target is met depends on the machine)."""
    api = report["api_list"]
    timed = next(e for e in report["endpoints"] if e["endpoint"] == API_ACTIONS)
    # Requested with a personal token; the same rows and JSON as its baseline (checked before
    # timing: the harness stops on any difference), every action of the workspace fits a page.
    assert api["auth"].startswith("Bearer")
    assert api["path"] == f"/api/v1/w/{report['measured_workspace']['slug']}/actions/?page_size=100"
    assert 1 <= api["rows"] == api["total_rows"] <= 100
    assert api["rows"] == timed["rows"] and api["ratio"] == timed["ratio"] > 0
    assert api["median_ms"] > 0 and api["baseline_ms"] > 0 and api["runs"] >= 1
    assert api["bytes"] == api["baseline_bytes"] > 0  # json.dumps writes what DRF renders
    # Its queries: a handful, the same in the timed workspace and at 1 and 200 actions.
    assert 1 <= api["queries"] == timed["queries"]["1"] == timed["queries"]["200"] <= 10
    target = next(t for t in report["targets"] if t["what"].startswith("API actions list"))
    assert target == {
        "what": "API actions list time / raw SQL + JSON baseline",
        "value": api["ratio"],
        "max": 2.5,
        "met": api["ratio"] <= 2.5,
    }

    line = next(ln for ln in table(report).splitlines() if ln.startswith("API actions list ("))
    match = re.search(r"\((\d+\.\d+)x\), (\d+) queries per page, ([\d,]+) bytes\.$", line)
    assert match, line
    assert float(match.group(1)) == pytest.approx(api["ratio"], abs=0.01)
    assert int(match.group(2)) == api["queries"]
    assert int(match.group(3).replace(",", "")) == api["bytes"]
    assert re.search(
        r"^Target API actions list time / raw SQL \+ JSON baseline <= 2\.5: [\d.]+ -> "
        r"(met|MISSED)$",
        table(report),
        re.M,
    )


@pytest.mark.django_db
def test_an_n_plus_one_shows_up_as_unequal_query_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    real = selectors._with_project_count
    real_details = mix_selectors.with_details

    def without_parent_join(qs: QuerySet[Territory]) -> QuerySet[Territory]:
        return real(qs).select_related(None)  # each row's parent becomes one more query

    def without_joins(qs: QuerySet[Action], **kwargs: Any) -> QuerySet[Action]:
        # each action's stage, family, partner... becomes one more query
        return real_details(qs, **kwargs).select_related(None)

    real_visible = ActionViewSet.visible

    def without_prefetch(view: ActionViewSet) -> QuerySet[Action]:
        return real_visible(view).prefetch_related(None)  # each action's audiences: one query

    monkeypatch.setattr(selectors, "_with_project_count", without_parent_join)
    monkeypatch.setattr(mix_selectors, "with_details", without_joins)
    # The API's list read as instances (not as rows, which need no prefetch), without prefetch.
    monkeypatch.setattr(restapi, "row_plan", lambda serializer, queryset: None)
    monkeypatch.setattr(ActionViewSet, "visible", without_prefetch)
    pages = [e for e in endpoints() if e.in_workspace]
    probes = probe_pages(pages, SEED)
    for label in ("/w/<slug>/territories/", PLAN, PLAN + "table/ [HX-Request]", API_ACTIONS):
        assert probes[label][200][0] > probes[label][1][0], label
    for label in ("/w/<slug>/projects/", PLAN + "matrix/", PLAN + "changes/ [204]"):
        assert probes[label][1][0] == probes[label][200][0], label


def snapshot(ds: Dataset) -> list[Any]:
    actions = {a.pk: n for n, a in enumerate(ds.actions)}
    partners = {p.pk: p.name for p in ds.partners}
    with scopes_disabled():
        return [
            [(w.slug, w.name) for w in ds.workspaces.values()],
            [u.email for u in ds.users],
            [(m.workspace.slug, m.user.email, m.role) for m in ds.memberships],
            [(t.name, t.kind, t.parent.name if t.parent else None) for t in ds.territories],
            [(p.name, p.territory.name, p.status, p.start_date, p.updated_at) for p in ds.projects],
            [(c.project.name, c.number, c.status) for c in ds.cycles],
            [(p.workspace.slug, p.name) for p in ds.partners],
            [(o.project.name, o.title, o.stage.code, o.priority) for o in ds.objectives],
            [
                (
                    a.objective.title,
                    a.title,
                    a.family.code,
                    a.status,
                    a.start_date,
                    a.end_date,
                    a.budget_planned,
                    a.lead_partner.name if a.lead_partner else None,
                )
                for a in ds.actions
            ],
            # By position and name, not by primary key: PostgreSQL's sequences do not rewind.
            [(actions[r.action_id], partners[r.partnerorganisation_id]) for r in ds.contributions],
            [(actions[r.action_id], r.audience_id) for r in ds.action_audiences],
            [
                (
                    i.project.name,
                    i.name,
                    i.stage.code,
                    i.direction,
                    i.baseline_value,
                    i.target_value,
                )
                for i in ds.indicators
            ],
            ds.measurement_counts,
            list(
                Measurement.objects.order_by("indicator__uuid", "period").values_list(
                    "indicator__uuid", "period", "value"
                )
            ),
        ]


@pytest.mark.django_db
def test_the_dataset_is_seeded_and_has_the_planned_shape() -> None:
    snapshots = []
    for seed in (SEED, SEED, SEED + 1):
        with transaction.atomic():
            ds = build_dataset(SIZES["XS"], seed)
            snapshots.append(snapshot(ds))
            counts = ds.counts()
            with scopes_disabled():
                assert counts["territories"] == sum(p.shape.territories for p in ds.plans)
                assert counts["projects"] == sum(p.shape.projects for p in ds.plans)
                assert Territory.objects.count() == counts["territories"]
                # Every project has its cycle 1; micro-territories sit inside another one.
                assert set(Cycle.objects.filter(number=1).values_list("project", flat=True)) == {
                    p.pk for p in ds.projects
                }
                assert Territory.objects.filter(kind__in=MICRO_KINDS, parent__isnull=False).exists()
                assert not Territory.objects.exclude(kind__in=MICRO_KINDS).exclude(parent=None)
                assert all(ds.owners[p.slug] for p in ds.plans)
                # The timed plan: its actions over objectives at every TRACER stage; every
                # action in its objective's project and workspace.
                timed = ds.plan_projects[ds.plans[0].slug]
                assert Action.objects.filter(project=timed).count() == SIZES["XS"].plan_actions
                stages = Objective.objects.filter(project=timed).values("stage").distinct()
                assert stages.count() == TracerStage.objects.count()
                assert not Action.objects.exclude(project=F("objective__project"))
                assert not Action.objects.exclude(workspace=F("objective__workspace"))
                assert Action.objects.values("status").distinct().count() > 1
                assert Action.objects.filter(lead_partner__isnull=False).exists()
                assert counts["actions"] == Action.objects.count() > SIZES["XS"].plan_actions
                # The timed plan's measurements, level by level; a few elsewhere.
                levels = SIZES["XS"].measurement_levels
                by_level = ds.level_indicators[ds.plans[0].slug]
                assert len(by_level) == len(levels)
                for i, level in enumerate(levels):
                    upto = [pk for pks in by_level[: i + 1] for pk in pks]
                    assert Measurement.objects.filter(indicator__in=upto).count() == level
                assert Measurement.objects.filter(indicator__project=timed).count() == levels[-1]
                assert counts["measurements"] == Measurement.objects.count() > levels[-1]
                assert counts["indicators"] == Indicator.objects.count()
                assert Indicator.objects.exclude(project=timed).filter(measurements__isnull=False)
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0] != snapshots[2]


@pytest.mark.django_db
def test_a_snapshot_that_differs_from_its_python_reference_stops_the_benchmark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ds = build_dataset(SIZES["XS"], SEED)
    real = snapshots.compute_project

    def one_more_done(project: Any, **kwargs: Any) -> dict[str, Any]:
        data = real(project, **kwargs)
        data["schedule"]["done"] += 1
        return data

    monkeypatch.setattr(snapshots, "compute_project", one_more_done)
    slug = ds.plans[0].slug
    target = Target(ds.workspaces[slug], ds.plan_projects[slug])
    with pytest.raises(BenchError, match=r"schedule\.done"):
        snapshots.measure_levels(
            ds, target, SIZES["XS"], warmup=0, repeat=1, progress=lambda message: None
        )


def test_the_benchmark_never_uses_the_developers_database(tmp_path: Path) -> None:
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/work/db.sqlite3", "OPTIONS": {}}
    throwaway = str(tmp_path / "bench.sqlite3")
    assert bench_database_settings(sqlite, throwaway)["NAME"] == throwaway
    with pytest.raises(ImproperlyConfigured):
        bench_database_settings(sqlite, None)
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "territoria", "HOST": "db"}
    assert bench_database_settings(postgres, None) == {**postgres, "NAME": "territoria_bench"}
    with pytest.raises(ImproperlyConfigured):
        bench_database_settings({"ENGINE": "django.db.backends.mysql", "NAME": "t"}, None)
