"""Template helpers of the catalogue pages: ``{% load catalog_ui %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from haicang.catalog.labels import FIELD_LABELS
from haicang.core.money import Money

register = template.Library()


@register.filter
def local_name(obj: Any) -> str:
    """The Chinese name when the page is in Chinese and there is one, else the English name."""
    name_zh = getattr(obj, "name_zh", "")
    if name_zh and (get_language() or "").startswith("zh"):
        return str(name_zh)
    return str(getattr(obj, "name_en", ""))


@register.filter
def other_name(obj: Any) -> str:
    """The name in the other language, when it differs (shown under the main one)."""
    shown = local_name(obj)
    for name in (getattr(obj, "name_en", ""), getattr(obj, "name_zh", "")):
        if name and name != shown:
            return str(name)
    return ""


@register.filter
def field_label(name: str) -> Any:
    return FIELD_LABELS.get(name, name)


@register.filter
def money(value: Money | None) -> str:
    return str(value) if value is not None else "—"


@register.filter
def measure(value: int | None, unit: str) -> str:
    return f"{value:,} {unit}" if value is not None else "—"
