"""The benchmark harness (``make bench``) on a tiny dataset: what it measures, never how fast."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, get_resolver

from bench.database import bench_database_settings
from bench.dataset import Dataset, build_dataset
from bench.endpoints import endpoints
from bench.harness import probe_pages, run_benchmark
from bench.report import table
from bench.sizes import PROBE_ROWS, SIZES
from core.tenancy import scopes_disabled
from territories import selectors
from territories.models import MICRO_KINDS, Cycle, Territory

SEED = 7


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
    assert set(labels[3:]) == set(reference_routes())
    assert len(labels) == len(set(labels))
    for e in result.endpoints:
        assert set(e.queries) == set(PROBE_ROWS), e.label
        assert e.queries[1] == e.queries[200], f"N+1 on {e.label}: {e.queries}"
        assert e.queries[1] >= 1, e.label
        assert e.rows >= 1, e.label
        assert e.median_ms > 0 and e.baseline_ms > 0 and e.ratio > 0, e.label
    # The probes really had 1 and 200 rows (lists show their first page of 20).
    by_label = {e.label: e for e in result.endpoints}
    assert by_label["/w/<slug>/territories/"].probe_rows == {1: 1, 200: 20}
    assert by_label["/api/v1/reference/method-steps/"].probe_rows == {1: 1, 200: 200}
    assert result.ok
    assert result.dataset["workspaces"] == SIZES["XS"].workspaces

    report = json.loads(json.dumps(result.as_json()))  # what bench/results/*.json holds
    assert [e["endpoint"] for e in report["endpoints"]] == labels
    assert all(e["n_plus_one_free"] for e in report["endpoints"]) and report["ok"]
    text = table(report)
    assert all(label in text for label in labels)
    assert "No N+1" in text


@pytest.mark.django_db
def test_an_n_plus_one_shows_up_as_unequal_query_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    real = selectors.territory_list

    def without_parent_join(**kwargs: Any) -> QuerySet[Territory]:
        return real(**kwargs).select_related(None)  # each row's parent becomes one more query

    monkeypatch.setattr(selectors, "territory_list", without_parent_join)
    pages = [e for e in endpoints() if e.in_workspace]
    probes = probe_pages(pages, SEED)
    territories = probes["/w/<slug>/territories/"]
    assert territories[200][0] > territories[1][0]
    assert probes["/w/<slug>/projects/"][1][0] == probes["/w/<slug>/projects/"][200][0]


def snapshot(ds: Dataset) -> list[Any]:
    with scopes_disabled():
        return [
            [(w.slug, w.name) for w in ds.workspaces.values()],
            [u.email for u in ds.users],
            [(m.workspace.slug, m.user.email, m.role) for m in ds.memberships],
            [(t.name, t.kind, t.parent.name if t.parent else None) for t in ds.territories],
            [(p.name, p.territory.name, p.status, p.start_date, p.updated_at) for p in ds.projects],
            [(c.project.name, c.number, c.status) for c in ds.cycles],
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
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0] != snapshots[2]


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
