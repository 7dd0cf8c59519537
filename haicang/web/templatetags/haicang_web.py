"""Template tags of the UI shell: ``{% load haicang_web %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from haicang.core.money import Money, amount_tidy
from haicang.web.assets import plotly_version
from haicang.web.navigation import NavLink, navigation
from haicang.web.notices import Notice, notices

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
    return navigation.links_for(user=request.user, path=request.path, request=request)


@register.simple_tag(takes_context=True)
def page_notices(context: dict[str, Any]) -> list[Notice]:
    """The standing notices of this request (``haicang.web.notices``): ``{% page_notices as notices %}``."""
    request = context.get("request")
    if request is None:
        return []
    return notices.for_request(request)


@register.simple_tag(takes_context=True)
def acting_party(context: dict[str, Any]) -> Any:
    """The party the signed-in user acts for, and their other parties: ``{% acting_party as acting %}``."""
    request = context.get("request")
    if request is None:
        return None
    from haicang.parties.acting import acting_as

    return acting_as(request)


@register.filter
def money(value: Money | None) -> str:
    """``EUR 1,234.50``: the currency code and the amount in its minor units (more decimals where it has them)."""
    if value is None:
        return "—"
    return f"{value.currency} {amount_tidy(value.amount, value.currency):,f}"


@register.simple_tag
def audit_url(subject: Model) -> str:
    """The audit trail page of ``subject``: ``<a href="{% audit_url order %}">``."""
    opts = subject._meta
    return reverse(
        "web:audit",
        kwargs={"subject_type": f"{opts.app_label}.{opts.model_name}", "subject_id": str(subject.pk)},
    )
