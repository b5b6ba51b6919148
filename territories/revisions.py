"""The revisions of a project, and the one place that tells who depends on them.

A project carries two counters: ``plan_revision`` (every change of its plan: objectives,
actions, matrix marks; the co-editing polls read it) and ``evaluation_revision`` (every change
of its evaluation: indicators, measurements; and of what the workspace's dashboard shows of the
project itself). Together with the date they are the dashboards' inputs version
(``evaluation.services.inputs_version``): a change that moves a dashboard figure is a change
that moves one of them. Not every plan change moves a figure (a title does not): the listeners
get the fields an edit changed, and the dashboards' listener keeps its own list of those it
reads (``evaluation.services.DASHBOARD_PLAN_FIELDS``).

:func:`plan_changed` and :func:`evaluation_changed` are therefore the only writers of the two
counters; the services of every app call them (``tracer.coediting.bump_revision`` for the plan,
``evaluation.services`` for the evaluation, :mod:`territories.services` for a project's name or
archiving), pages and API alike. Each then calls the listeners registered with
:func:`on_change`: apps above this one (``evaluation`` schedules its dashboards) register at
start-up, so this layer imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import F

from territories.models import Project

# A listener gets the project and the names of the plan items' fields that changed, or None when
# anything may have (an item created or deleted, an import, a change of the evaluation).
Listener = Callable[[Project, frozenset[str] | None], None]

_listeners: list[Listener] = []


def on_change(listener: Listener) -> Listener:
    """Call ``listener(project, fields)`` after every change of a project's revisions (inside
    the change's transaction: a listener with side effects defers them to the commit)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def _changed(project: Project, fields: frozenset[str] | None = None) -> None:
    for listener in _listeners:
        listener(project, fields)


def plan_changed(project: Project, fields: Iterable[str] | None = None) -> int:
    """The next plan revision of ``project`` (the row stays locked until commit). ``fields``:
    the plan item's fields an edit changed (None: an item came or went, or several did)."""
    Project.objects.filter(pk=project.pk).update(plan_revision=F("plan_revision") + 1)
    revision: int = Project.objects.values_list("plan_revision", flat=True).get(pk=project.pk)
    _changed(project, None if fields is None else frozenset(fields))
    return revision


def evaluation_changed(project: Project) -> None:
    """The project's evaluation (or what the workspace's dashboard shows of it) changed."""
    Project.objects.filter(pk=project.pk).update(evaluation_revision=F("evaluation_revision") + 1)
    _changed(project)
