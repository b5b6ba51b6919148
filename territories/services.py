"""Writes for territories, projects and cycles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import Refused
from core.models import User, Workspace
from core.tenancy import assert_same_workspace
from territories import revisions
from territories.models import Cycle, CycleStatus, Project, Territory

TERRITORY_FIELDS = ("name", "kind", "parent", "description")
PROJECT_FIELDS = ("territory", "name", "ambition", "status", "start_date")


def _check_parent(territory: Territory, parent: Territory | None) -> None:
    seen = set()
    node = parent
    while node is not None:
        if node.pk == territory.pk or node.pk in seen:
            raise ValidationError({"parent": _("A territory cannot sit inside itself.")})
        seen.add(node.pk)
        node = node.parent
    if parent is not None and parent.is_archived:
        raise ValidationError({"parent": _("The parent territory is archived.")})


def _save(instance: Any, *, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # a concurrent request won the race
        raise ValidationError(
            _("This conflicts with a change saved at the same moment. Please try again.")
        ) from exc


@transaction.atomic
def territory_create(*, actor: User, workspace: Workspace, **data: Any) -> Territory:
    parent = data.get("parent")
    assert_same_workspace(workspace, parent)
    territory = Territory(workspace=workspace, created_by=actor)
    for field in TERRITORY_FIELDS:
        if field in data:
            setattr(territory, field, data[field])
    _check_parent(territory, parent)
    _save(territory)
    return territory


@transaction.atomic
def territory_update(
    *, actor: User, workspace: Workspace, territory: Territory, **data: Any
) -> Territory:
    assert_same_workspace(workspace, territory, data.get("parent"))
    for field in TERRITORY_FIELDS:
        if field in data:
            setattr(territory, field, data[field])
    _check_parent(territory, territory.parent)
    _save(territory)
    return territory


@transaction.atomic
def territory_set_archived(
    *, actor: User, workspace: Workspace, territory: Territory, archived: bool
) -> Territory:
    assert_same_workspace(workspace, territory)
    if archived:
        active = Project.objects.filter(territory=territory, archived_at__isnull=True).count()
        if active:
            raise ValidationError(
                ngettext(
                    "Archive its %(count)d active project first.",
                    "Archive its %(count)d active projects first.",
                    active,
                )
                % {"count": active}
            )
    territory.archived_at = timezone.now() if archived else None
    _save(territory)
    return territory


@transaction.atomic
def project_create(*, actor: User, workspace: Workspace, **data: Any) -> Project:
    """A new project starts in cycle 1, opened on its start date."""
    assert_same_workspace(workspace, data.get("territory"))
    project = Project(workspace=workspace, created_by=actor)
    for field in PROJECT_FIELDS:
        if field in data:
            setattr(project, field, data[field])
    if project.territory_id and project.territory.is_archived:
        raise ValidationError({"territory": _("This territory is archived.")})
    _save(project)
    Cycle.objects.create(
        workspace=workspace,
        project=project,
        number=1,
        started_on=project.start_date or dt.date.today(),
    )
    revisions.evaluation_changed(project)  # the workspace's dashboard counts it
    return project


@transaction.atomic
def project_update(*, actor: User, workspace: Workspace, project: Project, **data: Any) -> Project:
    assert_same_workspace(workspace, project, data.get("territory"))
    changed_territory = "territory" in data and data["territory"] != project.territory
    for field in PROJECT_FIELDS:
        if field in data:
            setattr(project, field, data[field])
    if changed_territory and project.territory.is_archived:
        raise ValidationError({"territory": _("This territory is archived.")})
    _save(project)
    revisions.evaluation_changed(project)  # the workspace's dashboard names it
    return project


@transaction.atomic
def project_set_archived(
    *, actor: User, workspace: Workspace, project: Project, archived: bool
) -> Project:
    assert_same_workspace(workspace, project)
    if not archived and project.territory.is_archived:
        raise ValidationError(
            _("Restore its territory first: %(name)s is archived.")
            % {"name": project.territory.name}
        )
    project.archived_at = timezone.now() if archived else None
    _save(project)
    revisions.evaluation_changed(project)  # the workspace's dashboard adds up active ones
    return project


class CycleClosed(Refused):
    """Everything recorded in a closed cycle is read-only."""


def assert_cycle_open(cycle: Cycle | int | None) -> None:
    """Refuse any change to what belongs to a closed cycle (its plan, its governance records).

    Takes the cycle or its id; one query when only the id is known.
    """
    if cycle is None:
        return
    if isinstance(cycle, int):
        closed = Cycle.objects.filter(pk=cycle, status=CycleStatus.CLOSED).exists()
    else:
        closed = cycle.status == CycleStatus.CLOSED
    if closed:
        raise CycleClosed(
            _(
                "This belongs to a closed cycle: closed cycles are read-only. Work in the open cycle."
            )
        )
