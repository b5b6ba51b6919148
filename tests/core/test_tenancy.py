"""The scope is fail-closed: no query on workspace-owned data without an active workspace."""

from __future__ import annotations

import pytest
from django.apps import apps

from core.models import Membership
from core.tenancy import ScopedManager, ScopeError, WorkspaceOwned, scopes_disabled, workspace_scope
from territories.models import Project, Territory
from tests.factories import TerritoryFactory, WorkspaceFactory


def workspace_owned_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, WorkspaceOwned)]


def test_every_workspace_owned_model_uses_the_scoped_manager() -> None:
    models = workspace_owned_models()
    assert {m.__name__ for m in models} >= {
        "Membership",
        "Invitation",
        "Territory",
        "Project",
        "Cycle",
        "PartnerOrganisation",
    }
    for model in models:
        assert isinstance(model._default_manager, ScopedManager), model
        assert model._default_manager.name == "objects", model
        # Framework internals (cascades, FK access) use the plain base manager.
        assert not isinstance(model._base_manager, ScopedManager), model


def test_every_model_with_a_workspace_fk_is_workspace_owned() -> None:
    for model in apps.get_models():
        if any(
            f.name == "workspace" for f in model._meta.get_fields()
        ) and model._meta.app_label not in {"admin"}:
            assert issubclass(model, WorkspaceOwned), (
                f"{model.__name__} has a workspace but no scoped manager"
            )


@pytest.mark.django_db
@pytest.mark.parametrize("model", workspace_owned_models(), ids=lambda m: m.__name__)
def test_querying_without_a_scope_raises(model: type) -> None:
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.count()


@pytest.mark.django_db
def test_the_scope_filters_by_workspace() -> None:
    a, b = WorkspaceFactory(), WorkspaceFactory()
    ta = TerritoryFactory(workspace=a, name="In A")
    TerritoryFactory(workspace=b, name="In B")
    with workspace_scope(a):
        assert list(Territory.objects.values_list("name", flat=True)) == ["In A"]
        assert Territory.objects.filter(pk=ta.pk).exists()
    with workspace_scope(b):
        assert not Territory.objects.filter(pk=ta.pk).exists()
        assert Project.objects.count() == 0
    with scopes_disabled():
        assert Territory.objects.count() == 2


@pytest.mark.django_db
def test_related_managers_are_scoped_too(personas) -> None:
    user = personas.users["owner"]
    with pytest.raises(ScopeError):
        list(user.memberships.all())
    with workspace_scope(personas.workspace):
        assert [m.workspace_id for m in user.memberships.all()] == [personas.workspace.pk]


@pytest.mark.django_db
def test_saving_outside_a_scope_without_a_workspace_raises() -> None:
    with pytest.raises(ScopeError):
        Territory(name="Nowhere", kind="city").save()


@pytest.mark.django_db
def test_the_scope_is_reset_after_the_block() -> None:
    ws = WorkspaceFactory()
    with workspace_scope(ws):
        pass
    with pytest.raises(ScopeError):
        Membership.objects.count()
