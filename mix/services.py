"""Writes for actions. Field edits go through :func:`tracer.coediting.save_field`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Membership, User, Workspace
from core.tenancy import assert_same_workspace
from governance.models import PartnerOrganisation
from mix.models import Action, ActionStatus, IrrelevantCell, MixFamily
from mix.selectors import can_edit_action
from territories.models import Cycle, Project
from territories.services import assert_cycle_open
from tracer import coediting
from tracer.models import ChangeKind, Objective, TracerStage

ACTION_FIELDS = (
    "title",
    "description",
    "family",
    "audiences",
    "lead_partner",
    "contributors",
    "status",
    "priority",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_spent",
    "objective",
)


@transaction.atomic
def action_create(
    *,
    actor: User,
    workspace: Workspace,
    objective: Objective,
    family: MixFamily,
    title: str,
    description: str = "",
    audiences: Any = (),
    lead_partner: PartnerOrganisation | None = None,
    contributors: Any = (),
    status: str = ActionStatus.IDEA,
    priority: int = 2,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    budget_planned: Decimal = Decimal(0),
    budget_spent: Decimal = Decimal(0),
    is_import: bool = False,
    carried_from: Action | None = None,
) -> Action:
    assert_same_workspace(workspace, objective, lead_partner, carried_from, *contributors)
    coediting.assert_open(objective)
    action = Action(
        workspace=workspace,
        project=objective.project,
        objective=objective,
        family=family,
        title=title.strip(),
        description=description,
        lead_partner=lead_partner,
        status=status,
        priority=priority,
        start_date=start_date,
        end_date=end_date,
        budget_planned=budget_planned,
        budget_spent=budget_spent,
        carried_from=carried_from,
        created_by=actor,
        updated_by=actor,
    )
    action.full_clean(exclude=["revision", "version"])
    action.revision = coediting.bump_revision(objective.project)
    action.save()
    action.audiences.set(audiences)
    action.contributors.set(contributors)
    coediting.record(
        actor=actor,
        item=action,
        kind=ChangeKind.IMPORTED if is_import else ChangeKind.CREATED,
        revision=action.revision,
    )
    return action


def _check_action_change(*, membership: Membership, action: Action, values: dict[str, Any]) -> None:
    unknown = [name for name in values if name not in ACTION_FIELDS]
    if unknown:
        raise ValidationError({name: _("This field cannot be edited here.") for name in unknown})
    if not can_edit_action(membership=membership, action=action):
        raise PermissionDenied(
            _("Only the partners who lead or contribute to this action may edit it.")
        )
    objective = values.get("objective")
    if objective is not None and objective.project_id != action.project_id:
        raise ValidationError({"objective": _("Choose an objective of the same project.")})
    if objective is not None and objective.cycle_id != action.objective.cycle_id:
        raise ValidationError(
            {"objective": _("Choose an objective of the same cycle: an action stays in its cycle.")}
        )


def action_save_field(
    *,
    actor: User,
    membership: Membership,
    workspace: Workspace,
    action: Action,
    name: str,
    value: Any,
    version: int,
    original: str | None = None,
) -> Action:
    """One field of one action; partners only on their organisation's actions."""
    _check_action_change(membership=membership, action=action, values={name: value})
    saved = coediting.save_field(
        actor=actor,
        workspace=workspace,
        item=action,
        name=name,
        value=value,
        version=version,
        original=original,
    )
    assert isinstance(saved, Action)
    return saved


def action_save_fields(
    *,
    actor: User,
    membership: Membership,
    workspace: Workspace,
    action: Action,
    values: dict[str, Any],
    version: int,
) -> Action:
    """Several fields of one action at once (the API), with the same rules as one field."""
    _check_action_change(membership=membership, action=action, values=values)
    saved = coediting.save_fields(
        actor=actor, workspace=workspace, item=action, values=values, version=version
    )
    assert isinstance(saved, Action)
    return saved


@transaction.atomic
def action_delete(*, actor: User, workspace: Workspace, action: Action) -> None:
    assert_same_workspace(workspace, action)
    coediting.assert_open(action)
    revision = coediting.bump_revision(action.project)
    coediting.record(actor=actor, item=action, kind=ChangeKind.DELETED, revision=revision)
    action.delete()


@transaction.atomic
def plan_library_import(
    *,
    actor: User,
    workspace: Workspace,
    project: Any,
    stage_codes: list[str],
    language: str,
) -> list[Objective]:
    """Create the library's example objectives (and their actions) of the chosen stages, as drafts."""
    from territories.models import Audience
    from tracer import services as tracer_services
    from tracer.models import TracerStage
    from tracer.reference_data import PLAN_LIBRARY

    fr = language.startswith("fr")
    stages = {s.code: s for s in TracerStage.objects.all()}
    families = {f.code: f for f in MixFamily.objects.all()}
    audiences = {a.code: a for a in Audience.objects.all()}
    created = []
    for stage_code, title_en, title_fr, audience_codes, segment, actions in PLAN_LIBRARY:
        if stage_code not in stage_codes:
            continue
        objective = tracer_services.objective_create(
            actor=actor,
            workspace=workspace,
            project=project,
            stage=stages[stage_code],
            title=title_fr if fr else title_en,
            audiences=[audiences[c] for c in audience_codes],
            segment=segment,
            is_draft=True,
        )
        for family_code, action_en, action_fr in actions:
            action_create(
                actor=actor,
                workspace=workspace,
                objective=objective,
                family=families[family_code],
                title=action_fr if fr else action_en,
                audiences=[audiences[c] for c in audience_codes],
                is_import=True,
            )
        created.append(objective)
    if not created:
        raise ValidationError(_("Choose at least one TRACER stage to import."))
    return created


# --- Matrix cells marked "not relevant for this project" ------------------------------------------

REASON_MAX_LENGTH = IrrelevantCell._meta.get_field("reason").max_length or 300


def _open_cycle_of(*, workspace: Workspace, project: Project, cycle: Cycle) -> Cycle:
    """``cycle`` locked (a cycle closing at the same moment waits, or makes this wait) and open."""
    assert_same_workspace(workspace, project, cycle)
    if cycle.project_id != project.pk:
        raise ValidationError(_("Choose a cycle of this project."))
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    assert_cycle_open(locked)
    return locked


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Say why this cell is not relevant for this project: the reason is required."
                )
            }
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(max)s characters at most.")
                % {"max": REASON_MAX_LENGTH}
            }
        )
    return reason


@transaction.atomic
def irrelevant_cell_mark(
    *,
    actor: User,
    workspace: Workspace,
    project: Project,
    cycle: Cycle,
    stage: TracerStage,
    family: MixFamily,
    reason: str,
) -> IrrelevantCell:
    """Mark a matrix cell "not relevant for this project" in ``cycle``, or change its reason.
    Refused on a closed cycle (409); a reason is required. Co-editors see it at their next poll."""
    reason = _clean_reason(reason)
    locked = _open_cycle_of(workspace=workspace, project=project, cycle=cycle)
    cell = IrrelevantCell.objects.filter(cycle=locked, stage=stage, family=family).first()
    if cell is None:
        cell = IrrelevantCell(
            workspace=workspace, project=project, cycle=locked, stage=stage, family=family
        )
    elif cell.reason == reason:
        return cell
    cell.reason = reason
    cell.marked_by = actor
    cell.marked_at = timezone.now()
    cell.save()
    coediting.bump_revision(project)
    return cell


@transaction.atomic
def irrelevant_cell_unmark(*, actor: User, workspace: Workspace, cell: IrrelevantCell) -> None:
    """The cell counts as a gap again (if it has no action). Refused on a closed cycle (409)."""
    assert_same_workspace(workspace, cell)
    _open_cycle_of(workspace=workspace, project=cell.project, cycle=cell.cycle)
    cell.delete()
    coediting.bump_revision(cell.project)


def irrelevant_cells_carry_over(
    *, workspace: Workspace, cycle: Cycle, following: Cycle
) -> list[IrrelevantCell]:
    """Copy every mark of ``cycle`` into ``following`` (the cycle review calls this inside its
    transaction, ``cycle`` locked). Each copy keeps its reason, author and date."""
    assert_same_workspace(workspace, cycle, following)
    marks = list(IrrelevantCell.objects.filter(cycle=cycle).order_by("id"))
    return IrrelevantCell.objects.bulk_create(
        IrrelevantCell(
            workspace=workspace,
            project_id=mark.project_id,
            cycle=following,
            stage_id=mark.stage_id,
            family_id=mark.family_id,
            reason=mark.reason,
            carried_from=mark,
            marked_by_id=mark.marked_by_id,
            marked_at=mark.marked_at,
        )
        for mark in marks
    )
