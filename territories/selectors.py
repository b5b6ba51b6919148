"""Reads for territories, projects and cycles. Partners see only what is shared with them."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from core.models import Membership
from core.roles import Role
from territories.models import Audience, Cycle, CycleStatus, Project, Territory, TerritoryKind


def _is_partner(membership: Membership) -> bool:
    return membership.role == Role.PARTNER


def visible_projects(*, membership: Membership) -> QuerySet[Project]:
    """Every project for staff roles; only projects shared with their organisation for partners."""
    qs = Project.objects.filter(workspace_id=membership.workspace_id)
    if _is_partner(membership):
        # The sharing relation is declared by governance.PartnerOrganisation (a higher layer);
        # it is reached here by its related name only, so territories imports nothing above it.
        shared = Project.objects.filter(partner_organisations__members=membership).values("pk")
        qs = qs.filter(pk__in=shared)
    return qs


def visible_territories(*, membership: Membership) -> QuerySet[Territory]:
    qs = Territory.objects.filter(workspace_id=membership.workspace_id)
    if _is_partner(membership):
        qs = qs.filter(pk__in=visible_projects(membership=membership).values("territory_id"))
    return qs


def territory_list(
    *,
    membership: Membership,
    archived: bool = False,
    q: str = "",
    kind: str = "",
) -> QuerySet[Territory]:
    qs = visible_territories(membership=membership).filter(archived_at__isnull=not archived)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if kind in TerritoryKind.values:
        qs = qs.filter(kind=kind)
    return _with_project_count(qs).order_by("name", "id")


def _with_project_count(qs: QuerySet[Territory]) -> QuerySet[Territory]:
    # Subqueries rather than JOIN + GROUP BY, so the paginator's COUNT stays a plain count.
    active_projects = (
        Project.objects.filter(territory=OuterRef("pk"), archived_at__isnull=True)
        .order_by()
        .values("territory")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.select_related("parent").annotate(
        project_count=Coalesce(Subquery(active_projects), 0)
    )


# One page of the territory list: top-level territories with everything under them, so a
# micro-territory always shows under its parent. (pk, depth) pairs, depth-first, by name.
TreeGroup = list[tuple[int, int]]


def territory_tree(
    *,
    membership: Membership,
    archived: bool = False,
    q: str = "",
    kind: str = "",
) -> list[TreeGroup]:
    """The territories :func:`territory_list` lists, grouped under the first of their ancestors
    that is listed: one group per territory whose parent is not in the list (a top-level one,
    or, when filtering, a match whose parent does not match), followed by its listed
    descendants. Paginate the groups, then read their rows with :func:`territory_tree_rows`."""
    pairs = list(
        territory_list(membership=membership, archived=archived, q=q, kind=kind).values_list(
            "pk", "parent_id"
        )
    )
    listed = {pk for pk, _ in pairs}
    children: dict[int, list[int]] = {}
    roots = []
    for pk, parent_id in pairs:
        if parent_id in listed:
            children.setdefault(parent_id, []).append(pk)
        else:
            roots.append(pk)
    groups: list[TreeGroup] = []
    seen: set[int] = set()
    # A loop of parents (A under B under A) has no root: its first member opens a group.
    for root in roots + [pk for pk, _ in pairs]:
        if root in seen:
            continue
        group: TreeGroup = []
        stack = [(root, 0)]
        while stack:
            pk, depth = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            group.append((pk, depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(pk, [])))
        groups.append(group)
    return groups


def territory_tree_rows(*, membership: Membership, groups: list[TreeGroup]) -> list[Territory]:
    """The rows of ``groups`` in order, each with ``tree_depth`` and, for a group's first row
    whose parent is not listed with it, ``tree_path``: the names of its ancestors."""
    wanted = [(pk, depth) for group in groups for pk, depth in group]
    rows = _with_project_count(
        visible_territories(membership=membership).filter(pk__in=[pk for pk, _ in wanted])
    ).in_bulk()
    ancestry = {
        pk: (parent_id, name)
        for pk, parent_id, name in visible_territories(membership=membership).values_list(
            "pk", "parent_id", "name"
        )
    }
    result = []
    for pk, depth in wanted:
        territory = rows.get(pk)
        if territory is None:
            continue
        path: list[str] = []
        parent_id = territory.parent_id if depth == 0 else None
        while parent_id in ancestry and len(path) < 10:
            parent_id, name = ancestry[parent_id]
            path.insert(0, name)
        territory.tree_depth = depth  # type: ignore[attr-defined]
        territory.tree_path = path  # type: ignore[attr-defined]
        result.append(territory)
    return result


def territory_get(*, membership: Membership, uuid: Any) -> Territory | None:
    return (
        visible_territories(membership=membership)
        .select_related("parent")
        .filter(uuid=uuid)
        .first()
    )


def territory_choices(
    *, membership: Membership, exclude: Territory | None = None
) -> QuerySet[Territory]:
    """Active territories offered in forms (a territory cannot be its own parent)."""
    qs = visible_territories(membership=membership).filter(archived_at__isnull=True)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("name")


def territory_children(*, territory: Territory) -> QuerySet[Territory]:
    return Territory.objects.filter(parent=territory, archived_at__isnull=True).order_by("name")


def project_list(
    *,
    membership: Membership,
    archived: bool = False,
    q: str = "",
    status: str = "",
    territory: Territory | None = None,
) -> QuerySet[Project]:
    qs = visible_projects(membership=membership).filter(archived_at__isnull=not archived)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(ambition__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if territory is not None:
        qs = qs.filter(territory=territory)
    last_cycle = (
        Cycle.objects.filter(project=OuterRef("pk")).order_by("-number").values("number")[:1]
    )
    return (
        qs.select_related("territory")
        .annotate(current_cycle=Subquery(last_cycle))
        .order_by("name", "id")
    )


def project_get(*, membership: Membership, uuid: Any) -> Project | None:
    return (
        visible_projects(membership=membership)
        .select_related("territory", "created_by")
        .filter(uuid=uuid)
        .first()
    )


def project_shared_with(*, project: Project) -> QuerySet[Any]:
    """Names of the partner organisations the project is shared with (for its page)."""
    # Reached by its related name only, as in visible_projects(): no import of a higher layer.
    return project.partner_organisations.order_by("name").values_list("name", flat=True)


def cycle_list(*, project: Project) -> QuerySet[Cycle]:
    return Cycle.objects.filter(project=project).order_by("-number")


def cycle_current(*, project: Project) -> Cycle:
    """The cycle a project's pages show by default (see :func:`current_of`). One query."""
    return current_of(list(Cycle.objects.filter(project=project)))


def current_of(cycles: list[Cycle]) -> Cycle:
    """Of a project's cycles, the current one: the open cycle with the highest number, the last
    one when all are closed. Every project has at least cycle 1."""
    return max(cycles, key=lambda c: (c.status == "open", c.number))


def cycle_get(*, project: Project, number: Any) -> Cycle | None:
    """A cycle of ``project`` by its number; the current one when ``number`` is empty; None
    when there is no such cycle (or the number is not a number)."""
    if number is None or number == "":
        return cycle_current(project=project)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        return None
    return Cycle.objects.filter(project=project, number=wanted).first()


def cycle_successor(*, cycle: Cycle) -> Cycle | None:
    """The cycle that continued ``cycle`` (the next number), if any."""
    return (
        Cycle.objects.filter(project_id=cycle.project_id, number__gt=cycle.number)
        .order_by("number")
        .first()
    )


def cycles_current_of(*, project_ids: list[int]) -> dict[int, Cycle]:
    """:func:`cycle_current` of each of ``project_ids``, in one query whatever their number."""
    opened: dict[int, Cycle] = {}
    last: dict[int, Cycle] = {}
    for cycle in Cycle.objects.filter(project_id__in=project_ids).order_by("project_id", "number"):
        last[cycle.project_id] = cycle
        if cycle.status == "open":
            opened[cycle.project_id] = cycle
    return {pk: opened.get(pk) or cycle for pk, cycle in last.items()}


def workspace_counts(*, membership: Membership) -> dict[str, int]:
    territories = (
        visible_territories(membership=membership)
        .filter(archived_at__isnull=True)
        .aggregate(
            territories=Count("pk"),
            micro_territories=Count("pk", filter=~Q(kind__in=_STRATEGIC)),
        )
    )
    projects = visible_projects(membership=membership).filter(archived_at__isnull=True).count()
    return {**territories, "projects": projects}


_STRATEGIC = {
    TerritoryKind.REGION,
    TerritoryKind.DEPARTMENT,
    TerritoryKind.INTERCOMMUNALITY,
    TerritoryKind.CITY,
}


def audience_list() -> QuerySet[Audience]:
    return Audience.objects.order_by("position")


def cycles_current() -> QuerySet[Cycle]:
    """The current cycle of every project, as ``cycle_current()`` picks it (the open cycle with
    the highest number, the last one when all are closed), in one query: lists across projects
    filter on it (the API's ``cycle=current``) instead of asking project by project."""
    first = (
        Cycle.objects.filter(project=OuterRef("project"))
        .order_by(Case(When(status=CycleStatus.OPEN, then=0), default=1), "-number")
        .values("pk")[:1]
    )
    return Cycle.objects.filter(pk=Subquery(first))
