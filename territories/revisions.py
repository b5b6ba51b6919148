"""The revisions of a project, and the one place that tells who depends on them.

A project carries two counters: ``plan_revision`` (every change of its plan: objectives,
actions, matrix marks; the co-editing polls read it) and ``evaluation_revision`` (every change
of its evaluation: indicators, measurements; and of what the workspace's dashboard shows of the
project itself). Together with the date they are the dashboards' inputs version
(``evaluation.services.inputs_version``): a change that moves a dashboard figure is a change
that moves one of them, and a change that moves one of them is a dashboard input.

:func:`plan_changed` and :func:`evaluation_changed` are therefore the only writers of the two
counters; the services of every app call them (``tracer.coediting.bump_revision`` for the plan,
``evaluation.services`` for the evaluation, :mod:`territories.services` for a project's name or
archiving), pages and API alike. Each then calls the listeners registered with
:func:`on_change`: apps above this one (``evaluation`` schedules its dashboards) register at
start-up, so this layer imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F

from territories.models import Project

Listener = Callable[[Project], None]

_listeners: list[Listener] = []


def on_change(listener: Listener) -> Listener:
    """Call ``listener(project)`` after every change of a project's revisions (inside the
    change's transaction: a listener with side effects defers them to the commit)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def _changed(project: Project) -> None:
    for listener in _listeners:
        listener(project)


def plan_changed(project: Project) -> int:
    """The next plan revision of ``project`` (the row stays locked until commit)."""
    Project.objects.filter(pk=project.pk).update(plan_revision=F("plan_revision") + 1)
    revision: int = Project.objects.values_list("plan_revision", flat=True).get(pk=project.pk)
    _changed(project)
    return revision


def evaluation_changed(project: Project) -> None:
    """The project's evaluation (or what the workspace's dashboard shows of it) changed."""
    Project.objects.filter(pk=project.pk).update(evaluation_revision=F("evaluation_revision") + 1)
    _changed(project)
