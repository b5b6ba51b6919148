"""OpenAPI 3.1 for the workspace API (drf-spectacular): shared errors, examples, headers."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator as BaseSchemaGenerator
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import append_meta
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

# core.restapi applies extend_schema() while loading, which loads this module: import it lazily.
PROBLEM_CONTENT_TYPE = "application/problem+json"


# RFC 9457 problem details, the body of every error. Built inline: a serializer attribute named
# ``errors`` would hide Serializer.errors.
ProblemSerializer = inline_serializer(
    "Problem",
    {
        "type": serializers.CharField(help_text="A URI naming the kind of problem."),
        "title": serializers.CharField(help_text="A short summary of the kind of problem."),
        "status": serializers.IntegerField(help_text="The HTTP status code."),
        "detail": serializers.CharField(help_text="What went wrong this time, for people."),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="Invalid input: each field's messages (non_field_errors: the whole object).",
        ),
        "current": serializers.DictField(
            required=False, help_text="412 only: the object as it is now (ETag in the header)."
        ),
        "retry_after": serializers.IntegerField(
            required=False, help_text="429 only: seconds to wait (also in Retry-After)."
        ),
    },
)


_ERROR_EXAMPLES: dict[int, dict[str, Any]] = {
    400: {
        "type": "urn:territoria:problem:validation_error",
        "title": "Invalid input",
        "status": 400,
        "detail": "Check the fields listed in errors.",
        "errors": {"title": ["This field may not be blank."], "colour": ["Unknown field."]},
    },
    401: {
        "type": "urn:territoria:problem:not_authenticated",
        "title": "Not authenticated",
        "status": 401,
        "detail": "Authentication credentials were not provided.",
    },
    403: {
        "type": "urn:territoria:problem:permission_denied",
        "title": "Permission denied",
        "status": 403,
        "detail": "This token is read-only: create a read and write token to change data.",
    },
    404: {
        "type": "urn:territoria:problem:not_found",
        "title": "Not found",
        "status": 404,
        "detail": "Not found.",
    },
    409: {
        "type": "urn:territoria:problem:conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "This conflicts with the current state of the object.",
    },
    412: {
        "type": "urn:territoria:problem:precondition_failed",
        "title": "Precondition failed",
        "status": 412,
        "detail": "Someone changed this object since you read it: the current version is attached.",
        "current": {"id": "8d1c0c8e-3f4a-4d8e-9a57-2b4e8f0c9d11", "version": 4},
    },
    413: {
        "type": "urn:territoria:problem:payload_too_large",
        "title": "Payload too large",
        "status": 413,
        "detail": "The request body is larger than 262144 bytes.",
    },
    415: {
        "type": "urn:territoria:problem:unsupported_media_type",
        "title": "Unsupported media type",
        "status": 415,
        "detail": 'Unsupported media type "text/plain" in request.',
    },
    428: {
        "type": "urn:territoria:problem:precondition_required",
        "title": "Precondition required",
        "status": 428,
        "detail": "Send If-Match with the ETag you last read, so nobody's change is overwritten.",
    },
    429: {
        "type": "urn:territoria:problem:throttled",
        "title": "Too many requests",
        "status": 429,
        "detail": "Request was throttled. Expected available in 12 seconds.",
        "retry_after": 12,
    },
}

_ERROR_DESCRIPTIONS = {
    400: "Invalid input: every field's messages are in `errors`.",
    401: "No credentials, or a token that is mistyped, revoked or expired.",
    403: "Your role (or a read-only token) does not allow this.",
    404: "No such object in this workspace (another workspace's ids are never found).",
    409: "The change conflicts with the object's state (a closed cycle, say).",
    412: "Stale If-Match: the object changed; `current` holds it now.",
    413: "The request body is too large.",
    415: "Send JSON (Content-Type: application/json).",
    428: "If-Match is required: send the ETag you last read.",
    429: "Too many requests: wait for Retry-After seconds.",
}

_LIST_400 = (
    "A query parameter that is not valid (blank, repeated, a malformed or unknown id, a date other "
    "than YYYY-MM-DD, a value not listed) or that the list does not take: `errors` names it."
)

_LIST_400_EXAMPLE = {
    "type": "urn:territoria:problem:validation_error",
    "title": "Invalid input",
    "status": 400,
    "detail": "Check the fields listed in errors.",
    "errors": {"cycle": ["Give an id, or one of: current."]},
}


def _error_codes(method: str, action: str | None) -> list[int]:
    codes = [401, 403, 404, 429]
    if method == "GET" and action == "list":
        codes.append(400)
    if method in ("POST", "PATCH"):
        codes += [400, 413, 415]
    if method in ("PATCH", "DELETE"):
        codes += [409, 412, 428]
    if method == "POST":
        codes.append(409)
    return sorted(set(codes))


def _source_columns(field: Any) -> list[Any] | None:
    """The model fields a serializer field's source walks, in order (``component.code``: the
    score's ``component``, then the component's ``code``); None when the source leaves the
    model fields (a property, a method)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    columns = []
    for attr in getattr(field, "source_attrs", []):
        if model is None:
            return None
        try:
            column = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        columns.append(column)
        model = column.related_model if column.is_relation else None
    return columns


def source_can_be_null(field: Any) -> bool:
    """Whether a serializer field reads None from some row: its source walks a model field with
    ``null=True`` (``component.code`` of a score that names an element instead). DRF answers null
    then, whatever the field's ``allow_null`` (which only speaks of input)."""
    if not isinstance(field, serializers.Field) or isinstance(
        field, serializers.SerializerMethodField | serializers.ManyRelatedField
    ):
        return False
    if getattr(field, "many", False) or field.source == "*":
        return False
    for column in _source_columns(field) or []:
        if column.many_to_many or column.one_to_many:
            return False
        if getattr(column, "null", False):
            return True
    return False


_META = ("readOnly", "writeOnly", "description", "title", "default")


def _source_column(field: Any) -> Any:
    """The model field a serializer field reads last, when its source walks model fields."""
    columns = _source_columns(field)
    return columns[-1] if columns else None


def _is_nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return bool(
        schema.get("nullable")
        or kind == "null"
        or (isinstance(kind, list) and "null" in kind)
        or any(_is_nullable(s) for s in schema.get("oneOf", []) + schema.get("anyOf", []))
    )


class AutoSchema(BaseAutoSchema):
    """Adds to every workspace operation: its error responses (problem details with examples),
    the If-Match header on writes, the ETag header on answers, and the view's examples."""

    def _is_workspace_view(self) -> bool:
        from core.restapi import WorkspaceViewSet

        return isinstance(self.view, WorkspaceViewSet)

    def get_tags(self) -> list[str]:
        model = getattr(self.view, "model", None)
        if model is not None and self._is_workspace_view():
            return [str(model._meta.verbose_name_plural).capitalize()]
        return list(super().get_tags())

    def _is_list_view(self, serializer: Any = None) -> bool:
        from core.restapi import WorkspaceRootViewSet

        if isinstance(self.view, WorkspaceRootViewSet):  # its "list" is one object
            return False
        return bool(super()._is_list_view(serializer))

    def _error_codes(self) -> list[int]:
        if self._is_workspace_view():
            return _error_codes(self.method, getattr(self.view, "action", None))
        # Outside a workspace (/me/, the reference lists): throttled, maybe signed in, filtered.
        codes = [429]
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append(401)
        if self.method == "GET" and getattr(self.view, "filter_backends", None):
            codes.append(400)
        return sorted(codes)

    def _is_retrieve(self) -> bool:
        return self._is_workspace_view() and getattr(self.view, "action", None) == "retrieve"

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters())
        if self._is_retrieve():
            params.append(
                OpenApiParameter(
                    "If-None-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The ETag you hold: 304 without a body while it is current.",
                )
            )
        if self._is_workspace_view():
            params.append(
                OpenApiParameter(
                    "workspace_slug",
                    str,
                    OpenApiParameter.PATH,
                    description="The workspace's address, as in /w/<workspace>/ on the site.",
                )
            )
        if self._is_workspace_view() and self.method in ("PATCH", "DELETE"):
            params.append(
                OpenApiParameter(
                    "If-Match",
                    # Blank is no precondition at all: 428, as when the header is missing.
                    {"type": "string", "minLength": 1, "pattern": r"\S"},
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the object as you last read it (or *).",
                )
            )
        return params

    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_parameters()
        if self.method == "GET":
            # Every query parameter of a list refuses a blank value (400), as
            # core.apifilters.FilterBackend, its OrderingFilter and the paginator do.
            for parameter in parameters:
                if parameter.get("in") != "query":
                    continue
                parameter["allowEmptyValue"] = False
                if parameter["name"] in ("page", "page_size"):
                    # core.apiauth.Pagination reads at most 18 digits.
                    parameter["schema"] = {**parameter["schema"], "maximum": 10**18 - 1}
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"format", "pattern", "enum"} & set(
                    schema
                ):
                    parameter["schema"] = {**schema, "minLength": 1, "pattern": NOT_BLANK}
        return parameters

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        writable = getattr(field.parent, "writable_choices", {}).get(field.field_name)
        if direction == "request" and writable is not None and schema is not None:
            # The values a request may not send, though answers show them (a deliverable's
            # file comes from the step's page).
            refused = [str(choice) for choice in field.choices if choice not in writable]
            schema = {**schema, "not": {"enum": refused}}
        if (
            isinstance(field, serializers.DecimalField)
            and field.min_value is not None
            and field.min_value >= 0
            and schema is not None
            and str(schema.get("pattern", "")).startswith("^-?")
        ):
            # A number that cannot be negative (a check constraint): no sign in its pattern.
            schema = {**schema, "pattern": "^" + schema["pattern"][3:]}
        if (
            direction == "response"
            and schema is not None
            and not _is_nullable(schema)
            and source_can_be_null(field)
        ):
            schema = append_meta(schema, {"nullable": True})
        if (
            direction == "response"
            and schema is not None
            and field.read_only  # drf-spectacular says so of the writable ones
            and schema.get("format") in ("email", "uri")
            and _source_column(field) is not None
            and getattr(_source_column(field), "blank", False)
        ):
            # An optional address reads "" when it is not given, which no email or URI is.
            kinds = schema.get("type")
            blank = {"type": "string", "maxLength": 0}
            schema = {
                "oneOf": [{k: v for k, v in schema.items() if k not in _META}, blank],
                **{k: v for k, v in schema.items() if k in _META},
            }
            if isinstance(kinds, list) and "null" in kinds:
                schema["oneOf"].append({"type": "null"})
                schema["oneOf"][0]["type"] = "string"
        return schema

    def get_examples(self) -> list[OpenApiExample]:
        examples = list(super().get_examples())
        example = getattr(self.view, "schema_example", None)
        if not examples and example is not None and self._is_workspace_view():
            view: Any = self.view
            serializer = view.get_serializer_class()()
            writable = {n for n, f in serializer.fields.items() if not f.read_only}
            examples.append(OpenApiExample("Example", value=example, response_only=True))
            request_example = {k: v for k, v in example.items() if k in writable}
            if request_example:
                examples.append(OpenApiExample("Example", value=request_example, request_only=True))
        return examples

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        etag = {
            "schema": {"type": "string"},
            "description": "The object's version: send it back in If-Match to change it.",
        }
        if self._is_workspace_view() and getattr(self.view, "action", None) in (
            "retrieve",
            "create",
            "partial_update",
        ):
            for status_code, response in responses.items():
                if status_code in ("200", "201"):
                    response.setdefault("headers", {})["ETag"] = etag
        if self._is_retrieve():
            responses["304"] = {
                "description": "Not modified: the ETag in If-None-Match is still current.",
                "headers": {"ETag": etag},
            }
        for code in self._error_codes():
            response = self._get_response_for_code(
                ProblemSerializer, str(code), media_types=[PROBLEM_CONTENT_TYPE]
            )
            response["description"] = _ERROR_DESCRIPTIONS[code]
            if code == 400 and self.method == "GET":
                response["description"] = _LIST_400
            example = _ERROR_EXAMPLES[code]
            if code == 400 and self.method == "GET":
                example = _LIST_400_EXAMPLE
            response["content"][PROBLEM_CONTENT_TYPE]["examples"] = {"Problem": {"value": example}}
            if code == 429:
                response["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}
                }
            if code == 412:
                response["headers"] = {"ETag": {**etag, "description": "The current ETag."}}
            responses[str(code)] = response
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.apiauth.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token (trr_...), created in the workspace's Settings → API tokens."
            ),
        }


# What DRF's CharField refuses (400): a NUL character anywhere, and when blanks are refused, a
# value that is only spaces (it trims them first).
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"


def _text_patterns(schema: dict[str, Any]) -> None:
    for variant in [schema, *schema.get("oneOf", [])]:
        kind = variant.get("type")
        if variant.get("items"):
            _text_patterns(variant["items"])
        is_text = kind == "string" or (isinstance(kind, list) and "string" in kind)
        if not is_text or {"format", "pattern", "enum", "$ref"} & set(variant):
            continue
        if variant.get("maxLength") == 0:
            continue
        variant["pattern"] = NOT_BLANK if variant.get("minLength", 0) >= 1 else NO_NUL


_DECIMAL = re.compile(r"\^(-\?)?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$")


def _decimal_pattern(schema: dict[str, Any]) -> None:
    """drf-spectacular's decimal pattern matches "" and "-", which DRF refuses: a number has a
    digit (but a nullable one takes "" for null)."""
    for variant in [schema, *schema.get("oneOf", [])]:
        match = _DECIMAL.fullmatch(variant.get("pattern", ""))
        if variant.get("format") == "decimal" and match:
            sign, whole, fraction = match.groups()
            sign = "-?" if sign else ""  # no sign: it cannot be negative
            number = f"\\d{{1,{whole}}}(\\.\\d{{0,{fraction}}})?|\\.\\d{{1,{fraction}}}"
            nullable = "null" in (variant.get("type") or [])
            variant["pattern"] = f"^({sign}({number})|)$" if nullable else f"^{sign}({number})$"


def postprocess(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """Request bodies refuse properties they do not declare (the API answers 400 to them), and
    their text fields say which characters they refuse."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
            for prop in schema.get("properties", {}).values():
                _text_patterns(prop)
                _decimal_pattern(prop)
    return result


class SchemaGenerator(BaseSchemaGenerator):
    """Generates the schema with the workspace scope lifted: it reads models, never rows."""

    def get_schema(self, request: Any = None, public: bool = False) -> Any:
        from core.tenancy import scopes_disabled

        with scopes_disabled():
            return super().get_schema(request, public)
