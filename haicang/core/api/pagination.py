"""Limit/offset pagination: ``?limit=`` (default 50, at most 500) and ``?offset=`` (from 0).

A ``limit`` above the maximum is clamped to it; a ``limit`` that is not a whole number of at least 1, or an
``offset`` that is not a whole number of at least 0, is refused with a 400 problem naming the parameter
(silently falling back to a default would hide the caller's bug).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def _whole_number(request: Request, name: str, *, default: int, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ValidationError(
            {name: [_("Enter a whole number of at least %(minimum)d.") % {"minimum": minimum}]},
            code="invalid",
        )
    return value


class Pagination(LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT
    template = None

    def get_limit(self, request: Request) -> int:
        limit = _whole_number(request, self.limit_query_param, default=self.default_limit, minimum=1)
        return min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return _whole_number(request, self.offset_query_param, default=0, minimum=0)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]
        paginated["properties"]["count"]["minimum"] = 0
        for link in ("next", "previous"):
            paginated["properties"][link]["example"] = (
                f"https://haicang.example/api/v1/things/?{self.limit_query_param}=50&{self.offset_query_param}=100"
            )
        return paginated

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Number of results to return (default {self.default_limit}, "
                f"at most {self.max_limit}; larger values are clamped).",
                "schema": {"type": "integer", "minimum": 1, "default": self.default_limit},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "Index of the first result to return, from 0.",
                "schema": {"type": "integer", "minimum": 0, "default": 0},
            },
        ]
