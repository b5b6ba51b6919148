"""The benchmark's dataset: a seeded generator with one function per kind of object.

Each kind is a function ``make_<kind>(dataset, rng)`` that bulk-creates its rows from the
workspace plans and the rows made before it, and stores them on the :class:`Dataset`. ``KINDS``
runs them in order; later issues append their kinds (measurements...) to it and a field
to :class:`Dataset`. Every kind draws from its own ``random.Random``, seeded with the seed, the
dataset's label and the kind's name, so adding a kind never changes the rows of the others.

Rows are written through ``unscoped_objects``: the generator fills many workspaces at once,
outside any request, and sets each row's workspace itself.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction

from bench.sizes import Size
from bench.words import (
    ACTION_THINGS,
    ACTION_VERBS,
    FACILITIES,
    FIRST_NAMES,
    INDICATORS,
    LAST_NAMES,
    OBJECTIVES,
    PARTNERS,
    PLACES,
    SEGMENTS,
    SENTENCES,
    STREETS,
    TARGETS,
    THEMES,
)
from core.models import Membership, User, Workspace
from core.roles import Role
from evaluation.models import Direction, Frequency, Indicator, IndicatorLevel, Measurement
from governance.models import PartnerOrganisation
from mix.models import Action, ActionStatus, MixFamily
from territories.models import (
    MICRO_KINDS,
    Audience,
    Cycle,
    CycleStatus,
    Project,
    ProjectStatus,
    Territory,
    TerritoryKind,
)
from tracer.models import Objective, Priority, TracerStage

# A fixed "now": the same seed gives the same rows whatever the day.
ANCHOR = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
BATCH = 500
MEASUREMENT_BATCH = 5_000  # measurements made and written at a time (a million are not kept)
MAX_PERIODS = 5_000  # measurements of one indicator of the timed project: daily, ~14 years
MIN_LEVEL_INDICATORS = 10  # indicators each measurement level adds to the timed project
# Plausible values by kind of unit, in cents of the unit.
VALUE_CENTS = {"percent": (0, 10_000), "score_10": (0, 1_000), "rank": (100, 50_000)}

STRATEGIC_KINDS = [
    TerritoryKind.REGION,
    TerritoryKind.DEPARTMENT,
    TerritoryKind.INTERCOMMUNALITY,
    TerritoryKind.CITY,
]
STRATEGIC_WEIGHTS = [1, 2, 4, 6]
MICRO = sorted(MICRO_KINDS)
STRATEGIC_NAMES = {
    TerritoryKind.REGION: "Région {place}",
    TerritoryKind.DEPARTMENT: "Département {place}",
    TerritoryKind.INTERCOMMUNALITY: "Communauté de communes {place}",
    TerritoryKind.CITY: "{place}",
}
MICRO_NAMES = {
    TerritoryKind.TOWN_CENTRE: "Centre-ville de {place}",
    TerritoryKind.VILLAGE: "Bourg de {place}",
    TerritoryKind.SHOPPING_STREET: "Rue {street} ({place})",
    TerritoryKind.NEIGHBOURHOOD: "Quartier {street} ({place})",
    TerritoryKind.BUSINESS_PARK: "Parc d'activités de {place}",
    TerritoryKind.CAMPUS: "Campus de {place}",
    TerritoryKind.MAJOR_FACILITY: "{facility} de {place}",
}
MEMBER_ROLES = [Role.ADMIN, Role.EDITOR, Role.EDITOR, Role.VIEWER]
STATUSES = [
    ProjectStatus.PREPARING,
    ProjectStatus.ACTIVE,
    ProjectStatus.ON_HOLD,
    ProjectStatus.COMPLETED,
]
STATUS_WEIGHTS = [2, 6, 1, 1]
ACTION_STATUSES = list(ActionStatus)
ACTION_STATUS_WEIGHTS = [2, 4, 3, 2, 1]  # idea, planned, in progress, done, dropped
PRIORITIES = list(Priority)
PLAN_START = dt.date(2025, 1, 1)  # actions start within three years of it


@dataclass(frozen=True)
class Shape:
    """What one workspace of the dataset holds."""

    territories: int
    projects: int
    members: int = 3
    micro_share: float = 0.4  # share of the territories that are micro-territories
    orphan_micro_share: float = 0.15  # micro-territories without a parent territory
    archived_share: float = 0.0  # archived projects, and archived micro-territories
    second_cycle_share: float = 0.25  # projects whose cycle 1 is closed and cycle 2 open
    partners: int = 0  # partner organisations
    plan_objectives: int = 0  # objectives of the timed plan (the first active project)
    plan_actions: int = 0  # actions of the timed plan
    actions_per_project: tuple[int, int] = (0, 0)  # actions of every other project (a range)
    # The timed plan's measurements, level by level (see bench.sizes.Size).
    measurement_levels: tuple[int, ...] = ()
    indicators_per_project: tuple[int, int] = (0, 0)  # every other project's (a range)
    measurements_per_indicator: tuple[int, int] = (0, 0)  # of those indicators (a range)


@dataclass(frozen=True)
class WorkspacePlan:
    slug: str
    name: str
    shape: Shape


@dataclass
class Dataset:
    """The rows made by one :func:`generate` call, by kind."""

    label: str  # part of every seed and e-mail address: datasets in one database never collide
    seed: int
    plans: list[WorkspacePlan]
    workspaces: dict[str, Workspace] = field(default_factory=dict)  # by slug
    users: list[User] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    owners: dict[str, User] = field(default_factory=dict)  # by workspace slug
    territories: list[Territory] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)
    partners: list[PartnerOrganisation] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    contributions: list[Any] = field(default_factory=list)  # Action.contributors rows
    action_audiences: list[Any] = field(default_factory=list)  # Action.audiences rows
    indicators: list[Indicator] = field(default_factory=list)
    measurement_counts: list[int] = field(default_factory=list)  # per indicator, in order
    measurements: int = 0  # how many were written: a million model instances are not kept
    # The timed plan's indicators (pks), level by level of measurements, by workspace slug.
    level_indicators: dict[str, list[list[int]]] = field(default_factory=dict)
    # The project whose plan is timed, by workspace slug: the workspace's first active project.
    plan_projects: dict[str, Project] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        rows = {name: getattr(self, name) for name, _make in KINDS}
        return {name: n if isinstance(n, int) else len(n) for name, n in rows.items()}


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} {n}", n + 1
    taken.add(candidate)
    return candidate


def _by_workspace(rows: list[_Owned]) -> dict[int, list[_Owned]]:
    grouped: dict[int, list[_Owned]] = defaultdict(list)
    for row in rows:
        grouped[row.workspace_id].append(row)
    return grouped


_Owned = TypeVar("_Owned", Territory, Membership, PartnerOrganisation)


# --- One function per kind -------------------------------------------------------------------


def make_workspaces(ds: Dataset, rng: random.Random) -> None:
    rows = [Workspace(uuid=_uuid(rng), name=plan.name, slug=plan.slug) for plan in ds.plans]
    ds.workspaces = {w.slug: w for w in Workspace.objects.bulk_create(rows, batch_size=BATCH)}


def make_users(ds: Dataset, rng: random.Random) -> None:
    """A pool of people; some of them belong to several workspaces (consultants do)."""
    wanted = sum(plan.shape.members for plan in ds.plans)
    pool = max(round(wanted * 0.75), max(plan.shape.members for plan in ds.plans))
    rows = [
        User(
            uuid=_uuid(rng),
            email=f"{ds.label}-{i:04d}@bench.territoria.example",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password=UNUSABLE_PASSWORD_PREFIX,  # nobody logs in with a password here
        )
        for i in range(pool)
    ]
    ds.users = User.objects.bulk_create(rows, batch_size=BATCH)


def make_memberships(ds: Dataset, rng: random.Random) -> None:
    """An owner and ``members - 1`` other people per workspace."""
    rows = []
    for plan in ds.plans:
        workspace = ds.workspaces[plan.slug]
        people = rng.sample(ds.users, plan.shape.members)
        ds.owners[plan.slug] = people[0]
        rows.append(
            Membership(uuid=_uuid(rng), workspace=workspace, user=people[0], role=Role.OWNER)
        )
        rows += [
            Membership(
                uuid=_uuid(rng), workspace=workspace, user=user, role=rng.choice(MEMBER_ROLES)
            )
            for user in people[1:]
        ]
    ds.memberships = Membership.unscoped_objects.bulk_create(rows, batch_size=BATCH)


def make_territories(ds: Dataset, rng: random.Random) -> None:
    """Strategic territories first, then micro-territories, most of them inside one of those."""
    strategic: list[Territory] = []
    micro_specs = []
    taken: dict[str, set[str]] = defaultdict(set)
    place_of: dict[uuid.UUID, str] = {}  # a micro-territory is named after its parent's place
    for plan in ds.plans:
        shape, workspace, owner = plan.shape, ds.workspaces[plan.slug], ds.owners[plan.slug]
        n_strategic = max(1, shape.territories - round(shape.territories * shape.micro_share))
        for _ in range(n_strategic):
            kind = rng.choices(STRATEGIC_KINDS, STRATEGIC_WEIGHTS)[0]
            place = rng.choice(PLACES)
            territory = Territory(
                uuid=_uuid(rng),
                workspace=workspace,
                name=_unique(STRATEGIC_NAMES[kind].format(place=place), taken[plan.slug]),
                kind=kind,
                description=" ".join(rng.sample(SENTENCES, rng.randint(0, 2))),
                created_by=owner,
            )
            strategic.append(territory)
            place_of[territory.uuid] = place
        micro_specs += [plan] * (shape.territories - n_strategic)
    strategic = Territory.unscoped_objects.bulk_create(strategic, batch_size=BATCH)
    parents = _by_workspace(strategic)
    micro = []
    for plan in micro_specs:
        shape, workspace = plan.shape, ds.workspaces[plan.slug]
        kind = rng.choice(MICRO)
        parent = None
        if rng.random() >= shape.orphan_micro_share:
            parent = rng.choice(parents[workspace.pk])
        place = place_of[parent.uuid] if parent else rng.choice(PLACES)
        name = MICRO_NAMES[kind].format(
            place=place, street=rng.choice(STREETS), facility=rng.choice(FACILITIES)
        )
        archived = rng.random() < shape.archived_share
        micro.append(
            Territory(
                uuid=_uuid(rng),
                workspace=workspace,
                name=_unique(name, taken[plan.slug]),
                kind=kind,
                parent=parent,
                description=" ".join(rng.sample(SENTENCES, rng.randint(0, 2))),
                archived_at=ANCHOR - dt.timedelta(days=rng.randint(1, 300)) if archived else None,
                created_by=ds.owners[plan.slug],
            )
        )
    ds.territories = strategic + Territory.unscoped_objects.bulk_create(micro, batch_size=BATCH)


def make_projects(ds: Dataset, rng: random.Random) -> None:
    """Projects on active territories, last updated at spread-out moments."""
    active = _by_workspace([t for t in ds.territories if t.archived_at is None])
    rows = []
    for plan in ds.plans:
        workspace = ds.workspaces[plan.slug]
        for _ in range(plan.shape.projects):
            territory = rng.choice(active[workspace.pk])
            start = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1640))
            archived = rng.random() < plan.shape.archived_share
            rows.append(
                Project(
                    uuid=_uuid(rng),
                    workspace=workspace,
                    territory=territory,
                    name=f"{rng.choice(THEMES)} {territory.name} {start.year}",
                    ambition=" ".join(rng.sample(SENTENCES, rng.randint(1, 3))),
                    status=rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                    start_date=start,
                    archived_at=ANCHOR - dt.timedelta(days=rng.randint(1, 300))
                    if archived
                    else None,
                    created_by=ds.owners[plan.slug],
                )
            )
    projects = Project.unscoped_objects.bulk_create(rows, batch_size=BATCH)
    # auto_now stamps every row with the same moment; bulk_update writes the value as given.
    for project in projects:
        project.updated_at = ANCHOR - dt.timedelta(
            seconds=rng.randint(0, 730 * 86400), microseconds=rng.randint(0, 999_999)
        )
    Project.unscoped_objects.bulk_update(projects, ["updated_at"], batch_size=BATCH)
    ds.projects = projects


def make_cycles(ds: Dataset, rng: random.Random) -> None:
    """Every project has cycle 1; some have closed it and opened cycle 2."""
    shapes = {ds.workspaces[plan.slug].pk: plan.shape for plan in ds.plans}
    rows = []
    for project in ds.projects:
        common = {"workspace_id": project.workspace_id, "project": project}
        if rng.random() < shapes[project.workspace_id].second_cycle_share:
            closed = project.start_date + dt.timedelta(days=rng.randint(300, 540))
            rows.append(
                Cycle(
                    uuid=_uuid(rng),
                    number=1,
                    status=CycleStatus.CLOSED,
                    started_on=project.start_date,
                    closed_on=closed,
                    **common,
                )
            )
            rows.append(Cycle(uuid=_uuid(rng), number=2, started_on=closed, **common))
        else:
            rows.append(Cycle(uuid=_uuid(rng), number=1, started_on=project.start_date, **common))
    ds.cycles = Cycle.unscoped_objects.bulk_create(rows, batch_size=BATCH)


def make_partners(ds: Dataset, rng: random.Random) -> None:
    """The partner organisations of each workspace: tourism office, chamber of commerce..."""
    rows = []
    for plan in ds.plans:
        taken: set[str] = set()
        for _ in range(plan.shape.partners):
            name = rng.choice(PARTNERS).format(place=rng.choice(PLACES))
            rows.append(
                PartnerOrganisation(
                    uuid=_uuid(rng), workspace=ds.workspaces[plan.slug], name=_unique(name, taken)
                )
            )
    ds.partners = PartnerOrganisation.unscoped_objects.bulk_create(rows, batch_size=BATCH)


def _current_cycles(cycles: list[Cycle]) -> dict[int, Cycle]:
    """Each project's open cycle (the one with the highest number)."""
    current: dict[int, Cycle] = {}
    for cycle in cycles:
        best = current.get(cycle.project_id)
        if best is None or cycle.number > best.number:
            current[cycle.project_id] = cycle
    return current


def make_objectives(ds: Dataset, rng: random.Random) -> None:
    """The timed plan's objectives over the six TRACER stages; one or two in other projects.

    The timed plan of a workspace is its first active project; other projects get objectives
    only when the workspace plans actions for them.
    """
    shapes = {ds.workspaces[plan.slug].pk: plan.shape for plan in ds.plans}
    slugs = {ds.workspaces[plan.slug].pk: plan.slug for plan in ds.plans}
    stages = list(TracerStage.objects.order_by("position"))
    owners = _by_workspace(ds.memberships)
    cycles = _current_cycles(ds.cycles)
    for project in ds.projects:
        slug = slugs[project.workspace_id]
        if slug not in ds.plan_projects and project.archived_at is None:
            ds.plan_projects[slug] = project
    timed = {project.pk for project in ds.plan_projects.values()}
    rows = []
    for project in ds.projects:
        shape = shapes[project.workspace_id]
        if project.pk in timed and shape.plan_objectives:
            count = shape.plan_objectives
        elif shape.actions_per_project[1]:
            count = rng.randint(1, 2)
        else:
            continue
        for i in range(count):
            rows.append(
                Objective(
                    uuid=_uuid(rng),
                    workspace_id=project.workspace_id,
                    project=project,
                    cycle=cycles[project.pk],
                    stage=stages[i % len(stages)] if count > 2 else rng.choice(stages),
                    title=rng.choice(OBJECTIVES).format(
                        place=rng.choice(PLACES), target=rng.choice(TARGETS)
                    ),
                    description=" ".join(rng.sample(SENTENCES, rng.randint(0, 2))),
                    priority=rng.choice(PRIORITIES),
                    segment=rng.choice(SEGMENTS) if rng.random() < 0.3 else "",
                    owner=rng.choice(owners[project.workspace_id]),
                    created_by=ds.owners[slugs[project.workspace_id]],
                )
            )
    ds.objectives = Objective.unscoped_objects.bulk_create(rows, batch_size=BATCH)


def make_actions(ds: Dataset, rng: random.Random) -> None:
    """Actions over the objectives: every mix family, status, dates, budgets, lead partners.

    Each action's ``project`` is its objective's project. Budgets are whole euros, so the
    pages' rounded sums equal the baselines'.
    """
    shapes = {ds.workspaces[plan.slug].pk: plan.shape for plan in ds.plans}
    slugs = {ds.workspaces[plan.slug].pk: plan.slug for plan in ds.plans}
    timed = {project.pk for project in ds.plan_projects.values()}
    families = list(MixFamily.objects.order_by("position"))
    partners = _by_workspace(ds.partners)
    objectives: dict[int, list[Objective]] = defaultdict(list)
    for objective in ds.objectives:
        objectives[objective.project_id].append(objective)
    rows = []
    for project_id, served in objectives.items():
        shape = shapes[served[0].workspace_id]
        if project_id in timed and shape.plan_objectives:
            count = shape.plan_actions
        else:
            count = rng.randint(*shape.actions_per_project)
        leads = partners[served[0].workspace_id]
        for _ in range(count):
            objective = rng.choice(served)
            status = rng.choices(ACTION_STATUSES, ACTION_STATUS_WEIGHTS)[0]
            start = end = None
            if rng.random() < 0.85:
                start = PLAN_START + dt.timedelta(days=rng.randint(0, 3 * 365))
                if rng.random() < 0.7:
                    end = start + dt.timedelta(days=rng.randint(0, 365))
            planned = rng.randrange(0, 150_000, 50) if rng.random() < 0.9 else 0
            spent = 0
            if status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE) and planned:
                spent = rng.randrange(0, planned + 1, 10)
            rows.append(
                Action(
                    uuid=_uuid(rng),
                    workspace_id=objective.workspace_id,
                    project_id=objective.project_id,
                    objective=objective,
                    family=rng.choice(families),
                    title=f"{rng.choice(ACTION_VERBS)} {rng.choice(ACTION_THINGS)} "
                    f"({rng.choice(PLACES)})",
                    description=" ".join(rng.sample(SENTENCES, rng.randint(0, 2))),
                    priority=rng.choice(PRIORITIES),
                    status=status,
                    start_date=start,
                    end_date=end,
                    budget_planned=Decimal(planned),
                    budget_spent=Decimal(spent),
                    lead_partner=rng.choice(leads) if leads and rng.random() < 0.75 else None,
                    created_by=ds.owners[slugs[objective.workspace_id]],
                )
            )
    ds.actions = Action.unscoped_objects.bulk_create(rows, batch_size=BATCH)


def make_contributions(ds: Dataset, rng: random.Random) -> None:
    """A third of the actions have one or two contributing partners besides the lead."""
    partners = _by_workspace(ds.partners)
    through = Action.contributors.through
    rows = []
    for action in ds.actions:
        others = [p for p in partners[action.workspace_id] if p.pk != action.lead_partner_id]
        if others and rng.random() < 1 / 3:
            for partner in rng.sample(others, min(len(others), rng.randint(1, 2))):
                rows.append(through(action_id=action.pk, partnerorganisation_id=partner.pk))
    ds.contributions = through.objects.bulk_create(rows, batch_size=BATCH)


def make_action_audiences(ds: Dataset, rng: random.Random) -> None:
    """Half of the actions target one to three audiences."""
    audiences = list(Audience.objects.order_by("position"))
    through = Action.audiences.through
    rows = []
    for action in ds.actions:
        if rng.random() < 0.5:
            for audience in rng.sample(audiences, rng.randint(1, 3)):
                rows.append(through(action_id=action.pk, audience_id=audience.pk))
    ds.action_audiences = through.objects.bulk_create(rows, batch_size=BATCH)


def _indicator(rng: random.Random, project: Project, stages: list[TracerStage]) -> Indicator:
    name, unit, kind = rng.choice(INDICATORS)
    low, high = VALUE_CENTS.get(kind, (0, 10_000_000))
    baseline = Decimal(rng.randrange(low, high)).scaleb(-2) if rng.random() < 0.7 else None
    target = Decimal(rng.randrange(low, high)).scaleb(-2) if rng.random() < 0.8 else None
    start = ANCHOR.date() - dt.timedelta(days=rng.randint(200, 1500))
    return Indicator(
        uuid=_uuid(rng),
        workspace_id=project.workspace_id,
        project=project,
        name=f"{name} ({rng.choice(PLACES)})",
        unit=unit,
        unit_kind=kind,
        direction=rng.choices([Direction.HIGHER, Direction.LOWER], [4, 1])[0],
        level=rng.choice(IndicatorLevel.values),
        stage=rng.choice(stages),
        baseline_value=baseline,
        baseline_date=start if rng.random() < 0.8 else None,
        target_value=target,
        target_date=start + dt.timedelta(days=rng.randint(365, 2000)) if target else None,
        frequency=Frequency.MONTHLY,
    )


def make_indicators(ds: Dataset, rng: random.Random) -> None:
    """The timed plan's indicators, level by level: each level adds enough indicators to hold
    its measurements (at most MAX_PERIODS each); every other project gets a few."""
    shapes = {ds.workspaces[plan.slug].pk: plan.shape for plan in ds.plans}
    stages = list(TracerStage.objects.order_by("position"))
    timed = {project.pk: slug for slug, project in ds.plan_projects.items()}
    rows: list[Indicator] = []
    counts: list[int] = []
    levels: dict[str, list[tuple[int, int]]] = {}  # slug -> (first row, end row) per level
    for project in ds.projects:
        shape = shapes[project.workspace_id]
        if project.pk in timed and shape.measurement_levels:
            spans = levels[timed[project.pk]] = []
            below = 0
            for level in shape.measurement_levels:
                added = level - below
                number = max(MIN_LEVEL_INDICATORS, -(-added // MAX_PERIODS))
                each, extra = divmod(added, number)
                spans.append((len(rows), len(rows) + number))
                for i in range(number):
                    rows.append(_indicator(rng, project, stages))
                    counts.append(each + (i < extra))
                below = level
        else:
            for _ in range(rng.randint(*shape.indicators_per_project)):
                rows.append(_indicator(rng, project, stages))
                counts.append(rng.randint(*shape.measurements_per_indicator))
    ds.indicators = Indicator.unscoped_objects.bulk_create(rows, batch_size=BATCH)
    ds.measurement_counts = counts
    ds.level_indicators = {
        slug: [[row.pk for row in ds.indicators[first:end]] for first, end in spans]
        for slug, spans in levels.items()
    }


def make_measurements(ds: Dataset, rng: random.Random) -> None:
    """Each indicator's measurements up to a recent period: daily in the timed plan (its
    levels go up to a million rows), monthly elsewhere. Written MEASUREMENT_BATCH at a time."""
    timed = {pk for spans in ds.level_indicators.values() for span in spans for pk in span}
    end = ANCHOR.date()
    batch: list[Measurement] = []
    total = 0
    for indicator, count in zip(ds.indicators, ds.measurement_counts, strict=True):
        low, high = VALUE_CENTS.get(indicator.unit_kind, (0, 10_000_000))
        last = end - dt.timedelta(days=rng.randint(0, 60))
        daily = indicator.pk in timed
        first_of_month = last.replace(day=1)
        for k in range(count):
            if daily:
                period = last - dt.timedelta(days=k)
            else:
                months = first_of_month.year * 12 + first_of_month.month - 1 - k
                period = dt.date(months // 12, months % 12 + 1, 1)
            batch.append(
                Measurement(
                    uuid=_uuid(rng),
                    workspace_id=indicator.workspace_id,
                    indicator_id=indicator.pk,
                    period=period,
                    value=Decimal(rng.randrange(low, high)).scaleb(-2),
                )
            )
            if len(batch) == MEASUREMENT_BATCH:
                Measurement.unscoped_objects.bulk_create(batch, batch_size=MEASUREMENT_BATCH)
                total += len(batch)
                batch = []
    Measurement.unscoped_objects.bulk_create(batch, batch_size=MEASUREMENT_BATCH)
    ds.measurements = total + len(batch)


KINDS: list[tuple[str, Callable[[Dataset, random.Random], None]]] = [
    ("workspaces", make_workspaces),
    ("users", make_users),
    ("memberships", make_memberships),
    ("territories", make_territories),
    ("projects", make_projects),
    ("cycles", make_cycles),
    ("partners", make_partners),
    ("objectives", make_objectives),
    ("actions", make_actions),
    ("contributions", make_contributions),
    ("action_audiences", make_action_audiences),
    ("indicators", make_indicators),
    ("measurements", make_measurements),
]


# --- Whole datasets ---------------------------------------------------------------------------


def generate(ds: Dataset) -> Dataset:
    with transaction.atomic():
        for name, make in KINDS:
            make(ds, random.Random(f"{ds.seed}:{ds.label}:{name}"))
    return ds


def plan_workspaces(size: Size, seed: int) -> list[WorkspacePlan]:
    """One plan per workspace. The first takes the top of every range: its pages are timed."""
    rng = random.Random(f"{seed}:plans")
    # The plan's figures come from a generator of their own: the older figures stay the same.
    plan_rng = random.Random(f"{seed}:plans:plan")
    plans = []
    for i in range(size.workspaces):
        if i == 0:
            counts = (size.territories[1], size.projects[1], size.members[1])
            partners = size.partners[1]
            timed = {
                "plan_objectives": size.plan_objectives,
                "plan_actions": size.plan_actions,
                "measurement_levels": size.measurement_levels,
            }
        else:
            counts = (
                rng.randint(*size.territories),
                rng.randint(*size.projects),
                rng.randint(*size.members),
            )
            partners = plan_rng.randint(*size.partners)
            timed = {}
        shape = Shape(
            *counts,
            archived_share=0.1,
            partners=partners,
            actions_per_project=size.actions_per_project,
            indicators_per_project=size.indicators_per_project,
            measurements_per_indicator=size.measurements_per_indicator,
            **timed,
        )
        name = f"Attractivité {rng.choice(PLACES)} ({i + 1})"
        plans.append(WorkspacePlan(slug=f"bench-{i:02d}", name=name, shape=shape))
    return plans


def build_dataset(size: Size, seed: int) -> Dataset:
    return generate(Dataset(label="data", seed=seed, plans=plan_workspaces(size, seed)))


def build_probe(rows: int, seed: int) -> Dataset:
    """One workspace with exactly ``rows`` active territories, projects and planned actions.

    Half of its territories are micro-territories inside another one, so a list that forgets to
    join the parent (or the project's territory) shows up as extra queries. Its first project's
    plan has ``rows`` actions over up to 60 objectives, led by ``rows`` partners: a page that
    forgets to join an action's objective, stage, family or lead partner shows up the same way.
    """
    shape = Shape(
        territories=rows,
        projects=rows,
        members=2,
        micro_share=0.5,
        orphan_micro_share=0.0,
        partners=rows,
        plan_objectives=min(rows, 60),
        plan_actions=rows,
    )
    plan = WorkspacePlan(slug=f"probe-{rows}", name=f"Probe with {rows} rows", shape=shape)
    return generate(Dataset(label=f"probe-{rows}", seed=seed, plans=[plan]))
