"""Template helpers of the outbound pages: pick-up countdowns and distances in metres."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def countdown(minutes: int) -> SafeString:
    """ "in 2 h 05 min", "in 25 min" (soon: highlighted) or "missed by 12 min"."""
    minutes = int(minutes)
    return render_to_string(
        "fulfillment/_countdown.html",
        {
            "minutes": minutes,
            "minutes_abs": abs(minutes),
            "hours": minutes // 60,
            "rest": f"{minutes % 60:02d}",
        },
    )


@register.simple_tag
def countdown_to(moment: dt.datetime, now: dt.datetime) -> SafeString:
    return countdown(int((moment - now).total_seconds() // 60))


@register.filter
def metres(millimetres: Any) -> str:
    """Millimetres as metres with one decimal, localised."""
    return number_format(round(int(millimetres or 0) / 1000, 1), decimal_pos=1)
