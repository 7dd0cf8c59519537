"""Query conventions shared by list endpoints: strict ordering and strict ISO-8601 datetimes.

``?ordering=field`` or ``?ordering=-field`` (comma-separated for several) sorts by the fields a view lists in
``ordering_fields`` — an explicit allow-list (none listed: no ordering); ``"__all__"`` and the
serializer-derived default are not available, so no index-less column becomes sortable by accident. An unknown field is a 400 problem naming
``ordering``. The primary key is appended as the last sort key, so limit/offset pages are stable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as django_filters
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class OrderingFilter(filters.OrderingFilter):
    def get_valid_fields(
        self, queryset: QuerySet[Any], view: Any, context: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        allowed = getattr(view, "ordering_fields", None) or ()
        if allowed == "__all__":
            raise ImproperlyConfigured(
                f"{type(view).__name__} must list the fields it may be ordered by in `ordering_fields`."
            )
        return [(name, name) for name in allowed]

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        default = list(self.get_default_ordering(view) or [])
        raw = request.query_params.get(self.ordering_param)
        if raw is None or not raw.strip():
            return self._stable(default)
        terms = [term.strip() for term in raw.split(",") if term.strip()]
        allowed = {name for name, _label in self.get_valid_fields(queryset, view)}
        unknown = [term for term in terms if term.removeprefix("-") not in allowed]
        if unknown:
            choices = ", ".join(sorted(allowed)) or _("none")
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Cannot order by %(fields)s; allowed: %(choices)s.")
                        % {"fields": ", ".join(unknown), "choices": choices}
                    ]
                },
                code="invalid",
            )
        return self._stable(terms)

    @staticmethod
    def _stable(terms: list[str]) -> list[str]:
        if not terms or any(term.removeprefix("-") in {"pk", "id"} for term in terms):
            return terms
        return [*terms, "-pk" if terms[0].startswith("-") else "pk"]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        allowed = list(getattr(view, "ordering_fields", None) or [])
        if not allowed or allowed == ["__all__"]:
            return []
        choices = [value for name in allowed for value in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by these fields, comma-separated; a leading `-` sorts descending.",
                "schema": {"type": "array", "items": {"type": "string", "enum": choices}},
                "style": "form",
                "explode": False,
            }
        ]


class AwareDateTimeField(forms.DateTimeField):
    """An ISO-8601 datetime that must carry its UTC offset (``Z`` or ``+08:00``, sent as ``%2B08:00``)."""

    default_error_messages = {
        "invalid": _("Enter an ISO-8601 date and time with an offset, e.g. 2026-03-01T08:00:00Z."),
        "naive": _("Include the UTC offset: Z or ±HH:MM (a '+' in a URL must be percent-encoded)."),
    }

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if parsed.tzinfo is None:
            raise forms.ValidationError(self.error_messages["naive"], code="naive")
        return parsed


class AwareDateTimeFilter(django_filters.IsoDateTimeFilter):  # type: ignore[misc,unused-ignore]
    field_class = AwareDateTimeField
