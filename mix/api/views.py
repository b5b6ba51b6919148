"""The workspace API for actions and comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.apifilters import InstantFilter, code_filter, scoped_uuid_filter, updated_since
from core.restapi import WorkspaceViewSet, changed, prefetched
from governance.models import PartnerOrganisation
from mix import comments, services
from mix.api.serializers import ActionSerializer, CommentSerializer, only_visible_plan_items
from mix.models import Action, ActionStatus, Comment, MixFamily
from territories.api.filters import cycle_filter
from territories.api.serializers import only_visible_projects
from territories.models import Audience, Project
from territories.selectors import visible_projects
from tracer.models import Objective, TracerStage


class ActionFilter(django_filters.FilterSet):
    project = scoped_uuid_filter(Project, field_name="project", limit=only_visible_projects)
    objective = scoped_uuid_filter(Objective, field_name="objective", limit=only_visible_plan_items)
    cycle = cycle_filter("objective__cycle")
    stage = code_filter(
        TracerStage, field_name="objective__stage", help_text="A TRACER stage code."
    )
    family = code_filter(MixFamily, field_name="family", help_text="A mix family code.")
    audience = code_filter(Audience, field_name="audiences", help_text="An audience code.")
    partner = scoped_uuid_filter(
        PartnerOrganisation,
        field_name="partner",
        method="filter_partner",
        help_text="A partner organisation's id: the actions it leads or contributes to.",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ActionStatus.choices, help_text="Repeat to match several statuses."
    )
    starts_after = django_filters.DateFilter(
        method="filter_starts_after", help_text="Actions still running on or after this date."
    )
    ends_before = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", help_text="Actions started by this date."
    )
    updated_since = updated_since()
    q = django_filters.CharFilter(method="filter_q", help_text="Words in the title or description.")

    def filter_partner(self, queryset: Any, name: str, value: Any) -> Any:
        led_or_helped = Action.objects.filter(Q(lead_partner=value) | Q(contributors=value))
        return queryset.filter(pk__in=led_or_helped.values("pk"))

    def filter_starts_after(self, queryset: Any, name: str, value: dt.date) -> Any:
        return queryset.filter(
            Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value)
        )

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


@extend_schema_view(
    list=extend_schema(summary="List actions"),
    retrieve=extend_schema(summary="Get an action"),
    create=extend_schema(summary="Create an action"),
    partial_update=extend_schema(summary="Update an action"),
    destroy=extend_schema(summary="Delete an action"),
)
class ActionViewSet(WorkspaceViewSet):
    """The plan's actions: one family of the marketing mix each, serving one objective. Partners
    edit the actions their organisation leads or contributes to."""

    model = Action
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    ordering_fields = [
        "title",
        "status",
        "priority",
        "start_date",
        "end_date",
        "budget_planned",
        "created_at",
        "updated_at",
    ]
    ordering = ["project_id", "objective_id", "priority", "id"]
    actions_map = {
        "list": "plan.view",
        "retrieve": "plan.view",
        "create": "action.create",
        "partial_update": "action.update",
        "destroy": "action.delete",
    }
    schema_example = {
        "id": "3c9b2a1d-0e4f-4a6b-8c7d-5e6f7a8b9c0d",
        "url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/actions/3c9b2a1d-0e4f-4a6b-8c7d-5e6f7a8b9c0d/",
        "project": "6a1f0e2d-3c4b-4a59-8e7f-9d0c1b2a3f4e",
        "project_url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/projects/6a1f0e2d-3c4b-4a59-8e7f-9d0c1b2a3f4e/",
        "objective": "0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b",
        "objective_url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/objectives/0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b/",
        "cycle": "7d2e1f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a",
        "cycle_url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/cycles/7d2e1f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a/",
        "stage": "tracer.reputation",
        "family": "mix.promotion",
        "title": "Spring campaign in the Lille metro",
        "description": "Posters and a landing page for young families.",
        "audiences": ["audience.new_residents"],
        "lead_partner": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
        "lead_partner_url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/partner-organisations/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/",
        "contributors": [],
        "status": "planned",
        "priority": 2,
        "start_date": "2027-03-01",
        "end_date": "2027-04-15",
        "budget_planned": "18000.00",
        "budget_spent": "0.00",
        "version": 5,
        "created_at": "2026-09-01T09:35:00Z",
        "updated_at": "2026-10-20T08:12:45Z",
        "created_by": "4f7d3c2a-1b0e-4c5d-8e9f-a1b2c3d4e5f6",
        "updated_by": "4f7d3c2a-1b0e-4c5d-8e9f-a1b2c3d4e5f6",
    }

    def visible(self) -> Any:
        return (
            Action.objects.filter(project__in=visible_projects(membership=self.membership))
            .select_related(
                "project",
                "objective__stage",
                "objective__cycle",
                "family",
                "lead_partner",
                "created_by",
                "updated_by",
            )
            .prefetch_related(*prefetched("audiences", "contributors"))
        )

    def perform_create(self, serializer: Any) -> Action:
        return services.action_create(
            actor=self.request.user, workspace=self.workspace, **changed(serializer)
        )

    def perform_update(self, serializer: Any) -> Action:
        action: Action = serializer.instance
        return services.action_save_fields(
            actor=self.request.user,
            membership=self.membership,
            workspace=self.workspace,
            action=action,
            values=changed(serializer),
            version=action.version,
        )

    def perform_destroy(self, instance: Action) -> None:
        services.action_delete(actor=self.request.user, workspace=self.workspace, action=instance)


class CommentFilter(django_filters.FilterSet):
    project = scoped_uuid_filter(Project, field_name="project", limit=only_visible_projects)
    action = scoped_uuid_filter(Action, field_name="action", limit=only_visible_plan_items)
    objective = scoped_uuid_filter(Objective, field_name="objective", limit=only_visible_plan_items)
    cycle = cycle_filter("objective__cycle", "action__objective__cycle")
    resolved = django_filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", exclude=True
    )
    since = InstantFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text="Comments posted at or after this time.",
    )


@extend_schema_view(
    list=extend_schema(summary="List comments"),
    retrieve=extend_schema(summary="Get a comment"),
    create=extend_schema(summary="Comment on an objective or an action, or reply"),
    partial_update=extend_schema(summary="Edit your comment, or resolve or reopen its thread"),
    destroy=extend_schema(summary="Delete a comment"),
)
class CommentViewSet(WorkspaceViewSet):
    """Comments on objectives and actions (Markdown; @mentions notify the people named). Everyone
    edits only their own comments; partners comment on the projects shared with them."""

    model = Comment
    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    ordering_fields = ["created_at"]
    ordering = ["created_at", "id"]
    actions_map = {
        "list": "plan.view",
        "retrieve": "plan.view",
        "create": "comment.create",
        "partial_update": "comment.update",
        "destroy": "comment.delete",
    }

    def visible(self) -> Any:
        return Comment.objects.filter(
            project__in=visible_projects(membership=self.membership)
        ).select_related(
            "project",
            "action__objective__cycle",
            "objective__cycle",
            "parent",
            "author",
        )

    def perform_create(self, serializer: Any) -> Comment:
        data = changed(serializer)
        parent = data.get("parent")
        target = data.get("action") or data.get("objective")
        if parent is not None:
            target = comments.comment_target(parent)
        assert target is not None  # the serializer asked for exactly one
        return comments.comment_create(
            actor=self.request.user,
            membership=self.membership,
            workspace=self.workspace,
            target=target,
            body=data.get("body", ""),
            parent=parent,
        )

    def perform_update(self, serializer: Any) -> Comment:
        data = changed(serializer)
        comment: Comment = serializer.instance
        if "body" in data:
            comment = comments.comment_update(
                actor=self.request.user,
                membership=self.membership,
                workspace=self.workspace,
                comment=comment,
                body=data["body"],
            )
        if "resolved" in data:
            comments.comment_resolve(
                actor=self.request.user,
                membership=self.membership,
                workspace=self.workspace,
                comment=comment,
                resolved=data["resolved"],
            )
        return comment

    def perform_destroy(self, instance: Comment) -> None:
        comments.comment_delete(
            actor=self.request.user,
            membership=self.membership,
            workspace=self.workspace,
            comment=instance,
        )
