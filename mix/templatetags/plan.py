"""Template helpers for the plan's inline editing."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from core.roles import can
from mix.models import Action
from mix.selectors import can_edit_action
from tracer.coediting import display
from tracer.coediting import field_label as coediting_label

register = template.Library()


@register.filter
def field_display(item: Any, name: str) -> str:
    return display(item, name)


@register.simple_tag(takes_context=True)
def field_url(context: Any, item: Any, name: str) -> str:
    kind = "action" if isinstance(item, Action) else "objective"
    return reverse(f"{kind}_field", args=[context["workspace"].slug, item.uuid, name])


@register.simple_tag(takes_context=True)
def can_edit(context: Any, item: Any) -> bool:
    """May the viewer edit this plan item? Partners: their organisation's actions only."""
    membership = context.get("membership")
    if membership is None:
        return False
    if isinstance(item, Action):
        if not can(membership.role, "action.update"):
            return False
        return can_edit_action(membership=membership, action=item, org_ids=context.get("org_ids"))
    return can(membership.role, "objective.update")


@register.filter
def field_label(item: Any, name: str) -> str:
    return coediting_label(type(item), name)


@register.filter
def getfield(form: Any, name: str) -> Any:
    return form[name]


@register.filter
def kind_of(item: Any) -> str:
    return "action" if isinstance(item, Action) else "objective"
