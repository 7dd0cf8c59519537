"""Template tags of the UI shell: ``{% load haicang_web %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from haicang.web.assets import plotly_version
from haicang.web.navigation import NavLink, navigation

register = template.Library()


@register.simple_tag
def plotly_script() -> SafeString:
    """The ``<script>`` that loads Plotly from the installed package (see ``haicang.web.assets``)."""
    return format_html(
        '<script src="{}?v={}" charset="utf-8"></script>', reverse("web:plotly-js"), plotly_version()
    )


@register.simple_tag(takes_context=True)
def nav_links(context: dict[str, Any]) -> list[NavLink]:
    """The navigation entries the signed-in user may see: ``{% nav_links as links %}``."""
    request = context.get("request")
    if request is None:
        return []
    return navigation.links_for(user=request.user, path=request.path)


@register.simple_tag
def audit_url(subject: Model) -> str:
    """The audit trail page of ``subject``: ``<a href="{% audit_url order %}">``."""
    opts = subject._meta
    return reverse(
        "web:audit",
        kwargs={"subject_type": f"{opts.app_label}.{opts.model_name}", "subject_id": str(subject.pk)},
    )
