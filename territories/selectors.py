"""Reads for territories, projects and cycles. Partners see only what is shared with them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.models import Membership
from core.roles import Role
from territories.models import Audience, Cycle, Project, Territory, TerritoryKind


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
    # Subqueries rather than JOIN + GROUP BY, so the paginator's COUNT stays a plain count.
    active_projects = (
        Project.objects.filter(territory=OuterRef("pk"), archived_at__isnull=True)
        .order_by()
        .values("territory")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("parent")
        .annotate(project_count=Coalesce(Subquery(active_projects), 0))
        .order_by("name", "id")
    )


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
    """The cycle a project's pages show by default: the open cycle with the highest number
    (the last one when all are closed). Every project has at least cycle 1."""
    cycles = Cycle.objects.filter(project=project).order_by("-number")
    return cycles.filter(status="open").first() or cycles.first()  # type: ignore[return-value]


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
