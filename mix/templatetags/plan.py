"""Template helpers for the plan's inline editing."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.roles import can
from mix.models import ACTION_STATUS_COUNTS, Action
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
    if membership is None or context.get("read_only"):
        return False
    if isinstance(item, Action):
        if not can(membership.role, "action.update"):
            return False
        return can_edit_action(membership=membership, action=item, org_ids=context.get("org_ids"))
    return can(membership.role, "objective.update")


@register.filter
def status_count(status: str, count: int) -> str:
    """ "<strong>6</strong> ideas": the count of actions in one status, with its plural form."""
    text = ACTION_STATUS_COUNTS[status] % {"count": int(count)}
    return mark_safe(text)  # noqa: S308 - our own catalogue's text around an integer


@register.filter
def field_label(item: Any, name: str) -> str:
    return coediting_label(type(item), name)


@register.filter
def getfield(form: Any, name: str) -> Any:
    return form[name]


@register.filter
def kind_of(item: Any) -> str:
    return "action" if isinstance(item, Action) else "objective"


_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
# Fields the board's cards show on one line, cut with an ellipsis.
_ONE_LINE_FIELDS = frozenset({"lead_partner"})


def _field_url(context: Any, item: Any, kind: str, name: str) -> str:
    """The inline editor's URL, reversed once per template render and per kind."""
    cache = context.render_context.setdefault("plan_field_urls", {})
    base = cache.get(kind)
    if base is None:
        base = reverse(f"{kind}_field", args=[context["workspace"].slug, _PLACEHOLDER, "NAME"])
        cache[kind] = base
    return base.replace(_PLACEHOLDER, str(item.uuid)).replace("/NAME/", f"/{name}/")


_EDIT_PREFIXES: dict[tuple[str, type, str], str] = {}


def _edit_prefix(item: Any, name: str) -> str:
    """ "Edit title: ", translated once per language, model and field."""
    key = (get_language() or "en", type(item), name)
    prefix = _EDIT_PREFIXES.get(key)
    if prefix is None:
        # The colon from the catalogue: French puts a no-break space before it.
        prefix = _("Edit %(field)s") % {"field": field_label(item, name).lower()} + _(":") + " "
        _EDIT_PREFIXES[key] = prefix
    return prefix


@register.simple_tag(takes_context=True)
def plan_field(context: Any, item: Any, name: str, oob: bool = False) -> str:
    """One field of an objective or an action, as people read it. For whoever may edit the item
    it is a button that opens the field's inline editor (its name: "Edit title: <value>").
    Rendered in Python: boards and tables draw thousands of these."""
    kind = kind_of(item)
    dom_id = f"{kind}-{item.uuid}-{name}"
    value = display(item, name)
    oob_attr = mark_safe(' hx-swap-oob="true"') if oob else ""
    editable = item.__dict__.get("_viewer_can_edit")
    if editable is None:
        editable = can_edit(context, item)
        item.__dict__["_viewer_can_edit"] = editable
    # Cards cut these to one line: the whole value shows on hover (and is read out in full).
    title_attr = f' title="{escape(value)}"' if value and name in _ONE_LINE_FIELDS else ""
    # Plain string building with explicit escaping: format_html is the slow part at this volume.
    if not editable:
        return mark_safe(  # noqa: S308 - every piece is escaped or ours
            f'<span id="{dom_id}"{oob_attr}{title_attr} class="field-{name}">'
            f"{escape(value or '—')}</span>"
        )
    content = (
        escape(value) if value else f'<span class="placeholder">{escape(_placeholder())}</span>'
    )
    url = escape(_field_url(context, item, kind, name))
    return mark_safe(  # noqa: S308 - every piece is escaped or ours
        f'<button type="button" id="{dom_id}"{oob_attr}{title_attr} class="editable field-{name}"'
        f' hx-get="{url}"'
        f' hx-swap="outerHTML"><span class="visually-hidden">{escape(_edit_prefix(item, name))}'
        f"</span>{content}</button>"
    )


_PLACEHOLDERS: dict[str, str] = {}


def _placeholder() -> str:
    language = get_language() or "en"
    if language not in _PLACEHOLDERS:
        _PLACEHOLDERS[language] = _("Add…")
    return _PLACEHOLDERS[language]
