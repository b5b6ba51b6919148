"""Serializers of the mix app: the mix families (reference), the plan's actions, comments."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ReferenceSerializer
from core.restapi import (
    CodeField,
    LinkField,
    ResourceSerializer,
    ScopedUUIDField,
    link,
    user_ref,
)
from governance.models import PartnerOrganisation
from mix.models import Action, Comment, MixFamily
from territories.models import Audience
from territories.selectors import visible_projects
from tracer.models import Objective


class MixFamilySerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = MixFamily
        fields = [*ReferenceSerializer.Meta.fields, "position"]


def only_visible_plan_items(qs: Any, request: Any) -> Any:
    """Objectives, actions or comments of the projects the member may see."""
    return qs.filter(project__in=visible_projects(membership=request.membership))


class ActionSerializer(ResourceSerializer):
    """An action of the plan: one family of the marketing mix, serving one objective."""

    project = serializers.UUIDField(
        source="project.uuid", read_only=True, help_text="The objective's project."
    )
    project_url = LinkField("project", source="project.uuid")
    objective = ScopedUUIDField(Objective, limit=only_visible_plan_items)
    objective_url = LinkField("objective", source="objective.uuid")
    cycle = serializers.UUIDField(
        source="objective.cycle.uuid",
        read_only=True,
        help_text="The objective's cycle (an action is in its objective's cycle).",
    )
    cycle_url = LinkField("cycle", source="objective.cycle.uuid")
    stage = serializers.CharField(
        source="objective.stage.code", read_only=True, help_text="The objective's TRACER stage."
    )
    family = CodeField(
        MixFamily, help_text="The mix family's code (see /api/v1/reference/mix-families/)."
    )
    audiences = CodeField(Audience, many=True, required=False, help_text="Audience codes.")
    lead_partner = ScopedUUIDField(PartnerOrganisation, required=False, allow_null=True)
    lead_partner_url = LinkField("partner-organisation", source="lead_partner.uuid")
    contributors = ScopedUUIDField(
        PartnerOrganisation, many=True, required=False, help_text="Contributing partners' ids."
    )
    created_by = user_ref("created_by", "Who created it (a user id).")
    updated_by = user_ref("updated_by", "Who changed it last (a user id).")

    class Meta:
        model = Action
        route = "action"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "objective",
            "objective_url",
            "cycle",
            "cycle_url",
            "stage",
            "family",
            "title",
            "description",
            "audiences",
            "lead_partner",
            "lead_partner_url",
            "contributors",
            "status",
            "priority",
            "start_date",
            "end_date",
            "budget_planned",
            "budget_spent",
            "version",
            "created_at",
            "updated_at",
            "created_by",
            "updated_by",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]


class CommentSerializer(ResourceSerializer):
    """A comment on an objective or an action (Markdown; ``body_html`` is its sanitised HTML).
    Name exactly one of ``action``, ``objective`` or ``parent`` (a reply joins that thread)."""

    project = serializers.UUIDField(source="project.uuid", read_only=True)
    action = ScopedUUIDField(Action, limit=only_visible_plan_items, required=False, allow_null=True)
    action_url = LinkField("action", source="action.uuid")
    objective = ScopedUUIDField(
        Objective, limit=only_visible_plan_items, required=False, allow_null=True
    )
    objective_url = LinkField("objective", source="objective.uuid")
    parent = ScopedUUIDField(  # type: ignore[assignment]
        Comment, limit=only_visible_plan_items, required=False, allow_null=True
    )
    parent_url = LinkField("comment", source="parent.uuid")
    cycle = serializers.SerializerMethodField(
        help_text="The cycle of what it comments on (an action's is its objective's)."
    )
    cycle_url = serializers.SerializerMethodField()
    author = user_ref("author", "The author (a user id).")
    author_name = serializers.CharField(
        source="author.display_name", read_only=True, allow_null=True
    )
    resolved = serializers.BooleanField(
        required=False, help_text="A thread's state: resolve or reopen it (on its first comment)."
    )

    class Meta:
        model = Comment
        route = "comment"
        fields = [
            "id",
            "url",
            "project",
            "action",
            "action_url",
            "objective",
            "objective_url",
            "parent",
            "parent_url",
            "cycle",
            "cycle_url",
            "author",
            "author_name",
            "body",
            "body_html",
            "resolved",
            "created_at",
            "edited_at",
            "resolved_at",
        ]
        read_only_fields = ["body_html", "created_at", "edited_at", "resolved_at"]

    def to_representation(self, instance: Comment) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["resolved"] = instance.resolved_at is not None
        return data

    @staticmethod
    def _cycle_uuid(comment: Comment) -> Any:
        # select_related() by the view: objective__cycle, action__objective__cycle.
        if comment.objective_id is not None:
            return comment.objective.cycle.uuid  # type: ignore[union-attr]
        return comment.action.objective.cycle.uuid  # type: ignore[union-attr]

    @extend_schema_field({"type": "string", "format": "uuid", "readOnly": True})
    def get_cycle(self, comment: Comment) -> str:
        return str(self._cycle_uuid(comment))

    @extend_schema_field({"type": "string", "format": "uri", "readOnly": True})
    def get_cycle_url(self, comment: Comment) -> str | None:
        return link(
            self.context.get("request"),
            "cycle",
            self._cycle_uuid(comment),
            self.context["workspace_slug"],
        )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            targets = [n for n in ("action", "objective", "parent") if attrs.get(n) is not None]
            if len(targets) != 1:
                raise serializers.ValidationError(
                    {"non_field_errors": [_("Name exactly one of action, objective or parent.")]}
                )
        else:
            moved = [n for n in ("action", "objective", "parent") if n in attrs]
            if moved:
                raise serializers.ValidationError(
                    {n: [_("A comment cannot move: post a new one.")] for n in moved}
                )
        return attrs
