from typing import Any

from rest_framework import serializers

from core.api import ReferenceSerializer
from evaluation.models import CatalogueIndicator


class CatalogueIndicatorSerializer(ReferenceSerializer):
    tracer_stage: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta(ReferenceSerializer.Meta):
        model = CatalogueIndicator
        fields = [
            "code",
            "label_en",
            "label_fr",
            "domain",
            "unit_en",
            "unit_fr",
            "unit_kind",
            "level",
            "tracer_stage",
            "is_proposal",
        ]
