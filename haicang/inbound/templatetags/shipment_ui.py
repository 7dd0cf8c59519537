"""Template helpers of the inbound shipment pages: ``{% load shipment_ui %}``."""

from __future__ import annotations

from typing import Any

from django import template

from haicang.inbound.forms import BASIS_LABELS, COST_KIND_LABELS, MODE_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def inbound_status(code: str) -> Any:
    return STATUS_LABELS.get(code, code)


@register.filter
def inbound_mode(code: str) -> Any:
    return MODE_LABELS.get(code, code)


@register.filter
def cost_kind(code: str) -> Any:
    return COST_KIND_LABELS.get(code, code)


@register.filter
def allocation_basis(code: str) -> Any:
    return BASIS_LABELS.get(code, code)


@register.filter
def centimetres(mm: int | None) -> str:
    if mm is None:
        return "—"
    return f"{mm / 10:.1f}".rstrip("0").rstrip(".")


@register.filter
def kilograms(grams: int | None) -> str:
    if grams is None:
        return "—"
    return f"{grams / 1000:.3f}".rstrip("0").rstrip(".") + " kg"
