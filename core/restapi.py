"""The workspace REST API's conventions, in one place.

- Authentication: the browser's session (with CSRF) or a personal token
  (``Authorization: Bearer trr_...``, see :mod:`core.tokens`).
- Tenancy: every view lives under ``/api/v1/w/<workspace_slug>/``; the view opens that workspace's
  scope, and a user who is not a member (or a token of another workspace) gets 404.
- Permissions: the same table as the pages (:mod:`core.roles`); each view maps its operations to
  actions. Read-only tokens cannot write.
- Concurrency: every object answers with an ``ETag``; ``PATCH`` and ``DELETE`` need ``If-Match``
  (428 without, 412 with the current representation when stale).
- Errors: RFC 9457 problem details, with every field's messages under ``errors``.
- Lists: page-number pagination capped at 100, django-filter filters, ordering.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import GenericViewSet

from core.apischema import PROBLEM_CONTENT_TYPE
from core.models import ApiToken, Membership, Workspace
from core.roles import PERMISSIONS
from core.tenancy import ScopeError, workspace_scope

# --- Errors: RFC 9457 problem details ----------------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy(
        "Send If-Match with the ETag you last read, so nobody's change is overwritten."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Someone changed this object since you read it: the current version is attached."
    )
    default_code = "precondition_failed"

    def __init__(self, current: dict[str, Any], etag: str) -> None:
        super().__init__()
        self.current = current
        self.etag = etag


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This conflicts with the current state of the object.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


_TITLES = {
    400: gettext_lazy("Invalid input"),
    401: gettext_lazy("Not authenticated"),
    403: gettext_lazy("Permission denied"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    412: gettext_lazy("Precondition failed"),
    413: gettext_lazy("Payload too large"),
    415: gettext_lazy("Unsupported media type"),
    428: gettext_lazy("Precondition required"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}


def _messages(detail: Any) -> list[str]:
    """Every message in a DRF error detail (lists of lists, dicts of nested items)."""
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list | tuple):
        return [m for item in detail for m in _messages(item)]
    return [str(detail)]


def problem(
    status_code: int,
    detail: str,
    *,
    code: str,
    errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:territoria:problem:{code}",
        "title": str(_TITLES.get(status_code, code.replace("_", " ").capitalize())),
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return body


def _django_to_drf(exc: Exception) -> Exception:
    """The Django exceptions our services raise, as the API answers them."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {
                    (k if k != "__all__" else "non_field_errors"): v
                    for k, v in exc.message_dict.items()
                }
            )
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        detail = str(exc.args[0]) if exc.args and " " in str(exc.args[0]) else None
        return exceptions.PermissionDenied(detail)
    if isinstance(exc, Http404 | ScopeError):
        # ScopeError: a related object of another workspace reached a service.
        return exceptions.NotFound()
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _django_to_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    extra: dict[str, Any] = {}
    errors: dict[str, list[str]] | None = None
    if isinstance(exc, exceptions.ValidationError):
        detail = _("Check the fields listed in errors.")
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {str(k): _messages(v) for k, v in data.items()}
        code = "validation_error"
    elif isinstance(exc, exceptions.APIException):
        detail = " ".join(_messages(exc.detail))
        code = str(exc.default_code)
        if isinstance(exc, PreconditionFailed):
            extra["current"] = exc.current
            response["ETag"] = exc.etag
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            extra["retry_after"] = int(wait + 0.999)
    else:  # pragma: no cover - drf_exception_handler only answers APIException and Http404
        detail, code = str(exc), "error"
    response.data = problem(response.status_code, detail, code=code, errors=errors, **extra)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's 404 for API paths no view matched (a malformed id, say), as problem details."""
    body = problem(404, _("There is nothing at this address."), code="not_found")
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)


def api_server_error(request: HttpRequest) -> JsonResponse:
    body = problem(500, _("Something went wrong on our side; it has been logged."), code="error")
    return JsonResponse(body, status=500, content_type=PROBLEM_CONTENT_TYPE)


# --- Serializers -------------------------------------------------------------------------------


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, and says which are read-only (no silent mass assignment)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            errors: dict[str, list[str]] = {}
            for name in data:
                field = self.fields.get(name)
                if field is None:
                    errors[name] = [_("Unknown field.")]
                elif field.read_only:
                    errors[name] = [_("This field is read-only.")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


class ScopedUUIDField(serializers.SlugRelatedField):
    """A workspace object named by its public id. The queryset is built per request (scoped), and
    ``limit`` narrows it further (a partner sees only shared projects, for instance)."""

    def __init__(
        self,
        model: type[models.Model],
        limit: Callable[[Any, Request], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.model = model
        self.limit = limit
        kwargs.setdefault("slug_field", "uuid")
        if not kwargs.get("read_only"):
            kwargs["queryset"] = model._base_manager.none()  # get_queryset() builds the real one
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        qs = self.model._default_manager.all()
        if self.limit is not None:
            qs = self.limit(qs, self.context["request"])
        return qs

    def to_internal_value(self, data: Any) -> Any:
        try:
            return self.get_queryset().get(uuid=data)
        except (self.model.DoesNotExist, DjangoValidationError, TypeError, ValueError):  # type: ignore[attr-defined]
            self.fail("does_not_exist", slug_name="id", value=str(data)[:64])
        return None  # pragma: no cover

    def to_representation(self, obj: Any) -> str:
        return str(obj.uuid)


class CodeField(serializers.SlugRelatedField):
    """A reference item (TRACER stage, mix family, audience...) named by its stable code."""

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def link(request: Request | None, name: str, obj_uuid: Any, workspace_slug: str) -> str | None:
    """The absolute API address of one object, or None when there is no object."""
    if obj_uuid is None:
        return None
    path = reverse(
        f"api:{name}-detail", kwargs={"workspace_slug": workspace_slug, "uuid": obj_uuid}
    )
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field({"type": ["string", "null"], "format": "uri", "readOnly": True})
class LinkField(serializers.Field):
    """``<name>_url``: the API address of a related object, built from its id without a query.

    ``source`` names the uuid (e.g. ``objective.uuid``): select_related() the relation.
    """

    def __init__(self, route: str, **kwargs: Any) -> None:
        self.route = route
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        try:
            return super().get_attribute(instance)
        except (AttributeError, KeyError):
            return None

    def to_representation(self, value: Any) -> str | None:
        request = self.context.get("request")
        return link(request, self.route, value, self.context["workspace_slug"])


@extend_schema_field({"type": "string", "format": "uri", "readOnly": True})
class SelfLinkField(LinkField):
    """The object's own address; the route is the serializer's ``Meta.route``."""

    def __init__(self, route: str = "", **kwargs: Any) -> None:
        kwargs["source"] = "uuid"
        super().__init__(route, **kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        self.route = self.route or parent.Meta.route


def user_ref(source: str, help_text: str) -> serializers.UUIDField:
    """A person, by their public user id (the ``user`` of the members list)."""
    return serializers.UUIDField(
        source=f"{source}.uuid", read_only=True, allow_null=True, help_text=help_text
    )


class ResourceSerializer(StrictModelSerializer):
    """Every workspace object: its public ``id`` and its ``url``. ``Meta.route`` names the route."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    url = SelfLinkField()


# --- ETags ------------------------------------------------------------------------------------


def etag_for(instance: models.Model, representation: dict[str, Any]) -> str:
    """The object's version when it has one (plan items, indicators), else a hash of what the
    client sees. Either way it changes whenever the object does."""
    version = getattr(instance, "version", None)
    if isinstance(version, int):
        return f'"{version}"'
    payload = json.dumps(representation, sort_keys=True, cls=DjangoJSONEncoder)
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:24] + '"'


def _tags(header: str) -> set[str]:
    tags = set()
    for raw in header.split(","):
        tag = raw.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag:
            tags.add(tag)
    return tags


# --- The base view set ------------------------------------------------------------------------


class WorkspaceViewSet(GenericViewSet):
    """Base of every workspace resource. Subclasses declare:

    - ``actions_map``: view-set action (list, retrieve, create, partial_update, destroy) ->
      permission action of core.roles;
    - ``model`` and ``visible()``, the objects the member may see (already scoped to the
      workspace; narrowed for partners);
    - ``perform_create(serializer)``, ``perform_update(serializer)``, ``perform_destroy(obj)``
      that call the app's services and return the saved object.
    """

    model: type[models.Model]
    lookup_field = "uuid"
    lookup_url_kwarg = "uuid"
    lookup_value_converter = "uuid"
    actions_map: dict[str, str] = {}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    request: Any
    workspace: Workspace  # set by dispatch() when the address names an existing workspace
    membership: Membership

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for action in cls.actions_map.values():
            if action not in PERMISSIONS:
                raise KeyError(f"{cls.__name__}: no permission row for {action!r}")

    # Scope: resolved before anything else, held for the whole request.
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        slug = kwargs.get("workspace_slug", "")
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:  # check_permissions() answers 401 or 404
            return super().dispatch(request, *args, **kwargs)
        self.workspace = workspace
        with workspace_scope(workspace):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.API_MAX_BODY_BYTES:
            raise PayloadTooLarge(
                _("The request body is larger than %(limit)d bytes.")
                % {"limit": settings.API_MAX_BODY_BYTES}
            )
        super().initial(request, *args, **kwargs)

    def check_permissions(self, request: Request) -> None:
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if self.workspace is None or (
            token is not None and token.workspace_id != self.workspace.pk
        ):
            raise exceptions.NotFound()
        membership = (
            Membership.objects.filter(user=request.user).select_related("user", "workspace").first()
        )
        if membership is None:
            raise exceptions.NotFound()
        self.membership = membership
        request.membership = membership  # type: ignore[attr-defined]
        request.workspace = self.workspace  # type: ignore[attr-defined]
        super().check_permissions(request)

    def permission_action(self) -> str | None:
        action = self.action or ""
        if action == "metadata":
            return None
        try:
            return self.actions_map[action]
        except KeyError as exc:
            raise exceptions.MethodNotAllowed(self.request.method) from exc

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["workspace_slug"] = self.kwargs.get("workspace_slug", "")
        context["membership"] = getattr(self, "membership", None)
        return context

    def get_object(self, *, for_update: bool = False) -> Any:
        queryset = (
            self.filter_queryset(self.get_queryset()) if not for_update else self.get_queryset()
        )
        if for_update:
            # Lock the row itself (not the joined ones) until the transaction ends.
            queryset = queryset.select_for_update(of=("self",))
        obj = queryset.filter(uuid=self.kwargs["uuid"]).first()
        if obj is None:
            raise exceptions.NotFound()
        self.check_object_permissions(self.request, obj)
        return obj

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, without a request
            return self.model._base_manager.none()
        return self.visible()

    def visible(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def represent(self, instance: Any) -> dict[str, Any]:
        return dict(self.get_serializer(instance).data)

    def refetch(self, instance: Any) -> Any:
        """The saved object again, through the list's queryset (annotations, prefetches)."""
        return self.get_queryset().get(pk=instance.pk)

    # --- Operations ---------------------------------------------------------------------------

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        data = self.represent(instance)
        etag = etag_for(instance, data)
        if etag in _tags(request.headers.get("If-None-Match", "")):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = self.perform_create(serializer)
        instance = self.refetch(instance)
        data = self.represent(instance)
        headers = {"ETag": etag_for(instance, data)}
        if "url" in data:
            headers["Location"] = data["url"]
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def _check_precondition(self, request: Request, instance: Any) -> dict[str, Any]:
        header = request.headers.get("If-Match")
        if not header:
            raise PreconditionRequired()
        current = self.represent(instance)
        etag = etag_for(instance, current)
        tags = _tags(header)
        if "*" not in tags and etag not in tags:
            raise PreconditionFailed(current, etag)
        return current

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.get_object(for_update=True)
            self._check_precondition(request, instance)
            serializer = self.get_serializer(instance, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            instance = self.perform_update(serializer)
        instance = self.refetch(instance)
        data = self.represent(instance)
        return Response(data, headers={"ETag": etag_for(instance, data)})

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.get_object(for_update=True)
            self._check_precondition(request, instance)
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Hooks for subclasses -----------------------------------------------------------------

    def perform_create(self, serializer: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def perform_update(self, serializer: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def perform_destroy(self, instance: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def changed(serializer: Any) -> dict[str, Any]:
    """The validated fields of a PATCH, as the keyword arguments of a service."""
    return dict(serializer.validated_data)


def only(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in names}


class WorkspaceRootViewSet(WorkspaceViewSet):
    """``/api/v1/w/<workspace>/``: the workspace and the address of each of its lists."""

    model = Workspace
    actions_map = {"list": "workspace.view"}
    routes: list[tuple[str, str]] = []  # (prefix, basename), filled by the router module
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        summary="The workspace's API root",
        responses=inline_serializer(
            "WorkspaceRoot",
            {
                "workspace": inline_serializer(
                    "WorkspaceRef",
                    {"slug": serializers.CharField(), "name": serializers.CharField()},
                ),
                "role": serializers.CharField(),
                "lists": serializers.DictField(child=serializers.URLField()),
            },
        ),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        slug = self.workspace.slug
        lists = {
            prefix: request.build_absolute_uri(
                reverse(f"api:{basename}-list", kwargs={"workspace_slug": slug})
            )
            for prefix, basename in self.routes
        }
        return Response(
            {
                "workspace": {"slug": slug, "name": self.workspace.name},
                "role": self.membership.role,
                "lists": lists,
            }
        )
