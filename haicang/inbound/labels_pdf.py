"""Carton labels of an inbound shipment as one PDF (fpdf2): one label per carton.

Each label carries the shipment number and the seller, ``carton x / y``, the destination warehouse, the
contents (SKU code, name — Chinese names included — and quantity), the carton's size and weight, and a
**Code 128** barcode of the carton code ``<seller code>/<shipment number>/<carton number>``
(:func:`haicang.inbound.carton_codes.carton_barcode`) with the code in plain text under it; the receiving
page reads that barcode. The fixed words are printed in English and Chinese (``Carton 箱号``): a label is
read by the supplier's packers and by the warehouse abroad, whatever language the seller's screen speaks.

Layouts: ``label`` — one 100 × 150 mm page per carton (thermal label printers); ``a4`` — four labels of
100 × 145 mm on each A4 page, with cut marks.

**Fonts.** Chinese needs a CJK font: Noto Sans CJK from Debian's ``fonts-noto-cjk``
(``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc``, face *Noto Sans CJK SC* of the collection), or
the file named by the environment variable ``HAICANG_LABEL_FONT`` (a .ttf, .otf or .ttc); the letters it
lacks (ş ł č ğ) come from the Latin fallback font, DejaVu Sans from ``fonts-dejavu-core`` or
``HAICANG_LABEL_LATIN_FONT`` (``haicang.core.pdf``). Without them, :class:`LabelFontMissing` says what to
install; a character no label font can draw (an emoji in a name) raises :class:`LabelGlyphMissing` naming it.
A glyph is never dropped silently. The fonts are embedded as subsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from haicang.core.errors import DomainError
from haicang.core.pdf import (  # shared with the shipping labels; the font variable and the bars re-exported
    FONT_ENV,  # noqa: F401
    LATIN_SUFFIX,
    FontFile,
    code128_modules,  # noqa: F401
    draw_code128,
    fit_text,
    glyphs_check,
    glyphs_dropped,
    label_fonts,
    label_fonts_add,
    text_draw,
)
from haicang.core.pdf_font_cache import font_release
from haicang.inbound.carton_codes import carton_barcode

if TYPE_CHECKING:
    from fpdf import FPDF

    from haicang.inbound.models import InboundShipment

FAMILY = "label"


class LabelFontMissing(DomainError):
    code = "inbound.label_font_missing"
    status = 503
    title = "No font to print the labels with"


class LabelGlyphMissing(DomainError):
    code = "inbound.label_glyph_missing"
    status = 400
    title = "The label font cannot draw some characters"


@dataclass(frozen=True)
class Layout:
    page: tuple[float, float]  # mm
    label: tuple[float, float]
    origins: tuple[tuple[float, float], ...]  # top-left corner of each label on a page
    cut_marks: bool


LAYOUTS: dict[str, Layout] = {
    "label": Layout(page=(100, 150), label=(100, 150), origins=((0, 0),), cut_marks=False),
    "a4": Layout(
        page=(210, 297),
        label=(100, 145),
        origins=((5, 3.5), (105, 3.5), (5, 148.5), (105, 148.5)),
        cut_marks=True,
    ),
}


# --- fonts and barcodes (haicang.core.pdf) -------------------------------------------------------------------


def label_font() -> tuple[FontFile, FontFile]:
    """The CJK font and the Latin fallback font the labels are printed with; raises LabelFontMissing naming
    what to install."""
    return label_fonts(missing=LabelFontMissing)


_draw_barcode = draw_code128


# --- the document ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentRow:
    code: str
    name: str
    quantity: int


@dataclass(frozen=True)
class LabelData:
    """What one label shows; built from the database by :func:`labels_of`, drawn by :func:`labels_render`."""

    code: str  # the barcode value
    seller: str
    shipment: str
    reference: str
    carton: int
    cartons: int
    warehouse: str
    warehouse_place: str
    contents: tuple[ContentRow, ...]
    measures: str


def _name(sku: Any) -> str:
    zh, en = (sku.name_zh or "").strip(), (sku.name_en or "").strip()
    if zh and en and zh != en:
        return f"{zh} {en}"
    return zh or en


def _measures(carton: Any) -> str:
    parts = []
    if carton.length_mm and carton.width_mm and carton.height_mm:
        dims = (carton.length_mm, carton.width_mm, carton.height_mm)
        parts.append(" × ".join(_decimal_text(d / 10) for d in dims) + " cm")
    if carton.gross_weight_g:
        parts.append(f"{_decimal_text(carton.gross_weight_g / 1000)} kg")
    return " · ".join(parts)


def _decimal_text(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def labels_of(shipment: InboundShipment) -> list[LabelData]:
    cartons = list(shipment.cartons.prefetch_related("contents__sku").order_by("number"))
    warehouse = shipment.warehouse
    place = ", ".join(p for p in (getattr(warehouse, "city", ""), getattr(warehouse, "country", "")) if p)
    return [
        LabelData(
            code=carton_barcode(shipment, carton),
            seller=f"{shipment.seller.name} ({shipment.seller.code})",
            shipment=shipment.number,
            reference=shipment.reference,
            carton=carton.number,
            cartons=len(cartons),
            warehouse=f"{warehouse.code} {warehouse.name}",
            warehouse_place=place,
            contents=tuple(
                ContentRow(c.sku.code, _name(c.sku), c.quantity)
                for c in sorted(carton.contents.all(), key=lambda c: c.sku.code)
            ),
            measures=_measures(carton),
        )
        for carton in cartons
    ]


def carton_labels_pdf(shipment: InboundShipment, *, layout: str = "label") -> bytes:
    """The labels of every carton of ``shipment`` as PDF bytes. Raises LabelFontMissing, LabelGlyphMissing."""
    return labels_render(labels_of(shipment), layout=layout, title=f"{shipment.number} carton labels")


def _glyphs_check(fonts: Sequence[Any], texts: Iterable[str]) -> None:
    glyphs_check(fonts, texts, missing=LabelGlyphMissing)


def _texts(label: LabelData) -> list[str]:
    return [
        label.code,
        label.seller,
        label.shipment,
        label.reference,
        label.warehouse,
        label.warehouse_place,
        label.measures,
        *(row.code for row in label.contents),
        *(row.name for row in label.contents),
        *FIXED_WORDS,
    ]


FIXED_WORDS = ("Carton 箱号", "Ship to 收货仓", "SKU", "Name 品名", "Qty 数量", "Ref", "…", "more SKUs 其他")


def labels_render(labels: Sequence[LabelData], *, layout: str = "label", title: str = "") -> bytes:
    from fpdf import FPDF

    spec = LAYOUTS[layout]
    fonts = label_font()
    pdf = FPDF(unit="mm", format=spec.page)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(title)
    pdf.set_creator("Haicang")
    # One CJK face and its Latin fallback: loading a CJK font is the slow part of printing labels (the metrics
    # are read once per process: haicang.core.pdf_font_cache).
    families = label_fonts_add(pdf, FAMILY, fonts)
    try:
        return _labels_draw(pdf, spec, labels)
    finally:
        for family in families:
            font_release(pdf, family)


def _labels_draw(pdf: FPDF, spec: Layout, labels: Sequence[LabelData]) -> bytes:
    _glyphs_check(
        [pdf.fonts[FAMILY], pdf.fonts[FAMILY + LATIN_SUFFIX]], [t for label in labels for t in _texts(label)]
    )
    per_page = len(spec.origins)
    for i, label in enumerate(labels):
        if i % per_page == 0:
            pdf.add_page()
            if spec.cut_marks:
                _cut_marks(pdf, spec)
        x, y = spec.origins[i % per_page]
        _draw_label(pdf, label, x, y, *spec.label)
    missing = glyphs_dropped(pdf)
    if missing:  # the check above should have caught it; never hand out a label with holes in it
        raise LabelGlyphMissing(f"the label font has no glyph for {missing}")
    return bytes(pdf.output())


def _cut_marks(pdf: FPDF, spec: Layout) -> None:
    pdf.set_draw_color(170)
    pdf.set_line_width(0.1)
    with pdf.local_context(dash_pattern={"dash": 1, "gap": 1.5}):
        for x, y in spec.origins:
            pdf.rect(x, y, *spec.label)
    pdf.set_draw_color(0)


def _font(pdf: FPDF, size: float) -> None:
    pdf.set_font(FAMILY, size=size)


def _write(pdf: FPDF, x: float, y: float, text: str) -> None:
    """``text`` with its baseline at ``y``. One regular face only: sizes, not weights, set the hierarchy."""
    text_draw(pdf, x, y, text)


_fit = fit_text


def _draw_label(pdf: FPDF, label: LabelData, x: float, y: float, w: float, h: float) -> None:
    pad = 5.0
    left, right, inner = x + pad, x + w - pad, w - 2 * pad
    cursor = y + pad

    def line(text: str, size: float, *, gap: float = 1.2, at: float | None = None) -> None:
        nonlocal cursor
        _font(pdf, size)
        height = size * 0.3528  # points to mm
        cursor += height
        _write(pdf, at if at is not None else left, cursor, _fit(pdf, text, right - (at or left)))
        cursor += gap

    line(label.seller, 8, gap=1.5)
    line(label.shipment, 18, gap=1.0)
    if label.reference:
        line(f"Ref {label.reference}", 8, gap=1.0)
    cursor += 1.5
    line("Carton 箱号", 8, gap=0.8)
    line(f"{label.carton} / {label.cartons}", 26, gap=3.0)
    line("Ship to 收货仓", 8, gap=0.8)
    line(label.warehouse, 12, gap=0.8)
    if label.warehouse_place:
        line(label.warehouse_place, 9, gap=0.8)
    cursor += 1.0
    _font(pdf, 8)
    pdf.set_line_width(0.3)
    pdf.line(left, cursor, right, cursor)
    cursor += 1.0

    barcode_height = 18.0
    footer = barcode_height + 9.0 + (5.0 if label.measures else 0.0)
    bottom = y + h - pad - footer
    qty_x = right - 14
    _font(pdf, 7)
    cursor += 2.6
    text_draw(pdf, left, cursor, "SKU · Name 品名")
    text_draw(pdf, qty_x, cursor, "Qty 数量")
    cursor += 1.2
    row_height = 4.6
    rows = list(label.contents)
    room = max(1, int((bottom - cursor) // row_height))
    shown = rows if len(rows) <= room else rows[: room - 1]
    for row in shown:
        cursor += row_height
        _font(pdf, 9)
        code = _fit(pdf, row.code, (qty_x - left) * 0.45)
        _write(pdf, left, cursor, code)
        code_width = pdf.get_string_width(code) + 2
        _font(pdf, 9)
        text_draw(pdf, left + code_width, cursor, _fit(pdf, row.name, qty_x - left - code_width - 2))
        _font(pdf, 10)
        _write(pdf, qty_x, cursor, str(row.quantity))
    if len(shown) < len(rows):
        cursor += row_height
        _font(pdf, 8)
        hidden = rows[len(shown) :]
        text_draw(pdf, left, cursor, f"… {len(hidden)} more SKUs 其他 ({sum(r.quantity for r in hidden)})")

    cursor = y + h - pad - footer
    if label.measures:
        _font(pdf, 8)
        text_draw(pdf, left, cursor + 3, label.measures)
        cursor += 5.0
    _draw_barcode(pdf, label.code, left, cursor + 1, inner, barcode_height)
    _font(pdf, 9)
    text_width = pdf.get_string_width(label.code)
    text_draw(pdf, x + (w - text_width) / 2, cursor + barcode_height + 5.5, label.code)
