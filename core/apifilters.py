"""Filters shared by the API's lists (django-filter)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError


def scoped_uuid_filter(
    model: type[models.Model],
    *,
    field_name: str,
    limit: Callable[[Any, Any], Any] | None = None,
    help_text: str = "",
    method: str | None = None,
) -> django_filters.ModelChoiceFilter:
    """Filter by a related workspace object's public id (another workspace's id: 400)."""

    def queryset(request: Any) -> Any:
        qs = model._default_manager.all()
        return limit(qs, request) if limit is not None and request is not None else qs

    uuid_filter = django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="uuid",
        queryset=queryset,
        help_text=help_text,
        method=method,
    )
    # The schema names an id even when a method does the filtering (it cannot guess then).
    schema = {"type": "string", "format": "uuid", "description": str(help_text)}
    return extend_schema_field(schema)(uuid_filter)


UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_UUID = re.compile(UUID_PATTERN)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Keyword(str):
    """A word a filter takes in place of an id (``current``), as its form field cleans it."""


class IdOrKeywordField(django_filters.fields.ModelChoiceField):
    """A related object's public id, or one of the filter's keywords."""

    def __init__(self, *args: Any, keywords: Iterable[str] = (), **kwargs: Any) -> None:
        self.keywords = tuple(keywords)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.keywords:
            return Keyword(value)
        return super().to_python(value)


class IdOrKeywordFilter(django_filters.ModelChoiceFilter):
    """Filter by a related object's public id, or by a keyword that names a set of them at once
    (``cycle=current``: the current cycle of each project). ``keywords`` maps each word to a
    function giving that set as a queryset of the related model, read as one subquery."""

    field_class = IdOrKeywordField

    def __init__(
        self,
        *args: Any,
        keywords: dict[str, Callable[[], Any]],
        or_paths: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        self.keyword_sets = keywords
        self.or_paths = or_paths  # other paths to the related object (a comment's target's)
        super().__init__(*args, keywords=tuple(keywords), **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        lookup = "exact"
        if isinstance(value, Keyword):
            lookup, value = "in", self.keyword_sets[value]()
        condition = models.Q()
        for path in (self.field_name, *self.or_paths):
            condition |= through_first_relation(qs.model, path, lookup, value=value)
        return qs.filter(condition)


def through_first_relation(model: Any, path: str, lookup: str, *, value: Any) -> models.Q:
    """``Q(<path>__<lookup>=value)``, with a path through a foreign key written as a subquery on
    the related table (``objective__in=<objectives whose cycle ...>``), not a join: the list stays
    one table's rows, which its pages read by id first (core.apipaging)."""
    first, _sep, rest = path.partition("__")
    if not rest:
        return models.Q(**{f"{first}__{lookup}": value})
    related = model._meta.get_field(first).related_model
    inner = related._default_manager.filter(
        through_first_relation(related, rest, lookup, value=value)
    )
    return models.Q(**{f"{first}__in": inner.values("pk")})


def id_or_keyword_filter(
    model: type[models.Model],
    *,
    field_name: str,
    keywords: dict[str, Callable[[], Any]],
    limit: Callable[[Any, Any], Any] | None = None,
    or_paths: tuple[str, ...] = (),
    help_text: str = "",
) -> IdOrKeywordFilter:
    """Filter by a related workspace object's public id (another workspace's id: 400) or by one
    of ``keywords``. The schema gives the id's or the keywords' pattern."""

    def queryset(request: Any) -> Any:
        qs = model._default_manager.all()
        return limit(qs, request) if limit is not None and request is not None else qs

    words = "|".join(re.escape(word) for word in keywords)
    schema = {
        "type": "string",
        "pattern": f"^({words}|{UUID_PATTERN})$",
        "description": str(help_text),
    }
    id_filter = IdOrKeywordFilter(
        field_name=field_name,
        to_field_name="uuid",
        queryset=queryset,
        keywords=keywords,
        or_paths=or_paths,
        help_text=help_text,
    )
    return extend_schema_field(schema)(id_filter)


def code_filter(
    model: type[models.Model], *, field_name: str, help_text: str = ""
) -> django_filters.ModelChoiceFilter:
    """Filter by a reference item's stable code (a TRACER stage, a mix family, an audience)."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="code",
        queryset=model._default_manager.all(),
        help_text=help_text,
    )


class InstantFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time, compared in UTC: PostgreSQL refuses the offsets beyond 15:59 that
    RFC 3339 (and Python) allow, which made ``-16:38`` a server error."""

    def filter(self, qs: Any, value: Any) -> Any:
        if value is not None:
            try:
                value = value.astimezone(dt.UTC)
            except OverflowError:  # 0001-01-01T00:00-01:00 is before the first UTC instant
                filters = getattr(getattr(self, "parent", None), "filters", {})
                name = next((n for n, f in filters.items() if f is self), self.field_name)
                raise ValidationError(
                    {name: [gettext("Give a date-time after the year 1.")]}
                ) from None
        return super().filter(qs, value)


def updated_since(field_name: str = "updated_at") -> django_filters.IsoDateTimeFilter:
    return InstantFilter(
        field_name=field_name,
        lookup_expr="gte",
        help_text=_(
            "Only objects changed at or after this ISO 8601 date-time, for incremental sync."
        ),
    )


class ArchivedFilter(django_filters.BooleanFilter):
    """``archived=true`` lists archived objects, ``false`` the active ones, absent: both."""

    def filter(self, qs: Any, value: Any) -> Any:
        if value is None:
            return qs
        return qs.filter(archived_at__isnull=not value)


# --- Backends: strict query parameters ---------------------------------------------------------


def _once_and_not_blank(
    request: Any, names: Iterable[str], *, repeatable: set[str]
) -> dict[str, list[str]]:
    """Errors for the known parameters given blank, or more than once when they take one value."""
    errors: dict[str, list[str]] = {}
    for name in names:
        values = request.query_params.getlist(name)
        if not values:
            continue
        if len(values) > 1 and name not in repeatable:
            errors[name] = [gettext("Give this parameter once.")]
        elif any(value.strip() == "" for value in values):
            errors[name] = [gettext("Give a value, or leave the parameter out.")]
    return errors


def _malformed(f: Any, value: str) -> str | None:
    """The message when ``value`` is not written as the schema says (django-filter would take
    other spellings too: dates as the request's language writes them, ids without dashes)."""
    if isinstance(f, django_filters.BooleanFilter) and value not in ("true", "false"):
        return gettext("Give true or false.")
    if isinstance(f, django_filters.DateFilter) and not _ISO_DATE.fullmatch(value):
        return gettext("Give a date as YYYY-MM-DD.")
    if (
        isinstance(f, django_filters.ModelChoiceFilter)
        and f.extra.get("to_field_name") == "uuid"
        and not _UUID.fullmatch(value)
    ):
        if isinstance(f, IdOrKeywordFilter):
            if value in f.keyword_sets:
                return None
            return gettext("Give an id, or one of: %(words)s.") % {
                "words": ", ".join(f.keyword_sets)
            }
        return gettext("Give an id (a UUID).")
    return None


class FilterBackend(DjangoFilterBackend):
    """django-filter, refusing what it would otherwise ignore or guess: blank values, repeated
    values of one-value filters, booleans other than ``true`` and ``false``, dates other than
    ``YYYY-MM-DD`` and ids that are not UUIDs. A refused filter answers 400 with its message: a
    client never gets a list it did not ask for."""

    def query_parameters(self, view: Any, queryset: Any) -> list[str]:
        """The names of the list's filters (see WorkspaceViewSet.list: others are refused)."""
        filterset_class = self.get_filterset_class(view, queryset)
        return [] if filterset_class is None else list(filterset_class.base_filters)

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            filters = filterset_class.base_filters
            repeatable = {
                name
                for name, f in filters.items()
                if isinstance(f, django_filters.MultipleChoiceFilter)
            }
            errors = _once_and_not_blank(request, filters, repeatable=repeatable)
            for name, f in filters.items():
                value = request.query_params.get(name)
                if name not in errors and value is not None:
                    message = _malformed(f, value)
                    if message:
                        errors[name] = [message]
            if errors:
                raise ValidationError(errors)
            if (
                not any(name in request.query_params for name in filters)
                and not any(f.extra.get("required") for f in filters.values())
                and filterset_class.filter_queryset is django_filters.FilterSet.filter_queryset
                and filterset_class.qs is django_filters.FilterSet.qs
            ):
                # No filter asked for: every filter would let the queryset through, after
                # django-filter built a form and its querysets for nothing (milliseconds a list).
                return queryset
        return super().filter_queryset(request, queryset, view)


def _many_valued(model: Any, path: str) -> bool:
    for attr in path.split("__"):
        try:
            field = model._meta.get_field(attr)
        except Exception:  # not a column: a property the serializer reads
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class OrderingFilter(filters.OrderingFilter):
    """``?ordering=name,-updated_at``: unknown fields answer 400 (instead of being ignored), and
    the object's id breaks ties so that pages never overlap."""

    def query_parameters(self, view: Any, queryset: Any) -> list[str]:
        return [self.ordering_param]

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        errors = _once_and_not_blank(request, [self.ordering_param], repeatable=set())
        if errors:
            raise ValidationError(errors)
        param = request.query_params.get(self.ordering_param)
        if not param:
            return self.get_default_ordering(view)
        fields = [term.strip() for term in param.split(",")]
        valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        unknown = [term for term in fields if term.lstrip("-") not in valid or term[:2] == "--"]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        gettext("Order by one or more of: %(fields)s (prefix - for descending).")
                        % {"fields": ", ".join(sorted(valid))}
                    ]
                }
            )
        return [*dict.fromkeys(fields), "pk"]

    def get_default_valid_fields(
        self, queryset: Any, view: Any, context: Mapping[str, Any] | None = None
    ) -> list[tuple[str, Any]]:
        """The serializer's fields, less those holding many objects (ordering by a list would
        repeat each row once per item)."""
        fields = super().get_default_valid_fields(queryset, view, context or {})
        return [(name, label) for name, label in fields if not _many_valued(queryset.model, name)]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        fields = getattr(view, "ordering_fields", None)
        if not isinstance(fields, list | tuple):
            # No list: the serializer's fields, as get_ordering() takes them (reference data).
            try:
                queryset = view.get_queryset()
            except Exception:  # a view that needs a request to know its rows
                return super().get_schema_operation_parameters(view)
            fields = [name for name, _label in self.get_valid_fields(queryset, view, {})]
        names = "|".join(re.escape(str(f)) for f in fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Order by these fields, comma-separated (prefix - for descending): %s.")
                )
                % ", ".join(fields),
                "schema": {"type": "string", "pattern": f"^-?({names})(,-?({names}))*$"},
            }
        ]
