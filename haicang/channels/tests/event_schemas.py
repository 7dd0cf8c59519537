"""Checking an emitted event's payload against the event catalogue, strictly: every field the payload carries
must be declared by the catalogue's schema (no undeclared extras), and formats are checked (uuid, date-time)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import jsonschema

from haicang.integration.catalogue import ENVELOPE_SCHEMA, event_type_get

_FORMATS = jsonschema.FormatChecker()


@_FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


def closed(schema: Any) -> Any:
    """``schema`` with ``additionalProperties: false`` on every object that lists its properties."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node.setdefault("additionalProperties", False)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def assert_follows_catalogue(
    event_type: str, data: dict[str, Any], *, envelope: dict[str, Any] | None = None
):
    """Validate ``data`` (and, when given, the whole delivered ``envelope``) against the catalogue."""
    known = event_type_get(event_type)
    assert known is not None, f"{event_type} is not in the event catalogue"
    jsonschema.validate(data, closed(known.data_schema), format_checker=_FORMATS)
    if envelope is not None:
        jsonschema.validate(envelope, ENVELOPE_SCHEMA, format_checker=_FORMATS)
        assert envelope["schema_version"] == known.schema_version
        assert envelope["subject"]["type"] == known.subject_type
