from rest_framework import serializers

from core.api import ReferenceSerializer
from governance.models import Element, ElementComponent, MethodSequence, MethodStep


class ElementComponentSerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = ElementComponent
        fields = ["code", "label_en", "label_fr"]


class ElementSerializer(ReferenceSerializer):
    components = ElementComponentSerializer(many=True, read_only=True)

    class Meta(ReferenceSerializer.Meta):
        model = Element
        fields = [*ReferenceSerializer.Meta.fields, "number", "components"]


class MethodSequenceSerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = MethodSequence
        fields = ["code", "label_en", "label_fr", "number"]


class MethodStepSerializer(ReferenceSerializer):
    sequence = MethodSequenceSerializer(read_only=True)
    deliverables_are_proposal = serializers.SerializerMethodField()

    class Meta(ReferenceSerializer.Meta):
        model = MethodStep
        fields = [
            "code",
            "label_en",
            "label_fr",
            "number",
            "sequence",
            "is_proposal",
            "deliverables_en",
            "deliverables_fr",
            "deliverables_are_proposal",
        ]

    def get_deliverables_are_proposal(self, obj: MethodStep) -> bool:
        return True  # no public source lists the steps' deliverables (domain.md, section 2)
