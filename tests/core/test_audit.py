"""The audit log keeps each security event once, per workspace, and never lets it change."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import RequestFactory

from core import audit
from core.models import AuditEvent, AuditLogIsAppendOnly, Membership
from core.tenancy import workspace_scope


@pytest.mark.django_db
def test_an_event_keeps_who_what_on_what_and_from_where(
    personas: Any, caplog: pytest.LogCaptureFixture
) -> None:
    owner = personas.user("owner")
    workspace = personas.workspace
    membership = Membership.unscoped_objects.filter(workspace=workspace).first()
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    request.user = owner
    with caplog.at_level(logging.INFO, logger="territoria.audit"):
        entry = audit.record(
            event=audit.Event.ROLE_CHANGED,
            workspace=workspace,
            request=request,
            target=membership,
            before="viewer",
            after="editor",
        )
    assert entry.actor == owner
    assert entry.actor_label == owner.email
    assert entry.target_type == "core.Membership"
    assert entry.target_label == str(membership)
    assert entry.ip == "203.0.113.7"
    assert entry.detail == {"before": "viewer", "after": "editor"}
    assert "role_changed" in caplog.text and "203.0.113.7" in caplog.text
    with workspace_scope(workspace):
        assert list(AuditEvent.objects.all()) == [entry]


@pytest.mark.django_db
def test_the_log_is_never_edited(personas: Any) -> None:
    entry = audit.record(
        event=audit.Event.TOKEN_CREATED, workspace=personas.workspace, target="CI token"
    )
    entry.target_label = "something else"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.unscoped_objects.filter(pk=entry.pk).update(target_label="x")
    with workspace_scope(personas.workspace), pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.update(target_label="x")
    entry.refresh_from_db()
    assert entry.target_label == "CI token"


@pytest.mark.django_db
def test_another_workspace_never_sees_the_event(personas: Any) -> None:
    audit.record(event=audit.Event.TOKEN_REVOKED, workspace=personas.workspace, target="t")
    with workspace_scope(personas.other_workspace):
        assert not AuditEvent.objects.exists()
