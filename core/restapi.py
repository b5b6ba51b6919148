"""The workspace REST API's conventions, in one place.

- Authentication: the browser's session (with CSRF) or a personal token
  (``Authorization: Bearer trr_...``, see :mod:`core.tokens`).
- Tenancy: every view lives under ``/api/v1/w/<workspace_slug>/``; the view opens that workspace's
  scope, and a user who is not a member (or a token of another workspace) gets 404.
- Permissions: the same table as the pages (:mod:`core.roles`); each view maps its operations to
  actions. Read-only tokens cannot write.
- Concurrency: every object answers with an ``ETag``; ``PATCH`` and ``DELETE`` need ``If-Match``
  (428 without, 412 with the current representation when stale).
- Errors: RFC 9457 problem details, with every field's messages under ``errors``.
- Lists: page-number pagination capped at 100, django-filter filters, ordering.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.models.query_utils import DeferredAttribute
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.fields import SkipField, get_attribute
from rest_framework.relations import MANY_RELATION_KWARGS, PKOnlyObject
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import GenericViewSet

from core.apipaging import as_rows
from core.apischema import PROBLEM_CONTENT_TYPE
from core.errors import Refused
from core.models import ApiToken, Membership, Workspace
from core.roles import PERMISSIONS
from core.tenancy import ScopeError, workspace_scope

# --- Errors: RFC 9457 problem details ----------------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy(
        "Send If-Match with the ETag you last read, so nobody's change is overwritten."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Someone changed this object since you read it: the current version is attached."
    )
    default_code = "precondition_failed"

    def __init__(self, current: dict[str, Any], etag: str) -> None:
        super().__init__()
        self.current = current
        self.etag = etag


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This conflicts with the current state of the object.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


_TITLES = {
    400: gettext_lazy("Invalid input"),
    401: gettext_lazy("Not authenticated"),
    403: gettext_lazy("Permission denied"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    412: gettext_lazy("Precondition failed"),
    413: gettext_lazy("Payload too large"),
    415: gettext_lazy("Unsupported media type"),
    428: gettext_lazy("Precondition required"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}


def _messages(detail: Any) -> list[str]:
    """Every message in a DRF error detail (lists of lists, dicts of nested items)."""
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list | tuple):
        return [m for item in detail for m in _messages(item)]
    return [str(detail)]


def problem(
    status_code: int,
    detail: str,
    *,
    code: str,
    errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:territoria:problem:{code}",
        "title": str(_TITLES.get(status_code, code.replace("_", " ").capitalize())),
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return body


def _django_to_drf(exc: Exception) -> Exception:
    """The Django exceptions our services raise, as the API answers them."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {
                    (k if k != "__all__" else "non_field_errors"): v
                    for k, v in exc.message_dict.items()
                }
            )
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        detail = str(exc.args[0]) if exc.args and " " in str(exc.args[0]) else None
        return exceptions.PermissionDenied(detail)
    if isinstance(exc, Refused):  # a closed cycle, say: the state refuses a valid request
        return Conflict(exc.message)
    if isinstance(exc, Http404 | ScopeError):
        # ScopeError: a related object of another workspace reached a service.
        return exceptions.NotFound()
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _django_to_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    extra: dict[str, Any] = {}
    errors: dict[str, list[str]] | None = None
    if isinstance(exc, exceptions.ValidationError):
        detail = _("Check the fields listed in errors.")
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {str(k): _messages(v) for k, v in data.items()}
        code = "validation_error"
    elif isinstance(exc, exceptions.APIException):
        detail = " ".join(_messages(exc.detail))
        code = str(exc.default_code)
        if isinstance(exc, PreconditionFailed):
            extra["current"] = exc.current
            response["ETag"] = exc.etag
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            extra["retry_after"] = int(wait + 0.999)
    else:  # pragma: no cover - drf_exception_handler only answers APIException and Http404
        detail, code = str(exc), "error"
    response.data = problem(response.status_code, detail, code=code, errors=errors, **extra)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's 404 for API paths no view matched (a malformed id, say), as problem details."""
    body = problem(404, _("There is nothing at this address."), code="not_found")
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)


def api_server_error(request: HttpRequest) -> JsonResponse:
    body = problem(500, _("Something went wrong on our side; it has been logged."), code="error")
    return JsonResponse(body, status=500, content_type=PROBLEM_CONTENT_TYPE)


# --- Serializers -------------------------------------------------------------------------------


def _json_type_error(field: serializers.Field, value: Any) -> str | None:
    """The message when ``value`` is not of the JSON type the schema gives ``field``.

    DRF converts generously (``0`` into ``"0"``, ``"true"`` into ``True``, ``"2"`` into a choice
    ``2``); the API takes each field in the type its schema declares, and nothing else."""
    if value is None:
        return None  # the field's own allow_null decides
    if isinstance(field, serializers.BooleanField):
        ok, kind = isinstance(value, bool), _("true or false")
    elif isinstance(field, serializers.IntegerField):
        # JSON Schema's "integer" takes any number without a fraction: 42.0 is 42.
        whole = isinstance(value, float) and value.is_integer()
        ok = (isinstance(value, int) and not isinstance(value, bool)) or whole
        kind = _("an integer")
    elif isinstance(field, serializers.FloatField):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        kind = _("a number")
    elif isinstance(field, serializers.DecimalField):
        ok, kind = isinstance(value, str), _('a decimal number in a string, e.g. "12.50"')
    elif isinstance(field, serializers.MultipleChoiceField | serializers.ListField):
        ok, kind = isinstance(value, list), _("a list")
    elif isinstance(field, serializers.ChoiceField):
        types = {type(choice) for choice in field.choices}
        ok, kind = type(value) in types, _("one of the listed values")
    elif isinstance(
        field,
        serializers.CharField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.TimeField
        | serializers.DurationField
        | serializers.UUIDField,
    ):
        ok, kind = isinstance(value, str), _("a string")
    elif isinstance(field, serializers.DictField | serializers.JSONField):
        ok = isinstance(value, dict) or isinstance(field, serializers.JSONField)
        kind = _("an object")
    else:  # related objects check their own input
        return None
    return None if ok else _("Expected %(kind)s.") % {"kind": kind}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, says which are read-only (no silent mass assignment),
    and takes each value in the JSON type the schema declares."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            errors: dict[str, list[str]] = {}
            for name, value in data.items():
                field = self.fields.get(name)
                if field is None:
                    errors[name] = [_("Unknown field.")]
                elif field.read_only:
                    errors[name] = [_("This field is read-only.")]
                elif message := _json_type_error(field, value):
                    errors[name] = [message]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A list of related objects that must be sent as a JSON list (DRF iterates any iterable,
    so an object ``{}`` would pass as an empty list)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictRelatedMixin:
    """An empty string is not "no object" (DRF reads it as null), and lists are JSON lists."""

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data == "":
            self.fail("invalid")  # type: ignore[attr-defined]
        return super().run_validation(data)  # type: ignore[misc]

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> StrictManyRelatedField:
        list_kwargs: dict[str, Any] = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return StrictManyRelatedField(**list_kwargs)


class ScopedUUIDField(StrictRelatedMixin, serializers.SlugRelatedField):
    """A workspace object named by its public id. The queryset is built per request (scoped), and
    ``limit`` narrows it further (a partner sees only shared projects, for instance)."""

    def __init__(
        self,
        model: type[models.Model],
        limit: Callable[[Any, Request], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.model = model
        self.limit = limit
        kwargs.setdefault("slug_field", "uuid")
        if not kwargs.get("read_only"):
            kwargs["queryset"] = model._base_manager.none()  # get_queryset() builds the real one
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        qs = self.model._default_manager.all()
        if self.limit is not None:
            qs = self.limit(qs, self.context["request"])
        return qs

    def to_internal_value(self, data: Any) -> Any:
        try:
            return self.get_queryset().get(uuid=data)
        except (self.model.DoesNotExist, DjangoValidationError, TypeError, ValueError):  # type: ignore[attr-defined]
            self.fail("does_not_exist", slug_name="id", value=str(data)[:64])
        return None  # pragma: no cover

    def to_representation(self, obj: Any) -> str:
        return str(obj.uuid)


class CodeField(StrictRelatedMixin, serializers.SlugRelatedField):
    """A reference item (TRACER stage, mix family, audience...) named by its stable code."""

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def link(request: Request | None, name: str, obj_uuid: Any, workspace_slug: str) -> str | None:
    """The absolute API address of one object, or None when there is no object."""
    if obj_uuid is None:
        return None
    path = reverse(
        f"api:{name}-detail", kwargs={"workspace_slug": workspace_slug, "uuid": obj_uuid}
    )
    return request.build_absolute_uri(path) if request is not None else path


_ANY_UUID = "00000000-0000-0000-0000-000000000000"


def link_parts(request: Request | None, name: str, workspace_slug: str) -> tuple[str, str]:
    """What comes before and after an object's id in ``link()``'s addresses: ``link()`` is
    ``prefix + str(uuid) + suffix`` for every object of the route (a uuid needs no quoting)."""
    path = reverse(
        f"api:{name}-detail", kwargs={"workspace_slug": workspace_slug, "uuid": _ANY_UUID}
    )
    head, _placeholder, suffix = path.rpartition(_ANY_UUID)
    return (request.build_absolute_uri(head) if request is not None else head), suffix


@extend_schema_field({"type": ["string", "null"], "format": "uri", "readOnly": True})
class LinkField(serializers.Field):
    """``<name>_url``: the API address of a related object, built from its id without a query.

    ``source`` names the uuid (e.g. ``objective.uuid``): select_related() the relation.
    """

    def __init__(self, route: str, **kwargs: Any) -> None:
        self.route = route
        # (request, workspace slug, prefix, suffix) of the last address built: see link_parts().
        self._address: tuple[Any, str, str, str] | None = None
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        # Not super(): DRF's Field.get_attribute() skips a read-only field whose relation is
        # empty (the key would be missing from the answer); a link to nothing is null.
        try:
            return get_attribute(instance, self.source_attrs)
        except (AttributeError, KeyError):
            return None

    def to_representation(self, value: Any) -> str | None:
        if value is None:
            return None
        context = self.context
        request, slug = context.get("request"), context["workspace_slug"]
        cached = self._address
        if cached is None or cached[0] is not request or cached[1] != slug:
            # reverse() once per field and request, not once per row: the address of any
            # object of this route is this prefix, its id, and this suffix.
            cached = self._address = (request, slug, *link_parts(request, self.route, slug))
        return f"{cached[2]}{value}{cached[3]}"


@extend_schema_field({"type": "string", "format": "uri", "readOnly": True})
class SelfLinkField(LinkField):
    """The object's own address; the route is the serializer's ``Meta.route``."""

    def __init__(self, route: str = "", **kwargs: Any) -> None:
        kwargs["source"] = "uuid"
        super().__init__(route, **kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        self.route = self.route or parent.Meta.route


# get_attribute() implementations that only read source_attrs (see _reader()).
_PLAIN_GETTERS = {
    serializers.Field.get_attribute,
    serializers.RelatedField.get_attribute,
    LinkField.get_attribute,
}


def user_ref(source: str, help_text: str) -> serializers.UUIDField:
    """A person, by their public user id (the ``user`` of the members list)."""
    return serializers.UUIDField(
        source=f"{source}.uuid", read_only=True, allow_null=True, help_text=help_text
    )


def prefetched(*relations: str) -> list[models.Prefetch]:
    """Prefetches of many-to-many relations that :class:`ResourceSerializer` shows (a list of
    codes or ids): each related list lands on the row as a plain attribute, which saves a related
    manager and a queryset per row and relation, on the prefetch's side and the serializer's."""
    return [models.Prefetch(name, to_attr=_PREFETCHED.format(name)) for name in relations]


_PREFETCHED = "prefetched_{}"
_Reader = Callable[[Any], Any]


def _model_path(model: Any, attrs: list[str]) -> bool:
    """Whether ``attrs`` walks concrete fields only: forward foreign keys, then any field. Such a
    path holds no mapping and no callable, so ``attrgetter`` reads what DRF's get_attribute()
    reads."""
    for i, attr in enumerate(attrs):
        try:
            field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if not field.concrete or field.many_to_many or attr not in (field.name, field.attname):
            return False
        if i < len(attrs) - 1:
            if attr != field.name or not (field.many_to_one or field.one_to_one):
                return False
            model = field.related_model
    return True


def _reader(field: serializers.Field, model: Any) -> _Reader:
    """A cheaper ``field.get_attribute`` for the fields whose source is a plain model path. Any
    exception (an empty relation, a missing row) goes to DRF's own get_attribute(), which
    decides as it always does (None, the default, or skipping the field)."""
    slow: _Reader = field.get_attribute
    attrs = list(field.source_attrs)
    if isinstance(field, serializers.ManyRelatedField):
        if len(attrs) != 1 or model is None:
            return slow
        try:
            relation = model._meta.get_field(attrs[0])
        except FieldDoesNotExist:
            return slow
        if not (relation.many_to_many and relation.concrete):
            return slow
        listed, cached = _PREFETCHED.format(attrs[0]), relation.name

        def read_many(instance: Any) -> Any:
            # What prefetched() left; else what prefetch_related() cached, which is what the
            # related manager's all() returns; else DRF (a query).
            if not isinstance(instance, model):
                return slow(instance)
            found = instance.__dict__.get(listed)
            if found is None:
                found = instance.__dict__.get("_prefetched_objects_cache", {}).get(cached)
                if found is None:
                    return slow(instance)
            return found

        return read_many
    plain = type(field).get_attribute in _PLAIN_GETTERS and not (
        isinstance(field, serializers.RelatedField) and field.use_pk_only_optimization()
    )
    if not plain or not attrs or model is None or not _model_path(model, attrs):
        return slow
    fast = attrgetter(".".join(attrs))

    def read(instance: Any) -> Any:
        if not isinstance(instance, model):  # validated data (a dict), another object
            return slow(instance)
        try:
            return fast(instance)
        except Exception:  # DRF decides what an empty relation or a missing row gives
            return slow(instance)

    return read


class ResourceSerializer(StrictModelSerializer):
    """Every workspace object: its public ``id`` and its ``url``. ``Meta.route`` names the route.

    ``to_representation()`` gives what DRF's gives, field by field, with the readers of
    :func:`_reader` worked out once per serializer (a list reuses one for every row).
    """

    id = serializers.UUIDField(source="uuid", read_only=True)
    url = SelfLinkField()

    _readers: list[tuple[str, _Reader, _Reader]] | None = None

    def to_representation(self, instance: Any) -> dict[str, Any]:
        readers = self._readers
        if readers is None:
            model = getattr(getattr(self, "Meta", None), "model", None)
            readers = self._readers = [
                (str(field.field_name), _reader(field, model), field.to_representation)
                for field in self._readable_fields
            ]
        ret: dict[str, Any] = {}
        for name, read, represent in readers:
            try:
                attribute = read(instance)
            except SkipField:
                continue
            # As DRF: None is shown as is, a pk-only stand-in by its pk.
            if attribute is None or (type(attribute) is PKOnlyObject and attribute.pk is None):
                ret[name] = None
            else:
                ret[name] = represent(attribute)
        return ret


# --- Lists read as rows -----------------------------------------------------------------------
#
# A list of 100 objects read as model instances costs one instance per row and per related
# object shown (an action shows seven), and a related manager per row and many-to-many relation.
# When everything a serializer shows is a column (maybe through foreign keys), a related object's
# id or code, or a list of related ids or codes, the list is read with ``values()`` instead, and
# each field still gives its value to its own ``to_representation()``: the same JSON for a fraction
# of the work. Anything else (a method field, a property, an overridden to_representation(), a
# custom prefetch) is read as instances.


class _Absent:
    """Has no attributes: DRF's get_attribute() on it takes the path of an empty relation
    (the field's default, null, or no key at all), as it does on the instance."""

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)


_ABSENT = _Absent()
# to_representation() implementations that read nothing but ``obj.<slug_field>``.
_SLUG_REPRESENTATIONS = {
    serializers.SlugRelatedField.to_representation,
    ScopedUUIDField.to_representation,
}
_PLAIN, _SLUG, _MANY = 0, 1, 2


def _fk_path(model: Any, attrs: list[str]) -> Any:
    """The model ``attrs`` leads to when each name is a forward foreign key, else None."""
    for attr in attrs:
        try:
            field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        if attr != field.name or not field.concrete or not (field.many_to_one or field.one_to_one):
            return None
        model = field.related_model
    return model


class RowPlan:
    """How a :class:`ResourceSerializer` reads a list with ``values()``: see :func:`row_plan`.

    On PostgreSQL each many-to-many list is a column too, ``ARRAY(subquery)`` of the query a
    prefetch makes; elsewhere one query per relation after the page, as a prefetch does.
    """

    def __init__(self, *, arrays: bool) -> None:
        self.columns: list[str] = ["pk"]
        self.arrays = arrays
        self.expressions: dict[str, Any] = {}  # the many-to-many lists, as values() keywords
        # (kind, key, column, columns of the foreign keys on the way, read, represent)
        self.entries: list[tuple[int, str, str, tuple[str, ...], Any, Any]] = []
        self.many: dict[str, tuple[Any, str]] = {}  # relation -> (its field, slug field)

    def add_many(self, field: Any, slug: str) -> str:
        """The key of the relation's list in each row: the ``slug`` of what a prefetch of the
        relation queries (the related model's default manager, so its scope and its order)."""
        if not self.arrays:
            self.many[field.name] = (field, slug)
            return field.name
        key = f"_rows_{field.name}"
        name = field.related_query_name()
        related = field.related_model._default_manager.filter(**{name: models.OuterRef("pk")})
        self.expressions[key] = ArraySubquery(related.values(slug))
        return key

    def column(self, path: list[str]) -> str:
        name = "__".join(path)
        if name not in self.columns:
            self.columns.append(name)
        return name

    def _lists(self, ids: list[Any]) -> dict[str, dict[Any, list[Any]]]:
        """Per relation, each row's related slugs: the query a prefetch of the relation makes
        (the related model's default manager, so its scope and its order), one column of it."""
        lists: dict[str, dict[Any, list[Any]]] = {}
        for relation, (field, slug) in self.many.items():
            by_row: dict[Any, list[Any]] = {}
            lists[relation] = by_row
            if not ids:
                continue
            name = field.related_query_name()
            pairs = field.related_model._default_manager.filter(**{f"{name}__in": ids})
            for row_id, value in pairs.values_list(name, slug):
                by_row.setdefault(row_id, []).append(value)
        return lists

    def represent(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        rows = list(rows)
        lists = self._lists([row["pk"] for row in rows]) if self.many else {}
        data = []
        for row in rows:
            ret: dict[str, Any] = {}
            for kind, key, column, fks, read, represent in self.entries:
                if kind == _PLAIN:
                    value = row[column]
                    if value is None and any(row[fk] is None for fk in fks):
                        try:
                            value = read(_ABSENT)  # the relation is empty: as DRF decides
                        except SkipField:
                            continue
                    ret[key] = None if value is None else represent(value)
                elif kind == _SLUG:
                    if row[fks[0]] is None:
                        ret[key] = None
                    else:
                        ret[key] = represent(SimpleNamespace(**{read: row[column]}))
                else:
                    values = row[column] if self.arrays else lists[column].get(row["pk"], ())
                    ret[key] = [represent(SimpleNamespace(**{read: value})) for value in values]
            data.append(ret)
        return data


def row_plan(serializer: Any, queryset: Any) -> RowPlan | None:
    """How ``serializer`` (a list's) can read ``queryset`` as rows, or None when it cannot."""
    child = getattr(serializer, "child", None)
    if (
        type(serializer).to_representation is not serializers.ListSerializer.to_representation
        or not isinstance(child, ResourceSerializer)
        or type(child).to_representation is not ResourceSerializer.to_representation
        or not isinstance(queryset, models.QuerySet)
        or queryset._fields is not None  # type: ignore[attr-defined]  # already values()
        or queryset.model is not getattr(child.Meta, "model", None)
    ):
        return None
    model = queryset.model
    plan = RowPlan(arrays=connections[queryset.db].vendor == "postgresql")
    for field in child._readable_fields:
        attrs = list(field.source_attrs)
        if not attrs:
            return None
        if isinstance(field, serializers.ManyRelatedField):
            relation = _relation(model, attrs)
            slug = _slug(field.child_relation)
            if (
                relation is None
                or slug is None
                or type(field).get_attribute is not serializers.ManyRelatedField.get_attribute
                or type(field).to_representation
                is not serializers.ManyRelatedField.to_representation
            ):
                return None
            key = plan.add_many(relation, slug)
            represent = field.child_relation.to_representation
            plan.entries.append((_MANY, str(field.field_name), key, (), slug, represent))
        elif isinstance(field, serializers.RelatedField):
            slug = _slug(field)
            if (
                slug is None
                or len(attrs) != 1
                or field.use_pk_only_optimization()
                or type(field).get_attribute is not serializers.RelatedField.get_attribute
                or _fk_path(model, attrs) is None
            ):
                return None
            fk, value = plan.column(attrs), plan.column([*attrs, slug])
            represent = field.to_representation
            plan.entries.append((_SLUG, str(field.field_name), value, (fk,), slug, represent))
        else:
            last = _fk_path(model, attrs[:-1])
            if last is None or type(field).get_attribute not in _PLAIN_GETTERS:
                return None
            try:
                target = last._meta.get_field(attrs[-1])
            except FieldDoesNotExist:
                return None
            if (
                not target.concrete
                or target.is_relation
                or attrs[-1] != target.name
                # A value read through a descriptor of its own (a file) is not the column.
                or target.descriptor_class is not DeferredAttribute
            ):
                return None
            fks = tuple(plan.column(attrs[: i + 1]) for i in range(len(attrs) - 1))
            column, read = plan.column(attrs), field.get_attribute
            represent = field.to_representation
            plan.entries.append((_PLAIN, str(field.field_name), column, fks, read, represent))
    # A prefetch the view asked for with a queryset of its own may show other related objects.
    shown = {entry[2].removeprefix("_rows_") for entry in plan.entries if entry[0] == _MANY}
    for lookup in queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
        through = lookup if isinstance(lookup, str) else lookup.prefetch_through
        if through not in shown or (not isinstance(lookup, str) and lookup.queryset is not None):
            return None
    return plan


def _relation(model: Any, attrs: list[str]) -> Any:
    """The model's own many-to-many field named by ``attrs``, else None."""
    if len(attrs) != 1:
        return None
    try:
        field = model._meta.get_field(attrs[0])
    except FieldDoesNotExist:
        return None
    if not field.many_to_many or not field.concrete or field.name != attrs[0]:
        return None
    return field


def _slug(field: Any) -> str | None:
    """The one attribute a related field shows of its object, else None."""
    slug = getattr(field, "slug_field", None)
    if type(field).to_representation not in _SLUG_REPRESENTATIONS or not slug or "__" in slug:
        return None
    return str(slug)


# --- ETags ------------------------------------------------------------------------------------


def etag_for(instance: models.Model, representation: dict[str, Any]) -> str:
    """The object's version when it has one (plan items, indicators), else a hash of what the
    client sees. Either way it changes whenever the object does."""
    version = getattr(instance, "version", None)
    if isinstance(version, int):
        return f'"{version}"'
    payload = json.dumps(representation, sort_keys=True, cls=DjangoJSONEncoder)
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:24] + '"'


def _tags(header: str) -> set[str]:
    tags = set()
    for raw in header.split(","):
        tag = raw.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag:
            tags.add(tag)
    return tags


# --- The base view set ------------------------------------------------------------------------


class WorkspaceViewSet(GenericViewSet):
    """Base of every workspace resource. Subclasses declare:

    - ``actions_map``: view-set action (list, retrieve, create, partial_update, destroy) ->
      permission action of core.roles;
    - ``model`` and ``visible()``, the objects the member may see (already scoped to the
      workspace; narrowed for partners);
    - ``perform_create(serializer)``, ``perform_update(serializer)``, ``perform_destroy(obj)``
      that call the app's services and return the saved object.
    """

    model: type[models.Model]
    lookup_field = "uuid"
    lookup_url_kwarg = "uuid"
    lookup_value_converter = "uuid"
    actions_map: dict[str, str] = {}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    request: Any
    workspace: Workspace  # set by dispatch() when the address names an existing workspace
    membership: Membership

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for action in cls.actions_map.values():
            if action not in PERMISSIONS:
                raise KeyError(f"{cls.__name__}: no permission row for {action!r}")

    # Scope: resolved before anything else, held for the whole request.
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        slug = kwargs.get("workspace_slug", "")
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:  # check_permissions() answers 401 or 404
            return super().dispatch(request, *args, **kwargs)
        self.workspace = workspace
        with workspace_scope(workspace):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.API_MAX_BODY_BYTES:
            raise PayloadTooLarge(
                ngettext(
                    "The request body is larger than %(limit)d byte.",
                    "The request body is larger than %(limit)d bytes.",
                    settings.API_MAX_BODY_BYTES,
                )
                % {"limit": settings.API_MAX_BODY_BYTES}
            )
        super().initial(request, *args, **kwargs)

    def check_permissions(self, request: Request) -> None:
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        token = request.auth if isinstance(request.auth, ApiToken) else None
        workspace = getattr(self, "workspace", None)  # unset: no workspace at this address
        if workspace is None or (token is not None and token.workspace_id != workspace.pk):
            raise exceptions.NotFound()
        membership = (
            Membership.objects.filter(user=request.user).select_related("user", "workspace").first()
        )
        if membership is None:
            raise exceptions.NotFound()
        self.membership = membership
        request.membership = membership  # type: ignore[attr-defined]
        request.workspace = self.workspace  # type: ignore[attr-defined]
        super().check_permissions(request)

    def permission_action(self) -> str | None:
        action = self.action or ""
        if action == "metadata":
            return None
        try:
            return self.actions_map[action]
        except KeyError as exc:
            raise exceptions.MethodNotAllowed(self.request.method) from exc

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["workspace_slug"] = self.kwargs.get("workspace_slug", "")
        context["membership"] = getattr(self, "membership", None)
        return context

    def get_object(self, *, for_update: bool = False) -> Any:
        queryset = (
            self.filter_queryset(self.get_queryset()) if not for_update else self.get_queryset()
        )
        if for_update:
            # Lock the row itself (not the joined ones) until the transaction ends.
            queryset = queryset.select_for_update(of=("self",))
        obj = queryset.filter(uuid=self.kwargs["uuid"]).first()
        if obj is None:
            raise exceptions.NotFound()
        self.check_object_permissions(self.request, obj)
        return obj

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, without a request
            return self.model._base_manager.none()
        return self.visible()

    def visible(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def represent(self, instance: Any) -> dict[str, Any]:
        return dict(self.get_serializer(instance).data)

    def refetch(self, instance: Any) -> Any:
        """The saved object again, through the list's queryset (annotations, prefetches)."""
        return self.get_queryset().get(pk=instance.pk)

    # --- Operations ---------------------------------------------------------------------------

    def query_parameters(self, queryset: Any) -> set[str]:
        """What a list's address may ask: its page, its filters and its ordering."""
        names: set[str] = set()
        paginator = self.paginator
        if paginator is not None:
            for attr in ("page_query_param", "page_size_query_param"):
                if getattr(paginator, attr, None):
                    names.add(getattr(paginator, attr))
        for backend in self.filter_backends:
            listed = getattr(backend(), "query_parameters", None)
            if listed is not None:
                names.update(listed(self, queryset))
        return names

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        known = self.query_parameters(queryset)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            # A misspelt filter would otherwise be ignored, and the whole list answered.
            message = _("Unknown parameter: this list takes %(names)s.") % {
                "names": ", ".join(sorted(known))
            }
            raise exceptions.ValidationError({name: [message] for name in unknown})
        queryset = self.filter_queryset(queryset)
        serializer = self.get_serializer(many=True)
        plan = row_plan(serializer, queryset)
        if plan is None:
            serializer.instance = self.paginate_queryset(queryset)
            return self.get_paginated_response(serializer.data)
        # Read as rows (see row_plan()): the paginator turns its page into values().
        rows = self.paginate_queryset(as_rows(queryset, plan.columns, plan.expressions))
        if rows is None:  # pragma: no cover - every workspace list is paginated
            rows = list(queryset.prefetch_related(None).values(*plan.columns, **plan.expressions))
        return self.get_paginated_response(plan.represent(rows))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        data = self.represent(instance)
        etag = etag_for(instance, data)
        held = _tags(request.headers.get("If-None-Match", ""))
        if etag in held or "*" in held:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = self.perform_create(serializer)
        instance = self.refetch(instance)
        data = self.represent(instance)
        headers = {"ETag": etag_for(instance, data)}
        if "url" in data:
            headers["Location"] = data["url"]
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def _check_precondition(self, request: Request, instance: Any) -> dict[str, Any]:
        header = request.headers.get("If-Match")
        if not header:
            raise PreconditionRequired()
        current = self.represent(instance)
        etag = etag_for(instance, current)
        tags = _tags(header)
        if "*" not in tags and etag not in tags:
            raise PreconditionFailed(current, etag)
        return current

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.get_object(for_update=True)
            # Invalid input is refused as such (400), whatever the If-Match says.
            serializer = self.get_serializer(instance, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            self._check_precondition(request, instance)
            instance = self.perform_update(serializer)
        instance = self.refetch(instance)
        data = self.represent(instance)
        return Response(data, headers={"ETag": etag_for(instance, data)})

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.get_object(for_update=True)
            self._check_precondition(request, instance)
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Hooks for subclasses -----------------------------------------------------------------

    def perform_create(self, serializer: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def perform_update(self, serializer: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def perform_destroy(self, instance: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def changed(serializer: Any) -> dict[str, Any]:
    """The validated fields of a PATCH, as the keyword arguments of a service."""
    return dict(serializer.validated_data)


def only(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in names}


class WorkspaceRootViewSet(WorkspaceViewSet):
    """``/api/v1/w/<workspace>/``: the workspace and the address of each of its lists."""

    model = Workspace
    actions_map = {"list": "workspace.view"}
    routes: list[tuple[str, str]] = []  # (prefix, basename), filled by the router module
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        summary="The workspace's API root",
        responses=inline_serializer(
            "WorkspaceRoot",
            {
                "workspace": inline_serializer(
                    "WorkspaceRef",
                    {"slug": serializers.CharField(), "name": serializers.CharField()},
                ),
                "role": serializers.CharField(),
                "lists": serializers.DictField(child=serializers.URLField()),
            },
        ),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        slug = self.workspace.slug
        lists = {
            prefix: request.build_absolute_uri(
                reverse(f"api:{basename}-list", kwargs={"workspace_slug": slug})
            )
            for prefix, basename in self.routes
        }
        return Response(
            {
                "workspace": {"slug": slug, "name": self.workspace.name},
                "role": self.membership.role,
                "lists": lists,
            }
        )
