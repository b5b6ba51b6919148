"""Filters shared by the API's lists (django-filter)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="uuid",
        queryset=queryset,
        help_text=help_text,
        method=method,
    )


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
