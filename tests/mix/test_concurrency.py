"""No lost update: 20 people save the same field of the same action at the same instant.

Real PostgreSQL, real connections: each thread has its own (Django opens one per thread), all
load the same version, meet at a barrier, then save. ``save_field`` locks the row
(``select_for_update``) and compares the version, so exactly one save wins per round and the
other 19 get a :class:`~tracer.coediting.Conflict` that carries the winner's row. 100 rounds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from django.db import connections

from core.models import Membership, User, Workspace
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from mix import services
from mix.models import Action
from territories.models import Project
from tests.browser.conftest import reference_data  # noqa: F401 (the fixture)
from tests.conftest import Personas
from tests.factories import ActionFactory, MembershipFactory, ObjectiveFactory, UserFactory
from tracer.coediting import Conflict
from tracer.models import ChangeKind, PlanChange

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    # Flushing after each transactional test removes the migrations' reference rows.
    pytest.mark.usefixtures("reference_data"),
]

THREADS = 20
ROUNDS = 100
WAIT = 30  # seconds a barrier waits before the test fails instead of hanging


@dataclass
class Outcome:
    thread: int
    title: str
    loaded_version: int
    saved_version: int | None = None  # set by the winner
    conflict_title: str | None = None  # what a loser saw as "theirs"
    conflict_version: int | None = None
    error: BaseException | None = None


@dataclass
class Race:
    workspace: Workspace
    action_pk: int
    people: list[tuple[User, Membership]]
    start: threading.Barrier = field(init=False)  # every thread has loaded the action
    done: threading.Barrier = field(init=False)  # every thread has saved (or lost)
    outcomes: list[list[Outcome]] = field(default_factory=list)
    failures: list[BaseException] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The main thread takes part in both barriers to check each round before the next.
        self.start = threading.Barrier(THREADS + 1, timeout=WAIT)
        self.done = threading.Barrier(THREADS + 1, timeout=WAIT)
        self.outcomes = [[] for _ in range(ROUNDS)]
        self.lock = threading.Lock()

    def run(self, index: int) -> None:
        user, membership = self.people[index]
        try:
            with workspace_scope(self.workspace):
                for number in range(ROUNDS):
                    # Each thread loads the row on its own connection: the editor's GET.
                    action = Action.objects.get(pk=self.action_pk)
                    outcome = Outcome(index, f"Round {number} by person {index}", action.version)
                    self.start.wait()
                    try:
                        saved = services.action_save_field(
                            actor=user,
                            membership=membership,
                            workspace=self.workspace,
                            action=action,
                            name="title",
                            value=outcome.title,
                            version=outcome.loaded_version,
                        )
                    except Conflict as conflict:
                        outcome.conflict_title = conflict.current.title
                        outcome.conflict_version = conflict.current.version
                    except BaseException as error:
                        outcome.error = error
                    else:
                        outcome.saved_version = saved.version
                    with self.lock:
                        self.outcomes[number].append(outcome)
                    self.done.wait()
        except threading.BrokenBarrierError:
            pass  # another thread failed; its error is reported
        except BaseException as error:
            self.failures.append(error)
            self.start.abort()
            self.done.abort()
        finally:
            connections.close_all()  # this thread's connection


def test_twenty_simultaneous_saves_one_wins_nineteen_conflict_no_lost_update(
    personas: Personas,
) -> None:
    workspace = personas.workspace
    people: list[tuple[User, Membership]] = []
    for index in range(THREADS):
        user = UserFactory(email=f"racer{index}@alpha.example", full_name=f"Racer {index:02d}")
        role = Role.OWNER if index == 0 else Role.EDITOR
        people.append((user, MembershipFactory(workspace=workspace, user=user, role=role)))
    objective = ObjectiveFactory(workspace=workspace, title="Be known for wine")
    action = ActionFactory(workspace=workspace, objective=objective, title="Wine fair stand")
    with scopes_disabled():
        start_revision = Project.objects.get(pk=action.project_id).plan_revision
    assert action.version == 1

    race = Race(workspace, action.pk, people)
    threads = [
        threading.Thread(target=race.run, args=(index,), name=f"racer-{index}", daemon=True)
        for index in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    winners: list[Outcome] = []
    try:
        for number in range(ROUNDS):
            race.start.wait()
            race.done.wait()
            outcomes = race.outcomes[number]
            errors = [o.error for o in outcomes if o.error is not None]
            assert not errors, errors
            assert len(outcomes) == THREADS
            assert {o.loaded_version for o in outcomes} == {number + 1}, "not the same version"
            won = [o for o in outcomes if o.saved_version is not None]
            lost = [o for o in outcomes if o.conflict_version is not None]
            assert len(won) == 1, f"round {number}: {len(won)} saves succeeded"
            assert len(lost) == THREADS - 1
            winner = won[0]
            assert winner.saved_version == number + 2
            # Every loser was shown the winner's value and version, never a half-saved row.
            assert {(o.conflict_title, o.conflict_version) for o in lost} == {
                (winner.title, number + 2)
            }
            with scopes_disabled():
                row = Action.objects.get(pk=action.pk)
            assert (row.title, row.version) == (winner.title, number + 2), f"round {number}"
            assert row.updated_by_id == people[winner.thread][0].pk
            winners.append(winner)
    finally:
        race.start.abort()
        race.done.abort()
        for thread in threads:
            thread.join(timeout=WAIT)
    assert not race.failures, race.failures
    assert not any(thread.is_alive() for thread in threads)

    with scopes_disabled():
        row = Action.objects.get(pk=action.pk)
        project = Project.objects.get(pk=action.project_id)
        changes = list(
            PlanChange.objects.filter(target_uuid=action.uuid, kind=ChangeKind.UPDATED).order_by(
                "revision"
            )
        )
    assert row.version == 1 + ROUNDS
    assert row.title == winners[-1].title
    assert project.plan_revision == start_revision + ROUNDS
    # One history row per round, in order, each naming that round's winner: 0 lost updates.
    assert len(changes) == ROUNDS
    assert [c.revision for c in changes] == list(
        range(start_revision + 1, start_revision + ROUNDS + 1)
    )
    assert [(c.field, c.new_value) for c in changes] == [("title", w.title) for w in winners]
    assert [c.old_value for c in changes] == ["Wine fair stand"] + [w.title for w in winners[:-1]]
    assert [c.actor_id for c in changes] == [people[w.thread][0].pk for w in winners]
