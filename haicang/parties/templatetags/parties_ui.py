"""Template helpers of the parties' pages: ``{% load parties_ui %}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from haicang.parties.labels import AGREEMENT_STATUS_LABELS, FEE_KIND_LABELS, role_label

register = template.Library()


@register.filter
def role_name(role: str) -> Any:
    return role_label(role)


@register.filter
def agreement_status(status: str) -> Any:
    return AGREEMENT_STATUS_LABELS.get(status, status)


@register.filter
def fee_kind(kind: str) -> Any:
    return FEE_KIND_LABELS.get(kind, kind)


@register.filter
def plain_number(value: Decimal | None) -> str:
    """A decimal without trailing zeros: ``7.50`` → ``7.5``, ``1.000`` → ``1``."""
    if value is None:
        return "—"
    normal = Decimal(value).normalize()
    return f"{normal:f}"
