from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.roles import PERMISSIONS, can
from core.selectors import user_workspace_memberships


class _Can:
    """``{% if can.territory_create %}`` in templates: may the member do this action?"""

    def __init__(self, role: str | None) -> None:
        self.role = role

    def __getattr__(self, name: str) -> bool:
        action = name if "." in name else name.replace("_", ".", 1)
        if action not in PERMISSIONS:
            raise AttributeError(name)
        return can(self.role, action)

    __getitem__ = __getattr__


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    context: dict[str, Any] = {
        "workspace": getattr(request, "workspace", None),
        "membership": membership,
        "can": _Can(membership.role if membership else None),
    }
    if user is not None and user.is_authenticated:
        context["my_memberships"] = user_workspace_memberships(user=user)
    return context
