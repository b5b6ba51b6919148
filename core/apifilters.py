"""Filters shared by the API's lists (django-filter)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import django_filters
from django.db import models
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
    return extend_schema_field(schema)(uuid_filter)  # type: ignore[no-any-return]


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


def updated_since(field_name: str = "updated_at") -> django_filters.IsoDateTimeFilter:
    return django_filters.IsoDateTimeFilter(
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
            errors[name] = [_("Give this parameter once.")]
        elif any(value == "" for value in values):
            errors[name] = [_("Give a value, or leave the parameter out.")]
    return errors


class FilterBackend(DjangoFilterBackend):
    """django-filter, refusing what it would otherwise ignore: blank values, repeated values of
    one-value filters, and booleans other than ``true`` and ``false``. A refused filter answers
    400 with its message: a client never gets a list it did not ask for."""

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
                if (
                    name not in errors
                    and value is not None
                    and isinstance(f, django_filters.BooleanFilter)
                    and value not in ("true", "false")
                ):
                    errors[name] = [_("Give true or false.")]
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


class OrderingFilter(filters.OrderingFilter):
    """``?ordering=name,-updated_at``: unknown fields answer 400 (instead of being ignored), and
    the object's id breaks ties so that pages never overlap."""

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
                        _("Order by one or more of: %(fields)s (prefix - for descending).")
                        % {"fields": ", ".join(sorted(valid))}
                    ]
                }
            )
        return [*dict.fromkeys(fields), "pk"]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        fields = getattr(view, "ordering_fields", None)
        if not isinstance(fields, list | tuple):
            return super().get_schema_operation_parameters(view)  # type: ignore[no-any-return]
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
