"""Address checks per country: postcodes by pattern, phones to E.164 (with ``phonenumbers``). Pure, no Django.

A check never drops an order: it returns what is wrong, and the ingestion puts the order on hold with that
reason. Reasons never quote the personal value (a phone number), only what is wrong with it; a postcode is
not personal (it stays in clear for routing) and may be quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

# Postcode patterns of the markets the warehouses serve, after normalisation (upper case, single spaces).
# Sources: each postal administration's published format (USPS ZIP/ZIP+4, Royal Mail, Deutsche Post, La Poste…).
POSTCODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "US": re.compile(r"\d{5}(-\d{4})?"),
    "GB": re.compile(
        r"(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y])"
        r" [0-9][ABD-HJLNP-UW-Z]{2})"
    ),
    "DE": re.compile(r"(0[1-9]|[1-9][0-9])[0-9]{3}"),
    "FR": re.compile(r"(0[1-9]|[1-8][0-9]|9[0-8])[0-9]{3}"),
    "CA": re.compile(r"[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] [0-9][ABCEGHJ-NPRSTV-Z][0-9]"),
    "AU": re.compile(r"[0-9]{4}"),
    "NL": re.compile(r"[1-9][0-9]{3} ?[A-Z]{2}"),
    "IT": re.compile(r"[0-9]{5}"),
    "ES": re.compile(r"(0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}"),
    "PL": re.compile(r"[0-9]{2}-[0-9]{3}"),
    "JP": re.compile(r"[0-9]{3}-[0-9]{4}"),
}

# Countries whose parcels need a postcode at all (most do; a few have none, e.g. Hong Kong, Ireland's older
# addresses, the UAE). An empty postcode for one of these is a hold.
POSTCODE_REQUIRED = frozenset(POSTCODE_PATTERNS)


class AddressProblemCode:
    POSTCODE_INVALID = "postcode_invalid"
    POSTCODE_MISSING = "postcode_missing"
    PHONE_INVALID = "phone_invalid"


@dataclass(frozen=True, slots=True)
class AddressProblem:
    code: str
    detail: str  # never quotes a personal value


def postcode_normalise(country: str, postcode: str) -> str:
    """Upper case, spaces collapsed; GB and CA get their single space before the inward code."""
    value = " ".join(postcode.upper().split())
    if country in {"GB", "CA"}:
        compact = value.replace(" ", "")
        if len(compact) > 3:
            value = f"{compact[:-3]} {compact[-3:]}"
    if country == "US" and re.fullmatch(r"\d{9}", value):
        value = f"{value[:5]}-{value[5:]}"
    return value


def postcode_check(country: str, postcode: str) -> tuple[str, AddressProblem | None]:
    """The normalised postcode and what is wrong with it for ``country`` (None when nothing is)."""
    value = postcode_normalise(country, postcode)
    pattern = POSTCODE_PATTERNS.get(country)
    if not value:
        if country in POSTCODE_REQUIRED:
            return value, AddressProblem(
                AddressProblemCode.POSTCODE_MISSING, f"an address in {country} needs a postcode"
            )
        return value, None
    if pattern is not None and not pattern.fullmatch(value):
        return value, AddressProblem(
            AddressProblemCode.POSTCODE_INVALID, f"{value!r} is not a postcode of {country}"
        )
    return value, None


def phone_e164(country: str, phone: str) -> tuple[str, AddressProblem | None]:
    """The phone in E.164 (``+14155550123``) read with ``country`` as the default region, and what is wrong
    with it. An empty phone is fine (not every platform gives one); an unreadable or impossible one is not."""
    raw = phone.strip()
    if not raw:
        return "", None
    problem = AddressProblem(
        AddressProblemCode.PHONE_INVALID, f"the phone number is not a valid number for {country}"
    )
    try:
        parsed = phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException:
        return raw, problem
    if not phonenumbers.is_valid_number(parsed):
        return raw, problem
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None
