from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.roles import PERMISSIONS, can
from core.selectors import unread_count, user_workspace_memberships


class _Can:
    """``{% if can.territory_create %}`` in templates: may the member do this action?
    ``denied`` names actions refused whatever the role (a closed cycle's plan writes)."""

    def __init__(self, role: str | None, denied: frozenset[str] = frozenset()) -> None:
        self.role = role
        self.denied = denied

    def without(self, actions: frozenset[str]) -> _Can:
        """The same permissions with ``actions`` refused."""
        return _Can(self.role, self.denied | actions)

    def __getattr__(self, name: str) -> bool:
        """``partner_org_manage`` -> "partner_org.manage": the dot may replace any underscore."""
        candidates = (
            [name]
            if "." in name
            else [f"{name[:i]}.{name[i + 1 :]}" for i, char in enumerate(name) if char == "_"]
        )
        for action in candidates:
            if action in PERMISSIONS:
                return action not in self.denied and can(self.role, action)
        raise AttributeError(name)

    __getitem__ = __getattr__


def permissions_for(membership: Any) -> _Can:
    """The ``can`` of a member's pages (a view may narrow it, e.g. on a closed cycle)."""
    return _Can(membership.role if membership else None)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    context: dict[str, Any] = {
        "workspace": getattr(request, "workspace", None),
        "membership": membership,
        "can": permissions_for(membership),
    }
    if user is not None and user.is_authenticated:
        context["my_memberships"] = user_workspace_memberships(user=user)
        if membership is not None:
            # A callable: the template calls it (one COUNT) only where the bell is drawn.
            context["unread_notifications"] = _UnreadCount(membership.workspace, user)
    return context


class _UnreadCount:
    """The bell's count, queried on first use and at most once per render."""

    def __init__(self, workspace: Any, user: Any) -> None:
        self.workspace, self.user = workspace, user
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = unread_count(workspace=self.workspace, user=self.user)
        return self.value
