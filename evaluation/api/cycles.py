"""The workspace API's cycle review operation: close cycle N and open N+1, carrying the chosen
objectives and actions over (evaluation.cycles.cycle_close, one transaction)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.restapi import ScopedUUIDField, StrictSerializer, WorkspaceViewSet, etag_for
from evaluation import cycles
from mix.api.serializers import only_visible_plan_items
from mix.models import Action
from territories.api.serializers import CycleSerializer
from territories.models import Cycle
from territories.selectors import visible_projects
from tracer.models import Objective


class CycleCloseSerializer(StrictSerializer):
    """Close the cycle and open the next one, carrying the chosen unfinished items over."""

    started_on = serializers.DateField(
        help_text="The day the next cycle starts (not before this one started)."
    )
    objectives = ScopedUUIDField(
        Objective,
        limit=only_visible_plan_items,
        many=True,
        required=False,
        help_text="Objectives of this cycle to copy into the next one (ids).",
    )
    actions = ScopedUUIDField(
        Action,
        limit=only_visible_plan_items,
        many=True,
        required=False,
        help_text="Actions of this cycle to copy, with their objective, into the next one (ids).",
    )


class CycleCloseViewSet(WorkspaceViewSet):
    """``POST /cycles/<id>/close/``: the cycle review's last step."""

    model = Cycle
    serializer_class = CycleCloseSerializer
    actions_map = {"close": "cycle.close"}
    http_method_names = ["post", "options"]
    pagination_class = None
    filter_backends: list[Any] = []

    def visible(self) -> Any:
        return Cycle.objects.filter(
            project__in=visible_projects(membership=self.membership)
        ).select_related("project")

    @extend_schema(
        summary="Close a cycle and open the next one, carrying objectives and actions over",
        description=(
            "In one transaction: the cycle is closed (its plan and records become read-only), "
            "the next cycle opens on ``started_on``, and copies of the chosen objectives and "
            "actions of the closed cycle join it, linked to their originals. Answers the new "
            "cycle; 409 when the cycle is closed already; 400 for ids that are not this cycle's."
        ),
        request=CycleCloseSerializer,
        responses={201: CycleSerializer},
        examples=[
            OpenApiExample(
                "Close",
                request_only=True,
                value={
                    "started_on": "2027-01-04",
                    "objectives": ["0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b"],
                    "actions": ["3c9b2a1d-0e4f-4a6b-8c7d-5e6f7a8b9c0d"],
                },
            )
        ],
    )
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cycle = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        following = cycles.cycle_close(
            actor=self.request.user,
            workspace=self.workspace,
            cycle=cycle,
            **serializer.validated_data,
        )
        following = self.visible().get(pk=following.pk)
        data = dict(CycleSerializer(following, context=self.get_serializer_context()).data)
        headers = {"ETag": etag_for(following, data), "Location": data["url"]}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)
