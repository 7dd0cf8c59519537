"""Filters of the inventory pages: labels of states, count statuses, approval reasons, document types."""

from __future__ import annotations

from typing import Any

from django import template

from haicang.inventory import labels

register = template.Library()


@register.filter
def state_label(state: str) -> Any:
    return labels.state_label(state)


@register.filter
def count_status(status: str) -> Any:
    return labels.count_status_label(status)


@register.filter
def count_kind(kind: str) -> Any:
    return labels.count_kind_label(kind)


@register.filter
def approval_reasons(reasons: str) -> list[Any]:
    return labels.approval_reason_labels(reasons)


@register.filter
def document_type(value: str) -> Any:
    return labels.document_type_label(value)


@register.filter
def signed(value: int) -> str:
    """A variance with its sign: +3, −2, 0."""
    return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else "0")


@register.filter
def level(levels: Any, state: str) -> Any:
    return getattr(levels, state)


@register.filter
def level_of(values: dict[str, Any], key: str) -> Any:
    return values.get(key)
