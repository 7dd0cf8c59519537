"""The 4×6 in shipping label as PDF: one page per parcel, Chinese and Latin names drawn with the embedded CJK
font, the tracking number as Code 128 bars that are exactly its symbol, and clear errors instead of holes."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from haicang.core import pdf as shared_pdf
from haicang.core.pdf import code128_modules
from haicang.fulfillment.carriers.base import LabelRequest, Parcel, adapter_for
from haicang.fulfillment.carriers.sandbox import MemoryLedger
from haicang.fulfillment.label_pdf import (
    ShippingLabelFontMissing,
    ShippingLabelGlyphMissing,
    shipping_labels_pdf,
)
from haicang.fulfillment.shipping_label import ShippingLabel, shipping_labels

LABEL_TIME = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
RECT = re.compile(r"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re")


def _labels(
    carrier: str = "royal_mail",
    service: str = "tracked_48",
    *,
    recipient: str | None = None,
    country: str = "GB",
) -> list[ShippingLabel]:
    request = LabelRequest(
        carrier_code=carrier,
        service_code=service,
        sender="Haicang BHX1 EuroHub\nUnit 4, Hams Hall\nBirmingham B46 1AL\nGB",
        recipient=recipient or "张伟 Zhang Wei\n12 Acacia Avenue\nCoventry CV6 4QJ\nGB",
        parcels=(Parcel(1_250, 300, 200, 100), Parcel(800)),
        reference="ORD-2026-000123",
        origin_country=country,
        destination_country=country,
        destination_postcode="CV6 4QJ",
    )
    adapter = adapter_for(carrier, ledger=MemoryLedger(), clock=lambda: LABEL_TIME)
    return shipping_labels(request, adapter.label(request, service_code=service))


def _text(page) -> str:
    """A page's text without spaces (pypdf reads fpdf2's two-byte codes with a NUL before each character)."""
    return "".join(page.extract_text().replace("\x00", "").split())


def _bars(page, modules: int) -> str:
    """The page's filled rectangles (the only ones are the barcode's bars) read back as ``modules`` Code 128
    modules: the symbol's span is cut into equal modules, and a module is a bar when its centre is inside one."""
    rects = [
        (float(x), float(x) + float(w))
        for x, _y, w, _h in RECT.findall(page.get_contents().get_data().decode("latin-1"))
    ]
    start, end = min(a for a, _b in rects), max(b for _a, b in rects)
    module = (end - start) / modules
    centres = (start + (i + 0.5) * module for i in range(modules))
    return "".join("1" if any(a <= c <= b for a, b in rects) else "0" for c in centres)


def _fonts(page) -> list[dict]:
    return [font.get_object() for font in page["/Resources"]["/Font"].values()]


def test_each_parcel_gets_a_4x6_inch_page_with_addresses_service_weight_reference_and_tracking_number():
    labels = _labels()

    reader = PdfReader(BytesIO(shipping_labels_pdf(labels, title="ORD-2026-000123 labels")))

    assert len(reader.pages) == 2
    for label, page in zip(labels, reader.pages, strict=True):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (288, 432)  # 4 × 6 in in points
        text = _text(page)
        for expected in (
            "RoyalMail",
            "RoyalMailTracked48·SANDBOX",
            "HaicangBHX1EuroHub",
            "张伟ZhangWei",
            "CoventryCV64QJ",
            "CV64QJGB",
            "ORD-2026-000123",
            "2026-03-02",
            label.parcel_text.replace(" ", ""),
            label.weight_text.replace(" ", ""),
            label.tracking_number,
        ):
            assert expected in text, (expected, text)
    assert label.tracking_text == f"{label.tracking_number[:2]} {label.tracking_number[2:5]} " + " ".join(
        (label.tracking_number[5:8], label.tracking_number[8:11], label.tracking_number[11:])
    )
    assert reader.metadata is not None and reader.metadata.title == "ORD-2026-000123 labels"


def test_the_barcode_bars_are_exactly_the_code_128_symbol_of_the_tracking_number():
    labels = _labels("ups", "ground", country="US")
    # UPS numbers mix letters and digits: the symbol switches code sets, the hardest case to draw
    reader = PdfReader(BytesIO(shipping_labels_pdf(labels)))

    for label, page in zip(labels, reader.pages, strict=True):
        symbol = code128_modules(label.tracking_number)
        assert _bars(page, len(symbol)) == symbol


def test_latin_and_chinese_names_are_drawn_with_the_embedded_cjk_font():
    reader = PdfReader(
        BytesIO(shipping_labels_pdf(_labels(recipient="李娜\n深圳市南山区科技园\nShenzhen 518057\nCN")))
    )

    page = reader.pages[0]
    assert "李娜" in _text(page) and "深圳市南山区科技园" in _text(page)
    fonts = _fonts(page)
    assert any("NotoSansCJK" in str(f["/BaseFont"]) and "+" in str(f["/BaseFont"]) for f in fonts)


def test_a_character_the_font_cannot_draw_is_refused_never_dropped():
    with pytest.raises(ShippingLabelGlyphMissing) as raised:
        shipping_labels_pdf(_labels(recipient="Zhang Wei \U0001f4e6\n12 Acacia Avenue\nGB"))

    assert raised.value.code == "fulfillment.label_glyph_missing" and "U+1F4E6" in raised.value.detail


def test_a_missing_cjk_font_fails_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv(shared_pdf.FONT_ENV, str(tmp_path / "no-such-font.ttc"))

    with pytest.raises(ShippingLabelFontMissing) as raised:
        shipping_labels_pdf(_labels())

    assert raised.value.code == "fulfillment.label_font_missing" and raised.value.status == 503
    assert "fonts-noto-cjk" in raised.value.detail


def test_european_names_are_drawn_whole_with_the_latin_fallback_font():
    # given a recipient whose letters Noto Sans CJK lacks (ş ı ç ł ź), Greek and Cyrillic, and Chinese
    recipient = "Ayşe Kılıç, Łódź\nŁukasz Wróbel\nΑθήνα Москва 张伟\n90-001 Łódź\nPL"
    assert shared_pdf.glyphs_missing(_cjk_cmap(), ["Ayşe Kılıç, Łódź"])  # the bug: the CJK font alone cannot

    reader = PdfReader(BytesIO(shipping_labels_pdf(_labels(recipient=recipient))))

    page = reader.pages[0]
    text = _text(page)
    for expected in ("AyşeKılıç,Łódź", "ŁukaszWróbel", "ΑθήναМосква张伟", "90-001Łódź"):
        assert expected in text, (expected, text)
    fonts = [str(f["/BaseFont"]) for f in _fonts(page)]
    assert any("NotoSansCJK" in f for f in fonts) and any("DejaVuSans" in f for f in fonts), fonts


@pytest.mark.parametrize("character", ["\U0001f4e6", "\ue000"])
def test_a_character_no_label_font_has_is_still_refused(character):
    with pytest.raises(ShippingLabelGlyphMissing) as raised:
        shipping_labels_pdf(_labels(recipient=f"Ayşe Kılıç {character}\nŁódź\nPL"))

    assert f"U+{ord(character):04X}" in raised.value.detail
    assert raised.value.context["characters"] == [f"U+{ord(character):04X}"]  # ş, ı, ç, Ł, ź are drawable


def test_a_missing_latin_fallback_font_fails_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv(shared_pdf.LATIN_FONT_ENV, str(tmp_path / "no-such-font.ttf"))

    with pytest.raises(ShippingLabelFontMissing) as raised:
        shipping_labels_pdf(_labels())

    assert "fonts-dejavu-core" in raised.value.detail and "no-such-font.ttf" in raised.value.detail


def _cjk_cmap():
    from haicang.core.pdf_font_cache import _font_prototype

    font = shared_pdf.cjk_font(missing=ShippingLabelFontMissing)
    return _font_prototype(font.path, font.index).cmap
