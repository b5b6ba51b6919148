"""API views that live outside a workspace: who am I, and where are my workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import services
from core.models import ApiToken, Membership
from core.restapi import Conflict, ResourceSerializer, WorkspaceViewSet, changed
from core.roles import Role


class MeWorkspaceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    api_url = serializers.CharField(help_text="The root of this workspace's API.")


class MeTokenSerializer(serializers.Serializer):
    name = serializers.CharField()
    scope = serializers.CharField()
    workspace = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class MeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    workspaces = MeWorkspaceSerializer(many=True)
    token = MeTokenSerializer(allow_null=True, help_text="The token of this request, if any.")


class MeView(APIView):
    """The authenticated user and the workspaces they can reach with these credentials."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Who am I",
        responses={200: MeSerializer},
        examples=[
            OpenApiExample(
                "Example",
                value={
                    "id": "4f7d3c2a-1b0e-4c5d-8e9f-a1b2c3d4e5f6",
                    "email": "demo@territoria.local",
                    "full_name": "Claire Martin",
                    "workspaces": [
                        {
                            "slug": "cote-d-opale",
                            "name": "Côte d'Opale",
                            "role": "owner",
                            "api_url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/",
                        }
                    ],
                    "token": None,
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        token = request.auth if isinstance(request.auth, ApiToken) else None
        # Unscoped on purpose: this lists the user's own memberships across workspaces.
        memberships = Membership.unscoped_objects.filter(user=user).select_related("workspace")
        if token is not None:
            memberships = memberships.filter(workspace_id=token.workspace_id)
        workspaces = [
            {
                "slug": m.workspace.slug,
                "name": m.workspace.name,
                "role": m.role,
                "api_url": request.build_absolute_uri(
                    reverse("api:api-root", kwargs={"workspace_slug": m.workspace.slug})
                ),
            }
            for m in memberships.order_by("workspace__name")
        ]
        data: dict[str, Any] = {
            "id": user.uuid,
            "email": user.email,
            "full_name": user.full_name,
            "workspaces": workspaces,
            "token": None,
        }
        if token is not None:
            data["token"] = {
                "name": token.name,
                "scope": token.scope,
                "workspace": token.workspace.slug,
                "expires_at": token.expires_at,
            }
        return Response(MeSerializer(data).data)


# --- Members ------------------------------------------------------------------------------------


class MemberSerializer(ResourceSerializer):
    """A member of the workspace and their role. Admins change roles and remove members."""

    user = serializers.UUIDField(source="user.uuid", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    partner_organisations: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="uuid", many=True, read_only=True, help_text="The organisations they belong to."
    )

    class Meta:
        model = Membership
        route = "member"
        fields = [
            "id",
            "url",
            "user",
            "email",
            "full_name",
            "role",
            "partner_organisations",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class MemberFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)


@extend_schema_view(
    list=extend_schema(summary="List members"),
    retrieve=extend_schema(summary="Get a member"),
    partial_update=extend_schema(summary="Change a member's role"),
    destroy=extend_schema(summary="Remove a member from the workspace"),
)
class MemberViewSet(WorkspaceViewSet):
    """The workspace's members. Invite people from the site; admins change roles here (only
    owners make or unmake owners, and the last owner stays)."""

    model = Membership
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    ordering_fields = ["created_at", "role"]
    ordering = ["created_at", "id"]
    actions_map = {
        "list": "member.view",
        "retrieve": "member.view",
        "partial_update": "member.change_role",
        "destroy": "member.remove",
    }
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def visible(self) -> Any:
        return Membership.objects.select_related("user").prefetch_related(
            Prefetch("partner_organisations")
        )

    def perform_update(self, serializer: Any) -> Membership:
        data = changed(serializer)
        membership: Membership = serializer.instance
        if "role" in data:
            with _last_owner_is_a_conflict():
                membership = services.membership_change_role(
                    actor_membership=self.membership,
                    workspace=self.workspace,
                    membership=membership,
                    role=data["role"],
                    request=self.request,
                )
        return membership

    def perform_destroy(self, instance: Membership) -> None:
        with _last_owner_is_a_conflict():
            services.membership_remove(
                actor_membership=self.membership,
                workspace=self.workspace,
                membership=instance,
                request=self.request,
            )


@contextmanager
def _last_owner_is_a_conflict() -> Iterator[None]:
    """Removing or demoting the last owner is refused by the workspace's state, not by the
    request's form: 409, as the schema documents (a 400 would say the request was malformed)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise Conflict(" ".join(exc.messages)) from exc
