"""Template helpers of the warehouse pages: ``{% load network_ui %}``."""

from __future__ import annotations

from typing import Any

from django import template

from haicang.network.labels import location_kind_label

register = template.Library()


@register.filter
def location_kind(kind: str) -> Any:
    return location_kind_label(kind)
