"""What a 4×6 in shipping label shows, for the PDF (``label_pdf``) and the ZPL (``label_zpl``) renderers. Pure.

:func:`shipping_labels` turns a :class:`~haicang.fulfillment.carriers.base.LabelRequest` and the carrier's
:class:`~haicang.fulfillment.carriers.base.LabelResult` into one :class:`ShippingLabel` per parcel: carrier and
service, sender and recipient (plain text lines; names may be Chinese or Latin), the destination postcode and
country in large type, weight, dimensions, reference, ship date, ``parcel x / y``, and the tracking number as
Code 128 and as text. A sandbox label says so (``SANDBOX``), so nobody hands a sandbox label to a real courier.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from haicang.fulfillment.carriers.base import CARRIER_NAMES, LabelRequest, LabelResult, carrier_code_normalise

_S10 = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")


@dataclass(frozen=True)
class ShippingLabel:
    carrier_code: str
    carrier_name: str
    service_name: str
    sender_lines: tuple[str, ...]
    recipient_lines: tuple[str, ...]
    destination: str  # postcode and country, printed large for the sorters
    tracking_number: str
    barcode: str  # what the Code 128 encodes
    weight_g: int
    dimensions_mm: tuple[int, int, int] | None
    reference: str
    parcel_number: int
    parcel_count: int
    ship_date: dt.date | None
    is_sandbox: bool

    @property
    def weight_text(self) -> str:
        return weight_text(self.weight_g)

    @property
    def dimensions_text(self) -> str:
        if not self.dimensions_mm:
            return ""
        return " × ".join(_decimal_text(d / 10) for d in self.dimensions_mm) + " cm"

    @property
    def tracking_text(self) -> str:
        return tracking_number_display(self.tracking_number)

    @property
    def parcel_text(self) -> str:
        return f"{self.parcel_number} / {self.parcel_count}"

    def texts(self) -> list[str]:
        """Every piece of text the label prints (for the font's glyph check)."""
        return [
            self.carrier_name,
            self.service_name,
            *self.sender_lines,
            *self.recipient_lines,
            self.destination,
            self.tracking_text,
            self.weight_text,
            self.dimensions_text,
            self.reference,
            self.parcel_text,
            self.ship_date.isoformat() if self.ship_date else "",
        ]


def _decimal_text(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def weight_text(weight_g: int) -> str:
    """``1250`` → ``1.25 kg``."""
    return f"{_decimal_text(weight_g / 1000)} kg"


def tracking_number_display(number: str) -> str:
    """The tracking number in groups a person can read back: UPS as ``1Z 999 AA1 01 2345 6784``, S10 as
    ``TB 000 000 014 GB``, others in fours."""
    if len(number) == 18 and number.startswith("1Z"):
        return f"1Z {number[2:5]} {number[5:8]} {number[8:10]} {number[10:14]} {number[14:]}"
    if _S10.match(number):
        return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:11]} {number[11:]}"
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def address_lines(text: str) -> tuple[str, ...]:
    """A plain-text address as its non-empty lines, each with its spaces tidied."""
    return tuple(line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line)


def shipping_labels(
    request: LabelRequest,
    result: LabelResult,
    *,
    carrier_name: str | None = None,
    ship_date: dt.date | None = None,
) -> list[ShippingLabel]:
    """One label per parcel of ``result`` (the parcels of ``request``, in order)."""
    code = carrier_code_normalise(result.carrier_code)
    destination = " ".join(
        p for p in (request.destination_postcode.upper(), request.destination_country.upper()) if p
    )
    count = len(result.parcels)
    labels = []
    for index, labelled in enumerate(result.parcels):
        parcel = request.parcels[index] if index < len(request.parcels) else None
        dims = (
            (parcel.length_mm, parcel.width_mm, parcel.height_mm)
            if parcel is not None and parcel.length_mm and parcel.width_mm and parcel.height_mm
            else None
        )
        labels.append(
            ShippingLabel(
                carrier_code=code,
                carrier_name=carrier_name or CARRIER_NAMES.get(code, result.carrier_code),
                service_name=result.service_name,
                sender_lines=address_lines(request.sender),
                recipient_lines=address_lines(request.recipient),
                destination=destination,
                tracking_number=labelled.tracking_number,
                barcode=labelled.barcode,
                weight_g=labelled.weight_g,
                dimensions_mm=dims,
                reference=request.reference,
                parcel_number=index + 1,
                parcel_count=count,
                ship_date=ship_date or result.labelled_at.date(),
                is_sandbox=result.is_sandbox,
            )
        )
    return labels
