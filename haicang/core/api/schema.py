"""OpenAPI generation: every operation documents the problem-details answers it can give.

``AutoSchema`` (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``) adds ``application/problem+json`` responses
using the ``Problem`` component: 400 on writes and list endpoints (filters, pagination, ordering), 401 and
403 where authentication is required, 404 where the path names an object. Responses an operation declares
itself with ``@extend_schema(responses=...)`` win.

Every mutating operation (``POST``, ``PUT``, ``PATCH``, ``DELETE``) documents the optional
``Idempotency-Key`` header (:mod:`haicang.core.api.idempotency`) and its 409 and 422 answers.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from haicang.core.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from haicang.core.api.idempotency import MUTATING_METHODS
from haicang.core.api.problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE


class ProblemFieldErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(
        allow_null=True,
        help_text="Dotted path of the input at fault (`lines.0.quantity`); null for the whole input.",
    )
    code = serializers.CharField(
        help_text="Stable code: a validator's (`required`, `invalid`) or a domain code."
    )
    detail = serializers.CharField(help_text="Human-readable explanation.")


class ProblemSerializer(serializers.Serializer[Any]):
    """An RFC 9457 problem: what went wrong, with a stable code and the fields at fault."""

    type = serializers.URLField(help_text=f"Identifies the problem: `{PROBLEM_TYPE_BASE}<code>`.")
    title = serializers.CharField(help_text="Short summary of the problem type.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="Explanation specific to this occurrence.")
    instance = serializers.CharField(help_text="The request path.")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `stock.insufficient`.")
    errors = ProblemFieldErrorSerializer(  # type: ignore[assignment]  # declared fields shadow properties
        many=True, required=False, help_text="Present when particular fields are at fault."
    )
    context = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="Extra facts about a domain error (amounts as strings)."
    )


_PROBLEM_DESCRIPTIONS = {
    "400": "Invalid input, query parameter or body (`core.validation`, `core.malformed_request`).",
    "401": "No credentials (`core.not_authenticated`) or a bad API key (`core.authentication_failed`).",
    "403": "Signed in but not allowed (`core.permission_denied`), or a session write without its CSRF token.",
    "404": "No such object, or not visible to the caller (`core.not_found`).",
    "409": "A request with the same `Idempotency-Key` is still in progress (`idempotency.in_flight`), or the "
    "operation conflicts with the current state.",
    "422": "The `Idempotency-Key` was already used for a different request (`idempotency.key_reused`).",
}

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name=IDEMPOTENCY_HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Makes the call safe to retry: the same key with the same body answers the stored response "
        "(header `Idempotent-Replayed: true`) instead of acting twice. 1-255 visible ASCII characters, "
        "scoped to the caller, kept at least 24 hours."
    ),
)


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method in MUTATING_METHODS:
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in self._problem_statuses():
            if status not in responses:
                responses[status] = self._get_response_for_code(  # type: ignore[no-untyped-call,unused-ignore]
                    OpenApiResponse(ProblemSerializer, description=_PROBLEM_DESCRIPTIONS[status]),
                    status,
                    media_types=[PROBLEM_CONTENT_TYPE],
                    direction=direction,
                )
        return responses

    def _problem_statuses(self) -> list[str]:
        statuses = []
        if self.method not in {"GET", "HEAD", "OPTIONS", "DELETE"} or self._is_list_view():
            statuses.append("400")
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            statuses += ["401", "403"]
        if "{" in self.path:
            statuses.append("404")
        if self.method in MUTATING_METHODS:
            statuses += ["409", "422"]
        return statuses
