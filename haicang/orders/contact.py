"""The customer's personal data on an order: sealing it into the order's columns and opening it again.

Each personal field has its own column holding ``seal(value, context=b"orders.order:<order id>:<field>")``:
AES-256-GCM under the current data key, the key version in front, the order's id and the field's name as
associated data — a value copied into another order's row, or into another column, does not open. Empty values
are stored as NULL. The street lines are sealed as one JSON list.

Only :func:`contact_open` returns clear values; callers that show them to a person audit the read
(``haicang.orders.services.order_contact_read``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from haicang.core.blind_index import blind_index, email_normalise
from haicang.core.crypto import seal, unseal

# field name on the contact -> column on Order
SEALED_COLUMNS: dict[str, str] = {
    "name": "ship_name_sealed",
    "company": "ship_company_sealed",
    "street_lines": "ship_street_sealed",
    "phone": "ship_phone_sealed",
    "email": "ship_email_sealed",
    "buyer_note": "buyer_note_sealed",
}
MASK = "•••"


@dataclass(frozen=True, slots=True)
class Contact:
    """The personal fields of an order's ship-to, in clear (keep it in memory only)."""

    name: str = field(default="", repr=False)
    company: str = field(default="", repr=False)
    street_lines: tuple[str, ...] = field(default=(), repr=False)
    phone: str = field(default="", repr=False)
    email: str = field(default="", repr=False)
    buyer_note: str = field(default="", repr=False)


def seal_context(order_id: object, name: str) -> bytes:
    return f"orders.order:{order_id}:{name}".encode("ascii")


def column_context(column: str) -> Any:
    """The context function of one sealed column (for the rotation registry)."""
    name = next(n for n, c in SEALED_COLUMNS.items() if c == column)
    return lambda row: seal_context(row.pk, name)


def _encode(name: str, value: Any) -> bytes | None:
    if name == "street_lines":
        lines = [line for line in value if line]
        return json.dumps(lines, ensure_ascii=False).encode() if lines else None
    return str(value).encode() if value else None


def contact_columns(order_id: object, contact: Contact) -> dict[str, bytes | None]:
    """The sealed column values of ``contact`` for the order ``order_id`` (None for an empty field)."""
    out: dict[str, bytes | None] = {}
    for name, column in SEALED_COLUMNS.items():
        plain = _encode(name, getattr(contact, name))
        out[column] = seal(plain, context=seal_context(order_id, name)) if plain is not None else None
    return out


def contact_open(order: Any) -> Contact:
    """The clear contact of ``order`` (an Order). Raises UnsealError when a value was tampered with."""
    values: dict[str, Any] = {}
    for name, column in SEALED_COLUMNS.items():
        sealed = getattr(order, column)
        if not sealed:
            continue
        plain = unseal(bytes(sealed), context=seal_context(order.pk, name)).decode()
        values[name] = tuple(json.loads(plain)) if name == "street_lines" else plain
    return Contact(**values)


def contact_present(order: Any) -> dict[str, bool]:
    """Which personal fields the order holds (without opening them)."""
    return {name: bool(getattr(order, column)) for name, column in SEALED_COLUMNS.items()}


def contact_masked(order: Any) -> dict[str, Any]:
    """The personal fields as a reader without ``orders:pii`` sees them: ``•••`` where a value exists."""
    present = contact_present(order)
    return {
        name: ([MASK] if present[name] else []) if name == "street_lines" else (MASK if present[name] else "")
        for name in SEALED_COLUMNS
    }


def email_index(email: str) -> str:
    return blind_index("email", email_normalise(email))


def phone_index(phone_e164: str) -> str:
    """The index of a phone **already in E.164** (what ingestion stores); an unreadable phone is not indexed."""
    return blind_index("phone", phone_e164) if phone_e164.startswith("+") else ""
