"""Writes for objectives. Field edits go through :func:`tracer.coediting.save_field`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Membership, User, Workspace
from core.tenancy import assert_same_workspace
from territories.models import Project
from tracer import coediting
from tracer.models import ChangeKind, Objective
from tracer.selectors import current_cycle

OBJECTIVE_FIELDS = (
    "title",
    "description",
    "stage",
    "segment",
    "priority",
    "owner",
    "audiences",
    "is_draft",
)


@transaction.atomic
def objective_create(
    *,
    actor: User,
    workspace: Workspace,
    project: Project,
    stage: Any,
    title: str,
    description: str = "",
    audiences: Any = (),
    segment: str = "",
    priority: int = 2,
    owner: Membership | None = None,
    is_draft: bool = False,
    carried_from: Objective | None = None,
) -> Objective:
    """A new objective in the project's current cycle (a copy of ``carried_from``, an objective
    of the previous cycle, when the cycle review carries it over)."""
    assert_same_workspace(workspace, project, owner, carried_from)
    cycle = current_cycle(project=project)
    coediting.assert_cycle_open(cycle)
    objective = Objective(
        workspace=workspace,
        project=project,
        cycle=cycle,
        stage=stage,
        title=title.strip(),
        description=description,
        segment=segment,
        priority=priority,
        owner=owner,
        is_draft=is_draft,
        carried_from=carried_from,
        created_by=actor,
        updated_by=actor,
    )
    objective.full_clean(exclude=["revision", "version"])
    objective.revision = coediting.bump_revision(project)
    objective.save()
    objective.audiences.set(audiences)
    coediting.record(
        actor=actor,
        item=objective,
        kind=ChangeKind.IMPORTED if is_draft else ChangeKind.CREATED,
        revision=objective.revision,
    )
    return objective


def _check_objective_change(values: dict[str, Any]) -> None:
    unknown = [name for name in values if name not in OBJECTIVE_FIELDS]
    if unknown:
        raise ValidationError({name: _("This field cannot be edited here.") for name in unknown})


def objective_save_field(
    *,
    actor: User,
    workspace: Workspace,
    objective: Objective,
    name: str,
    value: Any,
    version: int,
    original: str | None = None,
) -> Objective:
    _check_objective_change({name: value})
    saved = coediting.save_field(
        actor=actor,
        workspace=workspace,
        item=objective,
        name=name,
        value=value,
        version=version,
        original=original,
    )
    assert isinstance(saved, Objective)
    return saved


def objective_save_fields(
    *, actor: User, workspace: Workspace, objective: Objective, values: dict[str, Any], version: int
) -> Objective:
    """Several fields of one objective at once (the API)."""
    _check_objective_change(values)
    saved = coediting.save_fields(
        actor=actor, workspace=workspace, item=objective, values=values, version=version
    )
    assert isinstance(saved, Objective)
    return saved


@transaction.atomic
def objective_delete(*, actor: User, workspace: Workspace, objective: Objective) -> None:
    """Delete an objective and its actions (the history keeps their trace)."""
    assert_same_workspace(workspace, objective)
    coediting.assert_open(objective)
    revision = coediting.bump_revision(objective.project)
    for action in objective.actions.all():
        coediting.record(actor=actor, item=action, kind=ChangeKind.DELETED, revision=revision)
    coediting.record(actor=actor, item=objective, kind=ChangeKind.DELETED, revision=revision)
    objective.delete()
