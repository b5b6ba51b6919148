"""Serializers of the tracer app: the TRACER stages (reference) and the plan's objectives."""

from __future__ import annotations

from rest_framework import serializers

from core.api import ReferenceSerializer
from core.models import Membership
from core.restapi import CodeField, LinkField, ResourceSerializer, ScopedUUIDField, user_ref
from territories.api.serializers import only_visible_projects
from territories.models import Audience, Project
from tracer.models import Objective, TracerStage


class TracerStageSerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = TracerStage
        fields = [*ReferenceSerializer.Meta.fields, "letter", "alias_en", "alias_fr", "position"]


class ObjectiveSerializer(ResourceSerializer):
    """An operational objective of the plan, under one TRACER stage, in one cycle of a project."""

    project = ScopedUUIDField(Project, limit=only_visible_projects)
    project_url = LinkField("project", source="project.uuid")
    cycle = serializers.UUIDField(
        source="cycle.uuid",
        read_only=True,
        help_text="New objectives join the project's open cycle.",
    )
    cycle_url = LinkField("cycle", source="cycle.uuid")
    stage = CodeField(
        TracerStage, help_text="The TRACER stage's code (see /api/v1/reference/tracer-stages/)."
    )
    audiences = CodeField(
        Audience,
        many=True,
        required=False,
        help_text="Audience codes (see /api/v1/reference/audiences/).",
    )
    owner = ScopedUUIDField(
        Membership,
        required=False,
        allow_null=True,
        help_text="The member in charge (a member's id).",
    )
    owner_url = LinkField("member", source="owner.uuid")
    created_by = user_ref("created_by", "Who created it (a user id).")
    updated_by = user_ref("updated_by", "Who changed it last (a user id).")

    class Meta:
        model = Objective
        route = "objective"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "cycle",
            "cycle_url",
            "stage",
            "title",
            "description",
            "audiences",
            "segment",
            "priority",
            "owner",
            "owner_url",
            "is_draft",
            "version",
            "created_at",
            "updated_at",
            "created_by",
            "updated_by",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]
