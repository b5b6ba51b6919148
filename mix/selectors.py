"""Reads for the plan's actions: lists, the TRACER x mix matrix, counters, the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from core.models import Membership
from core.roles import Role, can
from governance.models import PartnerOrganisation
from mix.models import Action, ActionStatus, Comment, IrrelevantCell, MixFamily
from territories.models import Audience, Cycle, Project
from territories.selectors import visible_projects
from tracer import coediting
from tracer.models import Objective, PlanChange, TracerStage
from tracer.reference_data import PLAN_LIBRARY
from tracer.selectors import plan_objectives

SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "stage": ("objective__stage__position", "family__position", "id"),
    "family": ("family__position", "objective__stage__position", "id"),
    "status": ("status", "id"),
    "start": ("start_date", "id"),
    "-start": ("-start_date", "-id"),
    "end": ("end_date", "id"),
    "budget": ("budget_planned", "id"),
    "-budget": ("-budget_planned", "-id"),
    "updated": ("-updated_at", "-id"),
}


def plan_change_rows(changes: Any) -> list[PlanChange]:
    """Plan changes (a page of the activity, an item's history) ready to read in the viewer's
    language: each gets ``field_name``, ``old_display`` and ``new_display``; the partners,
    members, objectives and reference data they name are read in one query per kind."""
    return coediting.describe(changes, models_by_type={"objective": Objective, "action": Action})


def family_list() -> list[MixFamily]:
    return list(MixFamily.objects.order_by("position"))


def organisation_ids(*, membership: Membership) -> set[int]:
    """The partner organisations a member belongs to."""
    return set(PartnerOrganisation.objects.filter(members=membership).values_list("pk", flat=True))


def can_edit_action(
    *, membership: Membership, action: Action, org_ids: set[int] | None = None
) -> bool:
    """Staff edit every action; partners those their organisation leads or contributes to."""
    if Role.rank(membership.role) >= Role.rank(Role.EDITOR):
        return True
    if membership.role != Role.PARTNER:
        return False
    org_ids = organisation_ids(membership=membership) if org_ids is None else org_ids
    if action.lead_partner_id in org_ids:
        return True
    return any(c.pk in org_ids for c in action.contributors.all())


def plan_actions(*, project: Project, cycle: Cycle) -> QuerySet[Action]:
    """The actions of the plan of ``project`` in ``cycle`` (an action is in its objective's
    cycle): every plan view, export and figure reads the plan's actions through this."""
    return Action.objects.filter(project=project, objective__cycle=cycle)


def action_list(
    *,
    project: Project,
    cycle: Cycle,
    filters: dict[str, Any] | None = None,
    sort: str = "stage",
    membership: Membership | None = None,
    full: bool = False,
) -> QuerySet[Action]:
    filters = filters or {}
    qs = plan_actions(project=project, cycle=cycle)
    if filters.get("stage"):
        qs = qs.filter(objective__stage=filters["stage"])
    if filters.get("family"):
        qs = qs.filter(family=filters["family"])
    if filters.get("status"):
        qs = qs.filter(status__in=filters["status"])
    if filters.get("audience"):
        qs = qs.filter(audiences=filters["audience"])
    if filters.get("partner"):
        partner = filters["partner"]
        qs = qs.filter(Q(lead_partner=partner) | Q(contributors=partner))
    if filters.get("starts_after"):
        qs = qs.filter(
            Q(end_date__gte=filters["starts_after"])
            | Q(end_date__isnull=True, start_date__gte=filters["starts_after"])
        )
    if filters.get("ends_before"):
        qs = qs.filter(start_date__lte=filters["ends_before"])
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(description__icontains=filters["q"]))
    if filters.get("audience") or filters.get("partner"):
        qs = qs.distinct()
    return with_details(qs, membership=membership, full=full).order_by(
        *SORTS.get(sort, SORTS["stage"])
    )


def with_details(
    qs: QuerySet[Action], *, membership: Membership | None = None, full: bool = False
) -> QuerySet[Action]:
    """What pages show of each action. Lists skip the many-to-many fields they do not show;
    the contributors come along for partners, whose edit rights depend on them."""
    qs = qs.select_related("objective__stage", "family", "lead_partner", "updated_by")
    lookups: list[Prefetch[Any]] = []
    if full:
        qs = qs.select_related("objective__cycle")
        lookups.append(Prefetch("audiences"))
    if full or (membership is not None and membership.role == Role.PARTNER):
        lookups.append(Prefetch("contributors"))
    return qs.prefetch_related(*lookups)


def action_get(*, membership: Membership, uuid: Any) -> Action | None:
    return (
        with_details(
            Action.objects.filter(uuid=uuid, project__in=visible_projects(membership=membership)),
            full=True,
        )
        .select_related("project__territory", "objective__cycle")
        .first()
    )


@dataclass
class Cell:
    stage: TracerStage
    family: MixFamily
    count: int
    budget: Decimal
    mark: IrrelevantCell | None = None  # marked "not relevant for this project" in the cycle

    @property
    def is_covered(self) -> bool:
        return self.count > 0

    @property
    def is_irrelevant(self) -> bool:
        """Marked not relevant and without actions (with actions, the mark is only a note)."""
        return self.count == 0 and self.mark is not None

    @property
    def is_gap(self) -> bool:
        """A real gap: no action, and nobody said the cell is not relevant."""
        return self.count == 0 and self.mark is None

    @property
    def dom_id(self) -> str:
        return f"cell-{self.stage.code}-{self.family.code}".replace(".", "-")


class Matrix(list[tuple[TracerStage, list[Cell]]]):
    """The rows of the matrix, with the header's counts."""

    def _cells(self) -> list[Cell]:
        return [cell for _, cells in self for cell in cells]

    @property
    def total(self) -> int:
        return len(self._cells())

    @property
    def covered(self) -> int:
        return sum(cell.is_covered for cell in self._cells())

    @property
    def gaps(self) -> int:
        return sum(cell.is_gap for cell in self._cells())

    @property
    def irrelevant(self) -> int:
        return sum(cell.is_irrelevant for cell in self._cells())

    def cell(self, stage: TracerStage, family: MixFamily) -> Cell:
        return next(c for c in self._cells() if c.stage.pk == stage.pk and c.family.pk == family.pk)


def irrelevant_cell_list(*, project: Project, cycle: Cycle) -> QuerySet[IrrelevantCell]:
    """The cells of ``project``'s matrix marked not relevant in ``cycle``."""
    return IrrelevantCell.objects.filter(project=project, cycle=cycle).select_related(
        "stage", "family", "marked_by"
    )


def irrelevant_cell_get(
    *, project: Project, cycle: Cycle, stage: TracerStage, family: MixFamily
) -> IrrelevantCell | None:
    return (
        irrelevant_cell_list(project=project, cycle=cycle)
        .filter(stage=stage, family=family)
        .first()
    )


def matrix(*, project: Project, cycle: Cycle) -> Matrix:
    """6 stages x 12 families: the number of actions and their planned budget per cell, and the
    cells marked not relevant. Four queries, whatever the number of actions and marks."""
    rows = (
        plan_actions(project=project, cycle=cycle)
        .exclude(status=ActionStatus.DROPPED)
        .values("objective__stage_id", "family_id")
        .annotate(count=Count("id"), budget=Sum("budget_planned"))
        .order_by()
    )
    cells = {(r["objective__stage_id"], r["family_id"]): r for r in rows}
    marks = {
        (m.stage_id, m.family_id): m for m in irrelevant_cell_list(project=project, cycle=cycle)
    }
    families = family_list()
    result = Matrix()
    for stage in TracerStage.objects.order_by("position"):
        line = []
        for family in families:
            r = cells.get((stage.pk, family.pk))
            line.append(
                Cell(
                    stage,
                    family,
                    r["count"] if r else 0,
                    (r["budget"] or Decimal(0)) if r else Decimal(0),
                    marks.get((stage.pk, family.pk)),
                )
            )
        result.append((stage, line))
    return result


def counters(*, project: Project, cycle: Cycle) -> dict[str, Any]:
    """Plan totals of one cycle, one query for actions and one for objectives."""
    totals = plan_actions(project=project, cycle=cycle).aggregate(
        actions=Count("id"),
        planned=Sum("budget_planned"),
        spent=Sum("budget_spent"),
        **{f"n_{status}": Count("id", filter=Q(status=status)) for status in ActionStatus.values},
    )
    return {
        "actions": totals["actions"],
        "objectives": plan_objectives(project=project, cycle=cycle).count(),
        "planned": totals["planned"] or Decimal(0),
        "spent": totals["spent"] or Decimal(0),
        "by_status": [
            (label, totals[f"n_{value}"], value) for value, label in ActionStatus.choices
        ],
    }


@dataclass
class Bar:
    action: Action
    offset: float  # percent of the timeline width
    width: float

    @property
    def end(self) -> dt.date | None:
        return self.action.end_date or self.action.start_date


@dataclass
class Marker:
    """A dated point on the timeline (a milestone, today) and where it falls."""

    on: dt.date
    offset: float  # percent of the timeline width
    milestone: Any = None  # what a milestone source returned: .kind, .on, .label, .title


# The timeline's milestones (meetings, decisions due, the cycle's dates) are read by higher
# apps (governance), which register their source here from their AppConfig.ready(): mix imports
# none of them. A source is called as ``source(project=, cycle=, start=, end=)`` and returns
# objects with an ``on`` date, from ``start`` (included) to ``end`` (excluded), in a constant
# number of queries.
MilestoneSource = Callable[..., Iterable[Any]]
MILESTONE_SOURCES: list[MilestoneSource] = []


def register_milestone_source(source: MilestoneSource) -> None:
    if source not in MILESTONE_SOURCES:
        MILESTONE_SOURCES.append(source)


def timeline_milestones(
    *, project: Project, cycle: Cycle, start: dt.date, end: dt.date
) -> list[Any]:
    """Every registered source's milestones of the range, by date (stable within a day)."""
    found = [
        milestone
        for source in MILESTONE_SOURCES
        for milestone in source(project=project, cycle=cycle, start=start, end=end)
    ]
    return sorted(found, key=lambda m: m.on)


def timeline(
    *, project: Project, cycle: Cycle, membership: Membership | None = None
) -> dict[str, Any]:
    """Gantt-like bars of the cycle's dated actions, grouped by TRACER stage, with today's line
    and the milestones (meetings, decisions due, the cycle's dates) that fall in their range."""
    plan = plan_actions(project=project, cycle=cycle)
    actions = list(
        with_details(plan.filter(start_date__isnull=False), membership=membership).order_by(
            "objective__stage__position", "start_date", "id"
        )
    )
    undated = plan.filter(start_date__isnull=True).count()
    if not actions:
        return {"groups": [], "undated": undated, "months": [], "milestones": [], "today": None}
    start = min(a.start_date for a in actions if a.start_date)
    end = max((a.end_date or a.start_date) for a in actions if a.start_date)
    start = start.replace(day=1)
    end = (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    span = max((end - start).days, 1)

    def at(day: dt.date) -> float:
        return 100 * (day - start).days / span

    months = []
    month = start
    while month < end:
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        months.append((month, at(month), 100 * (nxt - month).days / span))
        month = nxt
    groups: dict[int, tuple[TracerStage, list[Bar]]] = {}
    for action in actions:
        assert action.start_date is not None
        last = action.end_date or action.start_date
        bar = Bar(
            action,
            offset=at(action.start_date),
            width=max(100 * ((last - action.start_date).days + 1) / span, 0.8),
        )
        stage = action.objective.stage
        groups.setdefault(stage.pk, (stage, []))[1].append(bar)
    today = timezone.localdate()
    return {
        "groups": list(groups.values()),
        "undated": undated,
        "months": months,
        "milestones": [
            Marker(m.on, at(m.on), m)
            for m in timeline_milestones(project=project, cycle=cycle, start=start, end=end)
        ],
        "today": Marker(today, at(today)) if start <= today < end else None,
    }


@dataclass
class LibraryEntry:
    """One example objective of the plan library, with its example actions."""

    stage: TracerStage
    title: str
    audiences: list[Audience]
    segment: str
    actions: list[tuple[MixFamily, str]]
    in_plan: bool  # an objective of the project already has this title (in either language)


def plan_library(*, project: Project, cycle: Cycle, language: str) -> list[LibraryEntry]:
    """The library of example objectives and actions, in stage order, in ``language``."""
    fr = language.startswith("fr")
    stages = {s.code: s for s in TracerStage.objects.all()}
    families = {f.code: f for f in MixFamily.objects.all()}
    audiences = {a.code: a for a in Audience.objects.all()}
    titles = set(plan_objectives(project=project, cycle=cycle).values_list("title", flat=True))
    entries = [
        LibraryEntry(
            stage=stages[stage_code],
            title=title_fr if fr else title_en,
            audiences=[audiences[c] for c in audience_codes],
            segment=segment,
            actions=[(families[f], a_fr if fr else a_en) for f, a_en, a_fr in actions],
            in_plan=bool({title_en, title_fr} & titles),
        )
        for stage_code, title_en, title_fr, audience_codes, segment, actions in PLAN_LIBRARY
    ]
    return sorted(entries, key=lambda e: e.stage.position)


# --- Comments ---------------------------------------------------------------------------------


def can_edit_comment(*, membership: Membership, comment: Comment) -> bool:
    """Only its author edits a comment (whatever their role, as long as they may comment)."""
    return (
        comment.author_id is not None
        and comment.author_id == membership.user_id
        and can(membership.role, "comment.update")
    )


def can_delete_comment(*, membership: Membership, comment: Comment, has_replies: bool) -> bool:
    """Its author, while nobody has replied (a reply would go with it); admins and owners any."""
    if Role.rank(membership.role) >= Role.rank(Role.ADMIN):
        return True
    return (
        not has_replies
        and can_edit_comment(membership=membership, comment=comment)
        and can(membership.role, "comment.delete")
    )


def can_resolve_thread(*, membership: Membership, root: Comment) -> bool:
    """The thread's author, or an editor and above, resolves and reopens a thread."""
    if not can(membership.role, "comment.resolve"):
        return False
    return Role.rank(membership.role) >= Role.rank(Role.EDITOR) or (
        root.author_id is not None and root.author_id == membership.user_id
    )


@dataclass
class CommentRow:
    comment: Comment
    can_edit: bool
    can_delete: bool
    has_replies: bool = False


@dataclass
class Thread:
    """A top-level comment and its replies, oldest first."""

    root: CommentRow
    replies: list[CommentRow]
    can_resolve: bool

    @property
    def resolved(self) -> bool:
        return self.root.comment.resolved_at is not None


def comment_thread_list(*, membership: Membership, target: Action | Objective) -> list[Thread]:
    """The threads on an action or an objective: one query, whatever their number."""
    kind = "action" if isinstance(target, Action) else "objective"
    comments = list(
        Comment.objects.filter(**{kind: target})
        .select_related("author", "resolved_by")
        .order_by("created_at", "id")
    )
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)

    def row(c: Comment, has_replies: bool) -> CommentRow:
        return CommentRow(
            c,
            can_edit=can_edit_comment(membership=membership, comment=c),
            can_delete=can_delete_comment(
                membership=membership, comment=c, has_replies=has_replies
            ),
            has_replies=has_replies,
        )

    return [
        Thread(
            root=row(c, bool(replies.get(c.pk))),
            replies=[row(r, False) for r in replies.get(c.pk, [])],
            can_resolve=can_resolve_thread(membership=membership, root=c),
        )
        for c in comments
        if c.parent_id is None
    ]


def comment_row(*, membership: Membership, comment: Comment) -> CommentRow:
    """One comment as the thread shows it (after an edit)."""
    has_replies = comment.parent_id is None and comment.replies.exists()
    return CommentRow(
        comment,
        can_edit=can_edit_comment(membership=membership, comment=comment),
        can_delete=can_delete_comment(
            membership=membership, comment=comment, has_replies=has_replies
        ),
        has_replies=has_replies,
    )


def comment_get(*, membership: Membership, uuid: Any) -> Comment | None:
    """A comment on a project the member may see (partners: shared projects only)."""
    return (
        Comment.objects.filter(uuid=uuid, project__in=visible_projects(membership=membership))
        .select_related("author", "resolved_by", "action__project", "objective__project", "parent")
        .first()
    )


def members_who_can_see(*, project: Project, memberships: list[Membership]) -> list[Membership]:
    """Those of ``memberships`` who see ``project``: staff roles all; partners if it is shared with
    their organisation. At most one query."""
    partners = [m.pk for m in memberships if m.role == Role.PARTNER]
    shared: set[int] = set()
    if partners:
        shared = set(
            Membership.objects.filter(
                pk__in=partners, partner_organisations__shared_projects=project
            ).values_list("pk", flat=True)
        )
    return [m for m in memberships if m.role != Role.PARTNER or m.pk in shared]
