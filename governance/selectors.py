"""Reads for partner organisations and project sharing.

The actions an organisation leads or contributes to live in ``mix`` (a higher layer): they are
counted here through their related names only, so governance imports nothing above it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.models import Membership, Workspace
from core.roles import Role
from governance.models import (
    ActorProposal,
    Ambassador,
    AmbassadorKind,
    BrandLicensee,
    BrandPlatform,
    ContactPerson,
    Contribution,
    Decision,
    Deliverable,
    Element,
    ElementComponent,
    GovernanceBody,
    MaturityScore,
    Meeting,
    MethodSequence,
    MethodStep,
    OwnershipEvent,
    OwnershipKind,
    PartnerOrganisation,
    ProposalStatus,
    StepProgress,
    StepStatus,
)
from mix.selectors import plan_actions
from territories import selectors as territories_selectors
from territories.models import Cycle, Project
from territories.selectors import visible_projects


def _related_count(relation: str, condition: Q | None = None) -> Any:
    """``COUNT`` of one relation of the row, as a correlated subquery.

    One subquery per relation keeps the counts exact without multiplying the joins (members x
    shared projects x actions), and the list stays one query whatever its length.
    """
    inner = (
        PartnerOrganisation.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count(relation, filter=condition, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def partner_organisation_list(*, membership: Membership) -> QuerySet[PartnerOrganisation]:
    """Every organisation of the workspace with its counts.

    A partner sees the organisations (the members page shows them the people anyway) but the
    counts of shared projects and actions only cover the projects shared with them.
    """
    visible = None
    if membership.role == Role.PARTNER:
        visible = visible_projects(membership=membership).values("pk")
    shared = Q(shared_projects__in=visible) if visible is not None else None
    led = Q(led_actions__project__in=visible) if visible is not None else None
    contributed = Q(contributed_actions__project__in=visible) if visible is not None else None
    return (
        PartnerOrganisation.objects.filter(workspace_id=membership.workspace_id)
        .annotate(
            member_count=_related_count("members"),
            project_count=_related_count("shared_projects", shared),
            led_count=_related_count("led_actions", led),
            contributed_count=_related_count("contributed_actions", contributed),
        )
        .order_by("name", "id")
    )


def partner_organisation_get(*, workspace: Workspace, uuid: Any) -> PartnerOrganisation | None:
    return PartnerOrganisation.objects.filter(workspace=workspace, uuid=uuid).first()


def partner_organisation_choices(*, workspace: Workspace) -> QuerySet[PartnerOrganisation]:
    """The organisations offered when sharing a project, with their number of members."""
    return (
        PartnerOrganisation.objects.filter(workspace=workspace)
        .annotate(member_count=_related_count("members"))
        .order_by("name", "id")
    )


def member_choices(*, workspace: Workspace) -> QuerySet[Membership]:
    """Members who may belong to an organisation: partners first, then everyone else."""
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .annotate(
            is_partner=Case(
                When(role=Role.PARTNER, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("is_partner", "user__full_name", "user__email")
    )


def project_partner_organisations(*, project: Project) -> QuerySet[PartnerOrganisation]:
    """The organisations a project is shared with."""
    return PartnerOrganisation.objects.filter(
        workspace_id=project.workspace_id, shared_projects=project
    ).order_by("name", "id")


def partner_organisation_detail(*, workspace: Workspace, uuid: Any) -> PartnerOrganisation | None:
    return (
        PartnerOrganisation.objects.filter(workspace=workspace, uuid=uuid)
        .prefetch_related("members__user")
        .first()
    )


def contact_list(*, organisation: PartnerOrganisation) -> QuerySet[ContactPerson]:
    return (
        ContactPerson.objects.filter(organisation=organisation)
        .select_related("membership__user")
        .order_by("full_name", "id")
    )


def contact_get(*, workspace: Workspace, uuid: Any) -> ContactPerson | None:
    return (
        ContactPerson.objects.filter(workspace=workspace, uuid=uuid)
        .select_related("organisation")
        .first()
    )


def partner_actions(*, organisation: PartnerOrganisation, membership: Membership) -> QuerySet[Any]:
    """The actions ``organisation`` leads or contributes to, in the projects the member sees.

    Actions live in ``mix`` (a higher layer): reached through the related name only.
    """
    action_model = organisation.led_actions.model
    return (
        action_model.objects.filter(
            Q(lead_partner=organisation) | Q(contributors=organisation),
            project__in=visible_projects(membership=membership),
        )
        .distinct()
        .select_related("project", "lead_partner")
        .order_by("project__name", "title", "id")
    )


# --- Bodies, meetings, decisions -----------------------------------------------------------------


def _count(model: Any, relation: str) -> Any:
    """``COUNT`` of one relation of the row as a correlated subquery (no join multiplication)."""
    inner = (
        model.objects.filter(pk=OuterRef("pk"))
        .annotate(n=Count(relation, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def body_list(*, project: Project) -> QuerySet[GovernanceBody]:
    last = Meeting.objects.filter(body=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    return (
        GovernanceBody.objects.filter(project=project)
        .annotate(
            member_count=_count(GovernanceBody, "members"),
            meeting_count=_count(GovernanceBody, "meetings"),
            last_meeting=Subquery(last),
        )
        .prefetch_related("organisations")
        .order_by("name", "id")
    )


def body_get(*, membership: Membership, uuid: Any) -> GovernanceBody | None:
    """A body of a project the member sees (partners: shared projects only)."""
    return (
        GovernanceBody.objects.filter(
            uuid=uuid, project__in=visible_projects(membership=membership)
        )
        .select_related("project")
        .prefetch_related("members__user", "organisations")
        .first()
    )


def meeting_list(*, body: GovernanceBody) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(body=body)
        .annotate(
            attendee_count=_count(Meeting, "attendees"),
            decision_count=_count(Meeting, "decisions"),
        )
        .order_by("-held_on", "-id")
    )


def meeting_get(*, membership: Membership, uuid: Any) -> Meeting | None:
    return (
        Meeting.objects.filter(uuid=uuid, body__project__in=visible_projects(membership=membership))
        .select_related("body__project")
        .prefetch_related("attendees__user")
        .first()
    )


def decision_list(
    *, project: Project, status: str = "", meeting: Meeting | None = None
) -> QuerySet[Decision]:
    qs = Decision.objects.filter(project=project)
    if status:
        qs = qs.filter(status=status)
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    return (
        qs.select_related("meeting__body", "owner__user")
        .prefetch_related("objectives", "actions")
        .order_by("-meeting__held_on", "-id")
    )


def decision_get(*, membership: Membership, uuid: Any) -> Decision | None:
    return (
        Decision.objects.filter(uuid=uuid, project__in=visible_projects(membership=membership))
        .select_related("meeting__body__project", "owner__user")
        .prefetch_related("objectives", "actions")
        .first()
    )


@dataclass(frozen=True)
class Milestone:
    """A dated event of a project drawn on the plan's timeline."""

    kind: str  # "meeting", "decision", "cycle_start" or "cycle_close"
    on: dt.date
    title: str
    uuid: Any = None  # the meeting to link to (a decision links to its meeting)
    number: int | None = None  # the cycle, for the cycle's own dates

    @property
    def label(self) -> str:
        return str(MILESTONE_LABELS[self.kind])


MILESTONE_LABELS = {
    "meeting": _("Meeting"),
    "decision": _("Decision due"),
    "cycle_start": _("Cycle starts"),
    "cycle_close": _("Cycle closed"),
}


def timeline_milestones(
    *, project: Project, cycle: Cycle, start: dt.date, end: dt.date
) -> list[Milestone]:
    """The project's meetings, its decisions' due dates and ``cycle``'s start and close dates
    from ``start`` (included) to ``end`` (excluded), by date. Two queries, whatever the count."""
    milestones = [
        Milestone(
            kind="meeting",
            on=meeting.held_on,
            title=f"{meeting.body.name}: {meeting.title}" if meeting.title else meeting.body.name,
            uuid=meeting.uuid,
        )
        for meeting in Meeting.objects.filter(
            body__project=project, held_on__gte=start, held_on__lt=end
        ).select_related("body")
    ]
    milestones += [
        Milestone(
            kind="decision", on=decision.due_date, title=str(decision), uuid=decision.meeting.uuid
        )
        for decision in Decision.objects.filter(
            project=project, due_date__gte=start, due_date__lt=end
        ).select_related("meeting")
        if decision.due_date is not None
    ]
    for kind, on in (("cycle_start", cycle.started_on), ("cycle_close", cycle.closed_on)):
        if on is not None and start <= on < end:
            milestones.append(Milestone(kind=kind, on=on, title=str(cycle), number=cycle.number))
    order = list(MILESTONE_LABELS)
    return sorted(milestones, key=lambda m: (m.on, order.index(m.kind), m.title))


# --- The method tracker --------------------------------------------------------------------------


@dataclass
class MethodPosition:
    """The project's progress through the 10 steps, grouped by sequence."""

    sequences: list[tuple[MethodSequence, list[tuple[MethodStep, StepProgress | None]]]]
    total: int
    done: int
    in_progress: int
    current: MethodStep | None  # the first step not done

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def method_position(*, project: Project) -> MethodPosition:
    """Two queries whatever the number of deliverables."""
    steps = list(MethodStep.objects.select_related("sequence").order_by("number"))
    progress = {
        p.step_id: p
        for p in StepProgress.objects.filter(project=project)
        .select_related("owner__user")
        .annotate(deliverable_count=_count(StepProgress, "deliverables"))
    }
    sequences: dict[int, tuple[MethodSequence, list[Any]]] = {}
    for step in steps:
        sequences.setdefault(step.sequence_id, (step.sequence, []))[1].append(
            (step, progress.get(step.pk))
        )
    statuses = [
        progress[s.pk].status if s.pk in progress else StepStatus.NOT_STARTED for s in steps
    ]
    current = next(
        (s for s, st in zip(steps, statuses, strict=True) if st != StepStatus.DONE), None
    )
    return MethodPosition(
        sequences=list(sequences.values()),
        total=len(steps),
        done=statuses.count(StepStatus.DONE),
        in_progress=statuses.count(StepStatus.IN_PROGRESS),
        current=current,
    )


def method_step_get(*, number: int) -> MethodStep | None:
    return MethodStep.objects.select_related("sequence").filter(number=number).first()


def step_progress_get(*, project: Project, step: MethodStep) -> StepProgress | None:
    return (
        StepProgress.objects.filter(project=project, step=step)
        .select_related("owner__user")
        .first()
    )


def deliverable_list(*, progress: StepProgress | None) -> QuerySet[Deliverable]:
    if progress is None:
        return Deliverable.objects.none()
    return Deliverable.objects.filter(progress=progress).select_related("created_by")


def deliverable_get(*, membership: Membership, uuid: Any) -> Deliverable | None:
    return (
        Deliverable.objects.filter(
            uuid=uuid, progress__project__in=visible_projects(membership=membership)
        )
        .select_related("progress__project", "progress__step")
        .first()
    )


# --- The 7 elements maturity assessment ----------------------------------------------------------


@dataclass
class MaturityRow:
    """One element (or organisation sub-component) with its score now and in the cycle before."""

    item: Element | ElementComponent
    is_component: bool
    score: MaturityScore | None
    previous: MaturityScore | None

    @property
    def delta(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score.score - self.previous.score

    @property
    def key(self) -> str:
        return self.item.code.replace(".", "_")


@dataclass
class MaturityComparison:
    cycle: Cycle
    previous_cycle: Cycle | None
    rows: list[MaturityRow]

    @property
    def elements(self) -> list[MaturityRow]:
        return [row for row in self.rows if not row.is_component]

    @property
    def weakest(self) -> list[MaturityRow]:
        """The scored elements at the lowest score, when it is below 3 (good enough)."""
        scored = [row for row in self.elements if row.score is not None]
        if not scored:
            return []
        low = min(row.score.score for row in scored if row.score is not None)
        return [
            row for row in scored if row.score is not None and row.score.score == low and low < 3
        ]

    @property
    def is_filled(self) -> bool:
        return any(row.score is not None for row in self.rows)


def previous_cycle(*, cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(project_id=cycle.project_id, number__lt=cycle.number)
        .order_by("-number")
        .first()
    )


def maturity_comparison(*, cycle: Cycle) -> MaturityComparison:
    """The scores of ``cycle`` beside those of the cycle before it; four queries."""
    before = previous_cycle(cycle=cycle)
    cycles = [cycle.pk] + ([before.pk] if before else [])
    now: dict[tuple[str, int], MaturityScore] = {}
    then: dict[tuple[str, int], MaturityScore] = {}
    for score in MaturityScore.objects.filter(assessment__cycle_id__in=cycles).select_related(
        "assessment"
    ):
        key = ("c", score.component_id) if score.component_id else ("e", score.element_id)
        (now if score.assessment.cycle_id == cycle.pk else then)[key] = score
    rows = []
    for element in Element.objects.prefetch_related("components").order_by("number"):
        rows.append(
            MaturityRow(element, False, now.get(("e", element.pk)), then.get(("e", element.pk)))
        )
        for component in element.components.all():
            key = ("c", component.pk)
            rows.append(MaturityRow(component, True, now.get(key), then.get(key)))
    return MaturityComparison(cycle=cycle, previous_cycle=before, rows=rows)


def cycle_get(*, project: Project, number: Any) -> Cycle | None:
    """A cycle of ``project`` by its number; the current one when ``number`` is empty."""
    return territories_selectors.cycle_get(project=project, number=number)


def cycle_list(*, project: Project) -> QuerySet[Cycle]:
    return Cycle.objects.filter(project=project).order_by("number")


# --- Pooled means and local ownership ------------------------------------------------------------


def cycle_record_get(model: Any, *, membership: Membership, uuid: Any) -> Any:
    """A contribution or an ownership event of a project the member sees, else None."""
    return (
        model.objects.filter(uuid=uuid, project__in=visible_projects(membership=membership))
        .select_related("project", "cycle")
        .first()
    )


def contribution_list(*, cycle: Cycle) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(cycle=cycle)
        .select_related("partner")
        .order_by("partner__name", "id")
    )


def contribution_totals(*, cycle: Cycle) -> dict[str, Any]:
    """Money and days pooled in ``cycle`` against the planned budget of its action plan."""
    totals = Contribution.objects.filter(cycle=cycle).aggregate(
        amount=Coalesce(Sum("amount"), Value(Decimal(0))),
        days=Coalesce(Sum("days"), Value(Decimal(0))),
        partners=Count("id"),
    )
    # The plan of the cycle, read as every plan view reads it.
    planned = plan_actions(project=cycle.project, cycle=cycle).aggregate(
        planned=Coalesce(Sum("budget_planned"), Value(Decimal(0)))
    )["planned"]
    totals["planned"] = planned
    totals["coverage"] = round(100 * totals["amount"] / planned) if planned else None
    totals["gap"] = planned - totals["amount"]
    return totals


def ownership_list(*, cycle: Cycle) -> QuerySet[OwnershipEvent]:
    return OwnershipEvent.objects.filter(cycle=cycle).order_by("-held_on", "-id")


def ownership_totals(*, cycle: Cycle) -> dict[str, Any]:
    """Events and participants of ``cycle``, overall and by kind (kinds with no event left out)."""
    rows = (
        OwnershipEvent.objects.filter(cycle=cycle)
        .values("kind")
        .annotate(events=Count("id"), participants=Sum("participants"))
        .order_by("kind")
    )
    labels = dict(OwnershipKind.choices)
    by_kind = [
        {"kind": labels[r["kind"]], "events": r["events"], "participants": r["participants"]}
        for r in rows
    ]
    return {
        "events": sum(r["events"] for r in by_kind),
        "participants": sum(r["participants"] for r in by_kind),
        "by_kind": by_kind,
    }


# --- Brand platform ------------------------------------------------------------------------------


def brand_get(*, project: Project) -> BrandPlatform | None:
    return BrandPlatform.objects.filter(project=project).prefetch_related("audiences").first()


def licensee_list(*, platform: BrandPlatform) -> QuerySet[BrandLicensee]:
    return (
        BrandLicensee.objects.filter(platform=platform)
        .select_related("partner")
        .order_by("since", "id")
    )


def ambassador_list(*, platform: BrandPlatform, active: bool | None = None) -> QuerySet[Ambassador]:
    qs = Ambassador.objects.filter(platform=platform)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "id")


def brand_item_get(model: Any, *, membership: Membership, uuid: Any) -> Any:
    """A licensee or an ambassador of a project the member sees, else None."""
    return (
        model.objects.filter(
            uuid=uuid, platform__project__in=visible_projects(membership=membership)
        )
        .select_related("platform__project")
        .first()
    )


def brand_counts(*, project: Project, on: dt.date | None = None) -> dict[str, int]:
    """Counts the evaluation can use as indicators, as of ``on`` (today by default):
    active ambassadors who had joined by then (people, organisations, all) and the partners
    allowed to use the brand mark by then. One query."""
    on = on or dt.date.today()
    active = Q(ambassadors__is_active=True, ambassadors__joined_on__lte=on)
    # Aggregate names differ from the relations' (an aggregate may not shadow what it counts).
    counts = BrandPlatform.objects.filter(project=project).aggregate(
        n_ambassadors=Count("ambassadors", filter=active, distinct=True),
        n_people=Count(
            "ambassadors",
            filter=active & Q(ambassadors__kind=AmbassadorKind.PERSON),
            distinct=True,
        ),
        n_organisations=Count(
            "ambassadors",
            filter=active & Q(ambassadors__kind=AmbassadorKind.ORGANISATION),
            distinct=True,
        ),
        n_licensees=Count("licensees", filter=Q(licensees__since__lte=on), distinct=True),
    )
    return {name[2:]: value for name, value in counts.items()}


def actor_proposal_list(*, cycle: Cycle) -> QuerySet[ActorProposal]:
    return ActorProposal.objects.filter(cycle=cycle).order_by("name", "id")


def actor_proposal_totals(*, cycle: Cycle) -> dict[str, Any]:
    rows = ActorProposal.objects.filter(cycle=cycle).values("status").annotate(n=Count("id"))
    by_status = {r["status"]: r["n"] for r in rows}
    return {
        "total": sum(by_status.values()),
        "invited": by_status.get(ProposalStatus.INVITED, 0),
        "waiting": by_status.get(ProposalStatus.PROPOSED, 0)
        + by_status.get(ProposalStatus.CONTACTED, 0),
    }
