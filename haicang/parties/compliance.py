"""Compliance ids: their formats, and which a shipment into a market needs. Pure rules, no Django.

Dated tax and customs rules belong in effective-dated data; these are the identity checks only (see DOMAIN.md):
- Germany: LUCID packaging registration before placing packaged goods on the market.
- France: an EPR unique identifier (UIN).
- EU markets reached from outside the EU in single consignments: IOSS (consignments ≤ €150).
- Stock imported in bulk into the EU or the UK: an EORI number of that customs territory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import exceptions as stdnum_exceptions
from stdnum.eu import oss as eu_oss
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat

from haicang.core.countries import EU_MEMBER_STATES

EU = "EU"

IOSS, EORI, VAT, DE_LUCID, FR_EPR = "ioss", "eori", "vat", "de_lucid", "fr_epr"

_EORI = re.compile(r"^[A-Z]{2}[0-9A-Z]{1,15}$")
_LUCID = re.compile(r"^DE\d{13}$")
_FR_UIN = re.compile(r"^FR[0-9A-Z_-]{6,30}$")


def compliance_value_check(kind: str, market: str, value: str) -> str:
    """The normalised id, or ValueError naming what is wrong."""
    text = re.sub(r"[\s.]", "", value or "").upper()
    if not text:
        raise ValueError("the id is empty")
    if kind == IOSS:
        if market != EU:
            raise ValueError("an IOSS number is union-wide: its market is EU")
        if not text.startswith("IM"):
            raise ValueError("an IOSS number starts with IM (import scheme)")
        try:
            return str(eu_oss.validate(text))
        except stdnum_exceptions.ValidationError as exc:
            raise ValueError(f"not a valid IOSS number ({exc})") from exc
    if kind == EORI:
        if market not in {EU, "GB", "CH", "NO"}:
            raise ValueError("an EORI number belongs to the EU (market EU) or to GB, CH or NO")
        if not _EORI.match(text):
            raise ValueError("an EORI number is a country code and up to 15 letters or digits")
        return text
    if kind == VAT:
        try:
            if market in EU_MEMBER_STATES:
                return str(eu_vat.validate(text if text[:2].isalpha() else market + text))
            if market == "GB":
                return "GB" + str(gb_vat.validate(text))
        except stdnum_exceptions.ValidationError as exc:
            raise ValueError(f"not a valid {market} VAT number ({exc})") from exc
        if not re.match(r"^[0-9A-Z-]{4,20}$", text):
            raise ValueError("a VAT number is 4–20 letters, digits or dashes")
        return text
    if kind == DE_LUCID:
        if market != "DE" or not _LUCID.match(text):
            raise ValueError("a LUCID registration number is DE followed by 13 digits, for market DE")
        return text
    if kind == FR_EPR:
        if market != "FR" or not _FR_UIN.match(text):
            raise ValueError("a French EPR UIN starts with FR, for market FR")
        return text
    raise ValueError(f"unknown compliance id kind {kind!r}")


@dataclass(frozen=True)
class Requirement:
    kind: str
    market: str
    reason: str


def compliance_requirements(*, market: str, ships_from: str, bulk_import: bool = False) -> list[Requirement]:
    """The ids a shipment from ``ships_from`` to ``market`` needs (a bulk import: the customs territory's EORI)."""
    market, ships_from = market.upper(), ships_from.upper()
    needed: list[Requirement] = []
    if bulk_import:
        territory = EU if market in EU_MEMBER_STATES else market
        if territory in {EU, "GB"}:
            needed.append(
                Requirement(EORI, territory, f"importing stock into {territory} needs an EORI number")
            )
        return needed
    if market == "DE":
        needed.append(Requirement(DE_LUCID, "DE", "Germany requires LUCID packaging registration"))
    if market == "FR":
        needed.append(Requirement(FR_EPR, "FR", "France requires an EPR unique identifier (UIN)"))
    if market in EU_MEMBER_STATES and ships_from not in EU_MEMBER_STATES:
        needed.append(
            Requirement(IOSS, EU, "a consignment into the EU from outside the EU is declared under IOSS")
        )
    return needed
