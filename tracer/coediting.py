"""Live co-editing of plan items (objectives here, actions in ``mix``), field by field.

Every save names the version it started from. Inside one transaction the row is locked
(``select_for_update``) and its version compared: a different version means someone saved in
between, and :class:`Conflict` carries their row so the page can show theirs and yours. A
successful save bumps the item's version, the project's plan revision (which co-editors poll) and
records the change, field by field, in :class:`PlanChange`.

History rows hold codes and raw values, never text in the writer's language (see
:func:`raw`); :func:`describe` renders them in the reader's language when they are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django import forms
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import webhooks
from core.models import Membership, User, Workspace
from core.tenancy import assert_same_workspace
from territories import revisions
from territories.models import Project
from territories.services import assert_cycle_open
from tracer.models import ChangeKind, Objective, PlanChange, PlanItem


def assert_open(item: PlanItem | None) -> None:
    """Closed cycles are read-only: the one check every plan write (create, field, delete) makes.

    An objective knows its cycle; an action is in its objective's cycle.
    """
    if item is None:
        return
    cycle_id = getattr(item, "cycle_id", None)
    if cycle_id is None and getattr(item, "objective_id", None):
        cycle_id = Objective.objects.values_list("cycle_id", flat=True).get(
            pk=item.objective_id  # type: ignore[attr-defined]
        )
    assert_cycle_open(cycle_id)


class Conflict(Exception):
    """The item changed since the editor loaded it."""

    def __init__(self, current: PlanItem, field: str) -> None:
        super().__init__(f"{current} changed (now version {current.version})")
        self.current = current
        self.field = field


def display(obj: models.Model, name: str) -> str:
    """A field's value as people read it (history, conflict screen, CSV)."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(o) for o in getattr(obj, name).all())
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if getattr(field, "choices", None):
        return _choice_label(type(obj), name, value)
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return amount(value)
    return str(value)


def amount(value: Decimal) -> str:
    """An amount of a plan item (their decimals are budgets in euros) as the language writes
    it: "12,000 €", "12 000 €", cents only when there are some; never "12000.00"."""
    places = 0 if value == value.to_integral_value() else 2
    number = formats.number_format(value, places, use_l10n=True, force_grouping=True)
    return f"{number}\xa0€"


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# --- History values: stored raw, rendered in the reader's language ------------------------------


def reference_key(model: type[models.Model]) -> str:
    """How a history row names a row of ``model``: reference data by its stable ``code``,
    a workspace's rows by their ``uuid`` (never by an integer primary key when avoidable)."""
    names = {f.name for f in model._meta.fields}
    return next((n for n in ("code", "uuid") if n in names), "pk")


def _related_rows(obj: models.Model, name: str) -> list[models.Model]:
    field = obj._meta.get_field(name)
    rows = list(getattr(obj, name).all())
    if not field.related_model._meta.ordering:  # type: ignore[union-attr]
        key = reference_key(field.related_model)  # type: ignore[arg-type]
        rows.sort(key=lambda o: str(getattr(o, key)))
    return rows


def raw(obj: models.Model, name: str) -> str:
    """A field's value as a history row stores it, the same in every language: choice codes,
    reference-data codes (``mix.promotion``), UUIDs of a workspace's rows (comma-separated for
    many-to-many, in the field's order), ISO dates, decimals with the field's decimal places,
    ``true``/``false``; free text as written."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        key = reference_key(field.related_model)  # type: ignore[arg-type]
        return ",".join(str(getattr(o, key)) for o in _related_rows(obj, name))
    if field.is_relation:
        related = getattr(obj, name)
        return "" if related is None else str(getattr(related, reference_key(type(related))))
    value = getattr(obj, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None) or 0
        return format(value, f".{places}f")
    return str(value)


def snapshot(obj: models.Model, name: str) -> str:
    """What a reference read as when the change was made: shown in the history only when the
    row it names is gone since (a partner deleted). Empty for every other field."""
    if obj._meta.get_field(name).is_relation:
        return display(obj, name)
    return ""


# A referenced model -> what its label needs loaded with it (``str(membership)`` names the user).
_LABEL_RELATED: dict[str, tuple[str, ...]] = {"core.membership": ("user",)}


def _field_or_none(model: type[models.Model] | None, name: str) -> Any:
    if model is None or not name:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since: shown by its code
        return None


def _reference_keys(field: Any, value: str) -> list[str]:
    if not value:
        return []
    return value.split(",") if field.many_to_many else [value]


def _valid_keys(model: type[models.Model], key: str, keys: set[str]) -> list[Any]:
    """The keys a query may look up (old rows may hold text where a UUID is expected)."""
    if key == "code":
        return sorted(keys)
    valid = []
    pk = model._meta.pk
    assert pk is not None
    target: Any = model._meta.get_field("uuid") if key == "uuid" else pk
    for value in keys:
        try:
            valid.append(target.to_python(value))
        except (ValidationError, ValueError, TypeError):
            continue
    return valid


def _render(
    model: type[models.Model],
    field: Any,
    value: str,
    label: str,
    labels: Mapping[type[models.Model], Mapping[str, str]],
) -> str:
    """One stored value in the active language; the snapshot, then the text as stored, when it
    cannot be read (a deleted partner, a row written before values were stored raw)."""
    if value == "" or field is None:
        return value
    try:
        if field.is_relation:
            found = labels.get(field.related_model, {})
            names = [found.get(key) for key in _reference_keys(field, value)]
            if any(n is None for n in names):
                return label or value
            return ", ".join(str(n) for n in names)
        if getattr(field, "choices", None):
            code = field.to_python(value)
            if code not in dict(field.flatchoices):
                return label or value
            return _choice_label(model, field.name, code)
        if isinstance(field, models.BooleanField):
            if value not in ("true", "false"):
                return label or value
            return _yes_no(value == "true")
        if isinstance(field, models.DateField):
            return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        if isinstance(field, models.DecimalField):
            return amount(Decimal(value))
    except (ValidationError, ValueError, TypeError, InvalidOperation):
        return label or value
    return value


def describe(
    changes: Iterable[PlanChange], *, models_by_type: Mapping[str, type[models.Model]]
) -> list[PlanChange]:
    """``changes`` with ``field_name``, ``old_display`` and ``new_display`` set in the active
    language. The rows they name are read in one query per referenced model, whatever the
    number of changes. ``models_by_type`` maps a ``target_type`` to its model (``mix`` knows
    actions, this app does not)."""
    changes = list(changes)
    wanted: dict[type[models.Model], set[str]] = {}
    for change in changes:
        field = _field_or_none(models_by_type.get(change.target_type), change.field)
        if field is not None and field.is_relation:
            keys = wanted.setdefault(field.related_model, set())
            keys.update(_reference_keys(field, change.old_value))
            keys.update(_reference_keys(field, change.new_value))
    labels: dict[type[models.Model], dict[str, str]] = {}
    for related, keys in wanted.items():
        key = reference_key(related)
        valid = _valid_keys(related, key, keys)
        found = labels.setdefault(related, {})
        if not valid:
            continue
        rows = related._default_manager.filter(**{f"{key}__in": valid})
        rows = rows.select_related(*_LABEL_RELATED.get(related._meta.label_lower, ()))
        for row in rows:
            found[str(getattr(row, key))] = str(row)
    for change in changes:
        model = models_by_type.get(change.target_type)
        field = _field_or_none(model, change.field)
        shown = {"field_name": change.field}
        if model is not None and field is not None:
            shown["field_name"] = field_label(model, change.field)
        for side in ("old", "new"):
            value, label = getattr(change, f"{side}_value"), getattr(change, f"{side}_label")
            shown[f"{side}_display"] = (
                _render(model, field, value, label, labels) if model is not None else value
            )
        change.__dict__.update(shown)
    return changes


_CHOICE_LABELS: dict[tuple[str, type[models.Model], str, Any], str] = {}


def _choice_label(model: type[models.Model], name: str, value: Any) -> str:
    """A choice's label, translated once per language (boards draw thousands of them)."""
    key = (get_language() or "en", model, name, value)
    label = _CHOICE_LABELS.get(key)
    if label is None:
        choices = dict(model._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
        label = str(choices.get(value, value))
        _CHOICE_LABELS[key] = label
    return label


def field_label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def formfield(model: type[models.Model], name: str, *, choices: Any = None) -> forms.Field:
    """The form field that parses one model field; ``choices`` narrows related querysets."""
    field = model._meta.get_field(name).formfield()  # type: ignore[union-attr]
    assert field is not None, name
    if isinstance(field, forms.ModelChoiceField):
        if choices is not None:
            field.queryset = choices
        # The page names related rows by their public identifier, never by integer primary key.
        assert field.queryset is not None, name
        names = {f.name for f in field.queryset.model._meta.fields}
        field.to_field_name = next((n for n in ("uuid", "code") if n in names), None)
    if isinstance(field, forms.DateField):
        field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return field


def _same_value(item: PlanItem, name: str, value: Any) -> bool:
    field = item._meta.get_field(name)
    if field.many_to_many:
        return {o.pk for o in getattr(item, name).all()} == {o.pk for o in value}
    return bool(getattr(item, name) == value)


def _unrelated_fields(model: type[models.Model], name: str) -> set[str]:
    involved = {name}
    for constraint in model._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if condition is not None:
            fields = set(condition.referenced_base_fields)
            if name in fields:
                involved |= fields
    return {f.name for f in model._meta.concrete_fields} - involved


def bump_revision(project: Project, fields: Iterable[str] | None = None) -> int:
    """The next plan revision of ``project``; the row stays locked until commit. The plan is a
    dashboard input: :func:`territories.revisions.plan_changed` tells the dashboards too, with
    the fields an edit changed (``None``: an item came or went)."""
    return revisions.plan_changed(project, fields)


def item_cycle_id(item: PlanItem) -> int:
    """The cycle of an objective, or of an action (its objective's cycle)."""
    if hasattr(item, "cycle_id"):
        return item.cycle_id
    return item.objective.cycle_id  # type: ignore[attr-defined]


class FieldChange(NamedTuple):
    """One field of a change: raw values (see :func:`raw`) and, for references, their labels."""

    field: str
    old: str
    new: str
    old_label: str = ""
    new_label: str = ""


def record(
    *,
    actor: User | None,
    item: PlanItem,
    kind: str,
    revision: int,
    changes: Iterable[FieldChange] = (),
) -> None:
    """Write the history rows of one change, one per changed field."""
    model = type(item)
    base = {
        "workspace_id": item.workspace_id,
        "project_id": item.project_id,  # type: ignore[attr-defined]
        "cycle_id": item_cycle_id(item),
        "target_type": model._meta.model_name,
        "target_uuid": item.uuid,
        "target_label": item.title[:200],
        "kind": kind,
        "actor": actor,
        "revision": revision,
        "at": timezone.now(),
    }
    rows = [
        PlanChange(
            **base,
            field=change.field,
            old_value=change.old,
            new_value=change.new,
            old_label=change.old_label,
            new_label=change.new_label,
        )
        for change in changes
    ] or [PlanChange(**base)]
    PlanChange.objects.bulk_create(rows)
    announce(item=item, kind=kind)


# A recorded change -> its webhook event (``objective.created``, ``action.deleted``...).
_EVENT_VERBS: dict[str, str] = {
    ChangeKind.CREATED: "created",
    ChangeKind.IMPORTED: "created",
    ChangeKind.UPDATED: "updated",
    ChangeKind.DELETED: "deleted",
}


def announce(*, item: PlanItem, kind: str) -> None:
    """The webhook event of a change, queued in its transaction (see :func:`core.webhooks.emit`):
    every change of an objective or an action goes through :func:`record`, which calls this."""
    verb = _EVENT_VERBS[kind]
    webhooks.emit(
        workspace=item.workspace_id,
        event=f"{type(item)._meta.model_name}.{verb}",
        obj=item,
        # A deleted object is gone: its id is all there is to say.
        data={"id": str(item.uuid)} if verb == "deleted" else None,
    )


def save_field(
    *,
    actor: User,
    workspace: Workspace,
    item: PlanItem,
    name: str,
    value: Any,
    version: int,
    original: str | None = None,
) -> PlanItem:
    """Set one field if nobody changed it since ``version``; raise :class:`Conflict` otherwise.

    ``original`` is the field's value as the editor showed it. When the item moved on but this
    field still reads ``original`` (someone changed another field), the save goes through; when
    the field already holds the value being saved, there is nothing to do. Without ``original``
    any newer version is a conflict.
    """
    assert_same_workspace(workspace, item)
    model = type(item)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=item.pk)
        _assert_writable(current, {name: value})
        if current.version != version:
            if _same_value(current, name, value):
                return current
            if original is None or display(current, name) != original:
                raise Conflict(current, name)
        return _apply(actor=actor, current=current, values={name: value})


def save_fields(
    *,
    actor: User,
    workspace: Workspace,
    item: PlanItem,
    values: dict[str, Any],
    version: int,
) -> PlanItem:
    """Set several fields at once if nobody changed the item since ``version`` (the API's PATCH):
    one new version, one plan revision, one history row per field that changed."""
    assert_same_workspace(workspace, item)
    model = type(item)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=item.pk)
        _assert_writable(current, values)
        if current.version != version:
            raise Conflict(current, next(iter(values), ""))
        if not values:
            return current
        return _apply(actor=actor, current=current, values=values)


def _assert_writable(current: PlanItem, values: dict[str, Any]) -> None:
    """The item's cycle is open, and so is the one an action would move into."""
    assert_open(current)
    if values.get("objective") is not None:
        assert_open(values["objective"])


def _apply(*, actor: User, current: PlanItem, values: dict[str, Any]) -> PlanItem:
    """Write ``values`` on the locked ``current``: validate the fields involved, bump, record."""
    model = type(current)
    old = {name: (raw(current, name), snapshot(current, name)) for name in values}
    for name, value in values.items():
        if model._meta.get_field(name).many_to_many:
            getattr(current, name).set(value)
        else:
            setattr(current, name, value)
    # Validate these fields and every constraint that involves them, nothing else.
    exclude = set.intersection(*(_unrelated_fields(model, name) for name in values))
    current.full_clean(exclude=exclude, validate_unique=False)
    changes = [
        FieldChange(name, old[name][0], new, old[name][1], snapshot(current, name))
        for name in values
        if (new := raw(current, name)) != old[name][0]
    ]
    if not changes:
        return current
    current.revision = bump_revision(
        current.project,  # type: ignore[attr-defined]
        fields=[change.field for change in changes],
    )
    current.version += 1  # the row is locked: nobody else can move it meanwhile
    current.updated_by = actor
    current.save()
    record(
        actor=actor,
        item=current,
        kind=ChangeKind.UPDATED,
        revision=current.revision,
        changes=changes,
    )
    return current


# --- Presence: who is editing what, kept for a few seconds in the cache --------------------------

PRESENCE_TTL = 15  # seconds; the open editor pings every 5 s


def _presence_key(project: Project) -> str:
    return f"presence:{project.workspace_id}:{project.pk}"


def presence_ping(*, project: Project, membership: Membership, target: str) -> None:
    """``target`` is "action:<uuid>" or "objective:<uuid>"."""
    key = _presence_key(project)
    now = timezone.now().timestamp()
    state: dict[str, dict[str, Any]] = cache.get(key) or {}
    state = {k: v for k, v in state.items() if v["until"] > now}
    state[f"{target}:{membership.user_id}"] = {
        "target": target,
        "user_id": membership.user_id,
        "name": membership.user.display_name,
        "until": now + PRESENCE_TTL,
    }
    cache.set(key, state, PRESENCE_TTL * 4)


def presence_leave(*, project: Project, membership: Membership, target: str) -> None:
    key = _presence_key(project)
    state: dict[str, dict[str, Any]] = cache.get(key) or {}
    if state.pop(f"{target}:{membership.user_id}", None) is not None:
        cache.set(key, state, PRESENCE_TTL * 4)


def presence_list(*, project: Project, exclude_user_id: int | None = None) -> dict[str, list[str]]:
    """target -> names of the people editing it now (the viewer left out)."""
    now = timezone.now().timestamp()
    state: dict[str, dict[str, Any]] = cache.get(_presence_key(project)) or {}
    result: dict[str, list[str]] = {}
    for entry in sorted(state.values(), key=lambda e: e["name"]):
        if entry["until"] > now and entry["user_id"] != exclude_user_id:
            result.setdefault(entry["target"], []).append(entry["name"])
    return result


def changed_targets(*, project: Project, since: int) -> dict[str, dict[str, set[Any]]]:
    """What changed after revision ``since``: {"objective"|"action": {kind: {uuid, ...}}}."""
    result: dict[str, dict[str, set[Any]]] = {"objective": {}, "action": {}}
    rows = (
        PlanChange.objects.filter(project=project, revision__gt=since)
        .values_list("target_type", "kind", "target_uuid")
        .distinct()
    )
    for target_type, kind, uuid in rows:
        result[target_type].setdefault(kind, set()).add(uuid)
    return result


def field_error_message(error: ValidationError, name: str) -> list[str]:
    if hasattr(error, "error_dict"):
        messages: Sequence[Any] = error.error_dict.get(name) or [
            e for errors in error.error_dict.values() for e in errors
        ]
        return [m for e in messages for m in (e.messages if hasattr(e, "messages") else [str(e)])]
    return list(error.messages) or [_("This value is not valid.")]
