"""Values as JSON that stay exact: Decimals and ids as strings, dates in ISO 8601, models by primary key."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models


def json_safe(value: Any) -> Any:
    """``value`` made of JSON types only, never a float for a Decimal nor a model's repr."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)
