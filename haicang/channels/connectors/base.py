"""The one interface every marketplace connector implements, and what they share. Pure: no Django, no network.

A connector knows one platform's own order payloads and APIs:

* :meth:`Connector.parse_order` turns one order payload (the shape is documented on each connector) into a
  :class:`~haicang.channels.normalised.NormalisedOrder`; :meth:`Connector.parse_orders` reads a payload that
  holds several (a list response);
* :meth:`Connector.verify_webhook` checks a webhook's signature where the platform signs its webhooks;
* :meth:`Connector.build_order_request` prepares the live call that fetches one order — URL, headers, body
  and signature — as a :class:`PreparedRequest`. Nothing here sends it: an adapter that owns the network
  (and its retries, rate limits and time-outs) does, so that every signature is unit-tested without one.

Connectors are stateless; ``credentials`` are the channel account's unsealed credentials, a mapping of
the names in :attr:`Connector.credential_fields`.
"""

from __future__ import annotations

import hmac
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from haicang.channels.normalised import NormalisedOrder, PayloadInvalid, Platform
from haicang.core.money import CurrencyUnknown, Money, currency_check


class WebhookNotSupported(PayloadInvalid):
    code: ClassVar[str] = "channels.webhook_not_supported"
    title = "This platform does not sign webhooks Haicang can check"


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """A live platform call, ready to send: nothing here touches the network."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    signature: str = ""  # the signature the request carries (also in headers, query or body)


class Connector(ABC):
    """One platform. Subclasses set the class attributes and implement :meth:`parse_order`."""

    platform: ClassVar[Platform]
    label: ClassVar[str]
    credential_fields: ClassVar[tuple[str, ...]] = ()  # required keys of a channel account's credentials
    signs_webhooks: ClassVar[bool] = False

    @abstractmethod
    def parse_order(self, payload: Mapping[str, Any]) -> NormalisedOrder:
        """The normalised order of one order payload; :class:`PayloadInvalid` if it cannot be read."""

    def parse_orders(self, payload: Mapping[str, Any]) -> list[NormalisedOrder]:
        """Every order of a payload that may hold several (a list response); one order by default."""
        return [self.parse_order(payload)]

    def verify_webhook(self, *, headers: Mapping[str, str], raw_body: bytes, secret: str) -> bool:
        """True when ``raw_body`` carries a valid signature made with ``secret``."""
        raise WebhookNotSupported(f"{self.label} webhooks are not verified by Haicang")

    @abstractmethod
    def build_order_request(
        self, credentials: Mapping[str, str], *, external_id: str, now: datetime
    ) -> PreparedRequest:
        """The signed call that fetches order ``external_id`` (``now`` is the signing time)."""

    def credentials_check(self, credentials: Mapping[str, str]) -> dict[str, str]:
        """The credentials as plain strings; :class:`PayloadInvalid` naming the first one missing."""
        out = {str(k): str(v) for k, v in credentials.items() if v is not None and str(v) != ""}
        for name in self.credential_fields:
            if name not in out:
                raise PayloadInvalid(f"{self.label} credentials need {name!r}", field="credentials")
        return out


# --- reading payloads ------------------------------------------------------------------------------------
def header(headers: Mapping[str, str], name: str) -> str:
    """A header's value, whatever the case of its name ('' if absent)."""
    wanted = name.lower()
    return next((str(v) for k, v in headers.items() if str(k).lower() == wanted), "")


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def obj(payload: Any, name: str) -> Mapping[str, Any]:
    """``payload`` itself when it is a JSON object; PayloadInvalid naming ``name`` otherwise."""
    if not isinstance(payload, Mapping):
        raise PayloadInvalid(f"{name} is not a JSON object", field=name)
    return payload


def get(payload: Mapping[str, Any], key: str, *, where: str = "") -> Any:
    """A required value (not missing, not null)."""
    value = payload.get(key)
    if value is None:
        raise PayloadInvalid(f"{where + '.' if where else ''}{key} is missing", field=key)
    return value


def text(payload: Mapping[str, Any], key: str, default: str = "") -> str:
    """An optional value as text (numbers too: ids are often numbers); ``default`` when missing or null."""
    value = payload.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise PayloadInvalid(f"{key} is not text", field=key)
    return str(value).strip()


def required_text(payload: Mapping[str, Any], key: str, *, where: str = "") -> str:
    value = text(payload, key)
    if not value:
        raise PayloadInvalid(f"{where + '.' if where else ''}{key} is missing", field=key)
    return value


def items(payload: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """An optional list of objects (empty when missing or null)."""
    value = payload.get(key)
    if value is None:
        return []
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise PayloadInvalid(f"{key} is not a list", field=key)
    return [obj(item, f"{key}[{n}]") for n, item in enumerate(value)]


def integer(payload: Mapping[str, Any], key: str, default: int | None = None) -> int:
    """A whole number (JSON number or digits in a string)."""
    value = payload.get(key)
    if value is None:
        if default is None:
            raise PayloadInvalid(f"{key} is missing", field=key)
        return default
    if isinstance(value, bool):
        raise PayloadInvalid(f"{key} is not a whole number", field=key)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise PayloadInvalid(f"{key} is not a whole number: {value!r}", field=key)


def decimal_of(value: Any, name: str) -> Decimal:
    """An amount from a JSON string or number, exactly. Parse JSON with ``parse_float=Decimal`` (see
    :func:`load_json`) so numbers never pass through ``float``; a float that slipped through is refused."""
    if isinstance(value, bool | float):
        raise PayloadInvalid(f"{name} must be read as an exact decimal, not a float", field=name)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise PayloadInvalid(f"{name} is not an amount: {value!r}", field=name) from None
        if amount.is_finite():
            return amount
    raise PayloadInvalid(f"{name} is not an amount: {value!r}", field=name)


def money(amount: Any, currency: str, name: str) -> Money:
    try:
        return Money(decimal_of(amount, name), currency_check(currency))
    except CurrencyUnknown:
        raise PayloadInvalid(f"{name}: {currency!r} is not a currency", field=name) from None


def optional_money(payload: Mapping[str, Any], key: str, currency: str | None) -> Money | None:
    value = payload.get(key)
    if value is None or value == "" or currency is None:
        return None
    return money(value, currency, key)


def load_json(raw: bytes | str) -> Any:
    """Parse a platform's JSON with exact decimals (never float)."""
    try:
        return json.loads(raw, parse_float=Decimal)
    except ValueError as exc:
        raise PayloadInvalid(f"not JSON: {exc}") from None


def compact_json(value: Any) -> str:
    """JSON as platforms sign it: no spaces, keys in the given order, non-ASCII as is."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise TypeError(f"{type(value).__name__} is not sent as a JSON number: send amounts as strings")


# --- time --------------------------------------------------------------------------------------------------
def from_unix(value: Any, name: str, *, milliseconds: bool = False) -> datetime | None:
    """An aware UTC datetime from Unix seconds (or milliseconds); None for missing, null or 0."""
    if value is None or value == "" or value == 0 or value == "0":
        return None
    seconds = integer({name: value}, name)
    if seconds < 0:
        raise PayloadInvalid(f"{name} is not a time: {value!r}", field=name)
    if milliseconds:
        return datetime.fromtimestamp(seconds / 1000, tz=UTC)
    return datetime.fromtimestamp(seconds, tz=UTC)


def from_iso(value: Any, name: str) -> datetime | None:
    """An aware UTC datetime from ISO 8601 text with an offset or ``Z``; a time without one is refused."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PayloadInvalid(f"{name} is not a time: {value!r}", field=name)
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PayloadInvalid(f"{name} is not an ISO 8601 time: {value!r}", field=name) from None
    if parsed.tzinfo is None:
        raise PayloadInvalid(f"{name} has no time zone: {value!r}", field=name)
    return parsed.astimezone(UTC)


def from_local(value: Any, name: str, zone: tzinfo) -> datetime | None:
    """An aware UTC datetime from ``YYYY-MM-DD HH:MM:SS`` wall-clock text in ``zone`` (SHEIN: Beijing)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PayloadInvalid(f"{name} is not a time: {value!r}", field=name)
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 - zone set below
    except ValueError:
        raise PayloadInvalid(
            f"{name} is not a time like 2026-03-01 08:00:00: {value!r}", field=name
        ) from None
    return parsed.replace(tzinfo=zone).astimezone(UTC)
