"""Countries (ISO 3166-1 alpha-2) and the EU's member states. Markets are destination countries."""

from __future__ import annotations

import pycountry

from haicang.core.errors import ValidationFailed

# fmt: off
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})
# fmt: on


class CountryUnknown(ValidationFailed):
    code = "core.country_unknown"
    title = "Unknown country"


def country_check(code: str, *, field: str = "country") -> str:
    """``code`` upper-cased when it is an ISO 3166-1 alpha-2 code; raises CountryUnknown otherwise."""
    value = (code or "").strip().upper()
    if len(value) != 2 or pycountry.countries.get(alpha_2=value) is None:
        raise CountryUnknown(f"{code!r} is not an ISO 3166-1 alpha-2 country code", field=field)
    return value


def in_eu(country: str) -> bool:
    return country.upper() in EU_MEMBER_STATES
