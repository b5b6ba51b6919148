"""Serializers of the governance app: the frameworks (reference) and partner organisations."""

from __future__ import annotations

from rest_framework import serializers

from core.api import ReferenceSerializer
from core.models import Membership
from core.restapi import ResourceSerializer, ScopedUUIDField
from governance.models import (
    Element,
    ElementComponent,
    MethodSequence,
    MethodStep,
    PartnerOrganisation,
)
from territories.models import Project


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


class PartnerOrganisationSerializer(ResourceSerializer):
    """A partner organisation (tourism office, chamber of commerce, agency...). Its members see
    the projects shared with it; ``shared_projects`` changes on each project's sharing page."""

    members = ScopedUUIDField(
        Membership, many=True, required=False, help_text="The members who belong to it (ids)."
    )
    shared_projects = ScopedUUIDField(Project, many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    project_count = serializers.IntegerField(read_only=True)
    led_count = serializers.IntegerField(read_only=True, help_text="Actions it leads.")
    contributed_count = serializers.IntegerField(
        read_only=True, help_text="Actions it contributes to."
    )

    class Meta:
        model = PartnerOrganisation
        route = "partner-organisation"
        fields = [
            "id",
            "url",
            "name",
            "members",
            "shared_projects",
            "member_count",
            "project_count",
            "led_count",
            "contributed_count",
            "created_at",
        ]
        read_only_fields = ["created_at"]
