"""The value of a carton label's barcode: ``<seller code>/<shipment number>/<carton number>``.

E.g. ``lumen/ASN-2026-000012/3``. The label printer (``labels_pdf``) writes it with :func:`carton_code`
(or :func:`carton_barcode` from the objects); the receiving page reads a scan back with
:func:`carton_barcode_parse`. Pure: no Django import, no database.

Reading is forgiving of what scanners do to text — surrounding spaces, a different case (some scanners send
capitals only) — but strict about the shape: three parts, a seller code (letters, digits, ``-``, ``_``), a
shipment number without spaces or slashes, and a carton number 1 or more. Anything else is not a carton
label (``None``), so the caller tries it as a SKU barcode instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SEPARATOR = "/"
_SELLER = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_CARTON = re.compile(r"^[0-9]{1,6}$")


@dataclass(frozen=True, slots=True)
class CartonCode:
    """A parsed carton label: the seller's code (lower case), the shipment number (upper case), the carton."""

    seller: str
    shipment: str
    carton: int

    def __str__(self) -> str:
        return carton_code(self.seller, self.shipment, self.carton)

    def names(self, seller_code: str, shipment_number: str) -> bool:
        """True when the label belongs to the shipment ``shipment_number`` of the seller ``seller_code``."""
        return self.seller == seller_code.lower() and self.shipment == shipment_number.upper()


def carton_code(seller_code: str, shipment_number: str, carton_number: int) -> str:
    """The barcode value of one carton: ``carton_code("lumen", "ASN-2026-000012", 3)`` →
    ``"lumen/ASN-2026-000012/3"``. Raises ValueError for parts that would not read back."""
    if not _SELLER.match(seller_code or ""):
        raise ValueError(f"not a seller code: {seller_code!r}")
    if not _NUMBER.match(shipment_number or ""):
        raise ValueError(f"not a shipment number: {shipment_number!r}")
    if (
        isinstance(carton_number, bool)
        or not isinstance(carton_number, int)
        or not 1 <= carton_number < 10**6
    ):
        raise ValueError(f"not a carton number: {carton_number!r}")
    return SEPARATOR.join((seller_code, shipment_number, str(carton_number)))


def carton_barcode(shipment: Any, carton: Any) -> str:
    """The barcode value for ``carton`` (anything with ``number``) of ``shipment`` (with ``number`` and
    ``seller.code``), e.g. an ``InboundShipment`` and one of its ``Carton`` rows."""
    return carton_code(shipment.seller.code, shipment.number, carton.number)


def carton_barcode_parse(text: str | None) -> CartonCode | None:
    """The carton a scanned label names, or None when ``text`` is not a carton label."""
    parts = (text or "").strip().split(SEPARATOR)
    if len(parts) != 3:
        return None
    seller, number, carton = (part.strip() for part in parts)
    if not (_SELLER.match(seller) and _NUMBER.match(number) and _CARTON.match(carton)):
        return None
    value = int(carton)
    if value < 1:
        return None
    return CartonCode(seller=seller.lower(), shipment=number.upper(), carton=value)
