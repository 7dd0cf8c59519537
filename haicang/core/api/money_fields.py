"""Money in the API: ``{"amount": "12.34", "currency": "EUR"}`` — the amount is a string, never a float."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haicang.core.errors import DomainError
from haicang.core.money import Money

MONEY_SCHEMA = {
    "type": "object",
    "properties": {
        "amount": {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "example": "12.34"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "example": "EUR"},
    },
    "required": ["amount", "currency"],
}


@extend_schema_field(MONEY_SCHEMA)
class MoneyField(serializers.Field):
    default_error_messages = {
        "invalid": "Give money as an object with a string amount and an ISO 4217 currency.",
        "float": 'Give the amount as a string such as "12.34", never a JSON number.',
    }

    def to_representation(self, value: Money) -> dict[str, str]:
        return {"amount": str(value.amount), "currency": value.currency}

    def to_internal_value(self, data: Any) -> Money:
        if not isinstance(data, dict) or set(data) != {"amount", "currency"}:
            self.fail("invalid")
        amount, currency = data["amount"], data["currency"]
        if isinstance(amount, float):
            self.fail("float")
        if not isinstance(currency, str) or not isinstance(amount, str | int) or isinstance(amount, bool):
            self.fail("invalid")
        try:
            return Money.of(str(amount), currency.upper())
        except (DomainError, TypeError, ValueError) as exc:
            raise serializers.ValidationError(str(getattr(exc, "detail", exc))) from exc
