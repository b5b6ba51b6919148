"""Shared pieces of the REST API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import generics, permissions, serializers


class ReferenceSerializer(serializers.ModelSerializer):
    """Every reference item: stable ``code`` and both labels, then its own fields."""

    class Meta:
        fields = ["code", "label_en", "label_fr", "description_en", "description_fr", "is_proposal"]


def reference_list_view(
    queryset: QuerySet[Any], serializer_class: type[serializers.Serializer], name: str
) -> Any:
    """A public, read-only, unpaginated list of one framework's items (they are few)."""

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
    return view.as_view()
