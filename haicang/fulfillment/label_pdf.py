"""The 4×6 in shipping label as PDF (fpdf2): one 101.6 × 152.4 mm page per parcel. Pure: no Django.

The page shows, top to bottom: the carrier's name, the service and ``parcel x / y`` (``SANDBOX`` on sandbox
labels); the sender; the recipient, the name largest; the destination postcode and country in large type for
the sorters; weight, dimensions, reference and ship date; the tracking number as a Code 128 barcode with the
number in readable groups under it. Fixed words are English: the label is read by couriers in the destination
country. The same content as the ZPL label (``label_zpl``), built from :class:`ShippingLabel`.

Fonts and bars come from ``haicang.core.pdf`` (shared with the inbound carton labels; the font's metrics are
read once per process, ``haicang.core.pdf_font_cache``): one embedded, subset CJK font (Noto Sans CJK) for
every text, so Chinese and Latin names print alike, with a Latin fallback font (DejaVu Sans) for the letters
Noto Sans CJK lacks (ş ł č ğ: "Ayşe Kılıç", "Łódź") and Greek and Cyrillic; a missing font raises
``fulfillment.label_font_missing`` naming what to install, a character no label font can draw raises
``fulfillment.label_glyph_missing`` naming it — a glyph is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from haicang.core.errors import DomainError
from haicang.core.pdf import (
    draw_code128,
    fit_text,
    glyphs_check,
    glyphs_dropped,
    label_fonts,
    label_fonts_add,
    text_draw,
)
from haicang.core.pdf_font_cache import font_release
from haicang.fulfillment.shipping_label import ShippingLabel

if TYPE_CHECKING:
    from fpdf import FPDF

PAGE = (101.6, 152.4)  # 4 × 6 in, mm
PAD = 4.0
FAMILY = "shiplabel"
FIXED_WORDS = (
    "FROM",
    "SHIP TO",
    "WEIGHT",
    "DIMENSIONS",
    "REF",
    "SHIP DATE",
    "TRACKING #",
    "SANDBOX",
    "·",
    "…",
)


class ShippingLabelFontMissing(DomainError):
    code: ClassVar[str] = "fulfillment.label_font_missing"
    status = 503
    title = "No font to print the shipping labels with"


class ShippingLabelGlyphMissing(DomainError):
    code: ClassVar[str] = "fulfillment.label_glyph_missing"
    status = 400
    title = "The label font cannot draw some characters"


def shipping_labels_pdf(labels: Sequence[ShippingLabel], *, title: str = "") -> bytes:
    """The labels as one PDF, one page per parcel. Raises ShippingLabelFontMissing, ShippingLabelGlyphMissing."""
    from fpdf import FPDF

    fonts = label_fonts(missing=ShippingLabelFontMissing)
    pdf = FPDF(unit="mm", format=PAGE)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(title or "Shipping labels")
    pdf.set_creator("Haicang")
    families = label_fonts_add(pdf, FAMILY, fonts)  # the fonts' metrics are read once per process
    try:
        glyphs_check(
            [pdf.fonts[family] for family in families],
            [text for label in labels for text in label.texts()] + list(FIXED_WORDS),
            missing=ShippingLabelGlyphMissing,
        )
        for label in labels:
            pdf.add_page()
            _draw(pdf, label)
        dropped = glyphs_dropped(pdf)
        if dropped:  # the check above should have caught it; never hand out a label with holes in it
            raise ShippingLabelGlyphMissing(f"the label font has no glyph for {dropped}")
        return bytes(pdf.output())
    finally:
        for family in families:
            font_release(pdf, family)


def _pt_mm(size: float) -> float:
    return size * 0.3528


def _draw(pdf: FPDF, label: ShippingLabel) -> None:
    width, _height = PAGE
    left, right = PAD, width - PAD
    inner = right - left

    def text(x: float, baseline: float, value: str, size: float, room: float | None = None) -> None:
        if not value:
            return
        pdf.set_font(FAMILY, size=size)
        text_draw(pdf, x, baseline, fit_text(pdf, value, room if room is not None else right - x))

    def rule(y: float, thickness: float = 0.4) -> None:
        pdf.set_line_width(thickness)
        pdf.line(left, y, right, y)

    # Carrier, service, parcel x / y.
    text(left, PAD + _pt_mm(20), label.carrier_name, 20, inner - 24)
    pdf.set_font(FAMILY, size=16)
    parcel_width = pdf.get_string_width(label.parcel_text)
    text(right - parcel_width, PAD + _pt_mm(20), label.parcel_text, 16, parcel_width + 1)
    service = f"{label.service_name} · SANDBOX" if label.is_sandbox else label.service_name
    text(left, 16.5, service, 10)
    rule(19.5)

    # From.
    text(left, 23.5, "FROM", 7)
    y = 23.5
    for line in label.sender_lines[:4]:
        y += 3.6
        text(left, y, line, 8.5)
    rule(40.5)

    # Ship to.
    text(left, 45, "SHIP TO", 8)
    y = 45.5
    for i, line in enumerate(label.recipient_lines[:5]):
        size = 15 if i == 0 else 12
        y += _pt_mm(size) + 1.4
        text(left, y, line, size)
    text(left, 85.5, label.destination, 22)
    rule(88.5)

    # Weight, dimensions, reference, ship date.
    half = inner / 2
    details = (
        ("WEIGHT", label.weight_text),
        ("DIMENSIONS", label.dimensions_text),
        ("REF", label.reference),
        ("SHIP DATE", label.ship_date.isoformat() if label.ship_date else ""),
    )
    for i, (title, value) in enumerate(details):
        x, y = left + (i % 2) * half, 92.5 + (i // 2) * 9
        text(x, y, title, 6.5, half - 2)
        text(x, y + 4.6, value, 11, half - 2)
    rule(108)

    # The tracking number as Code 128 and as text.
    text(left, 112, "TRACKING #", 7)
    pdf.set_fill_color(0)
    draw_code128(pdf, label.barcode, left, 114, inner, 25)
    pdf.set_font(FAMILY, size=14)
    shown = fit_text(pdf, label.tracking_text, inner)
    text_draw(pdf, left + (inner - pdf.get_string_width(shown)) / 2, 146, shown)
