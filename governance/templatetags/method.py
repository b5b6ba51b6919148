"""``{% method_position project %}``: where a project stands in the method, for the project home.

A template tag keeps ``territories`` (a lower layer) from importing ``governance``.
"""

from __future__ import annotations

from typing import Any

from django import template

from governance.selectors import method_position as select_position

register = template.Library()


@register.inclusion_tag("governance/_method_home.html", takes_context=True)
def method_position(context: dict[str, Any], project: Any) -> dict[str, Any]:
    return {
        "project": project,
        "workspace": context.get("workspace"),
        "position": select_position(project=project),
    }
