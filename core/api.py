"""Shared pieces of the REST API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers


class ReferenceSerializer(serializers.ModelSerializer):
    """Every reference item: stable ``code`` and both labels, then its own fields."""

    class Meta:
        fields = ["code", "label_en", "label_fr", "description_en", "description_fr", "is_proposal"]


def reference_list_view(
    queryset: QuerySet[Any], serializer_class: type[serializers.Serializer], name: str
) -> Any:
    """A public, read-only, unpaginated list of one framework's items (they are few)."""

    plural = str(queryset.model._meta.verbose_name_plural)
    view: Any = type(
        name,
        (generics.ListAPIView,),
        {
            "queryset": queryset,
            "serializer_class": serializer_class,
            "authentication_classes": [],
            "permission_classes": [permissions.AllowAny],
            "pagination_class": None,
        },
    )
    view = extend_schema_view(
        get=extend_schema(
            summary=f"List the {plural}",
            description=f"The {plural} of the frameworks, in French and English (public).",
            tags=["Reference data"],
        )
    )(view)
    return view.as_view()
