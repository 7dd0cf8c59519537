"""Carton labels as PDF: one page per carton (or four on A4), the carton code as text and as a Code 128
barcode that decodes back to it, and Chinese SKU names drawn with an embedded CJK font — never dropped."""

from __future__ import annotations

from io import BytesIO

import pytest
from barcode.charsets.code128 import CODES, STOP
from pypdf import PdfReader

from haicang.catalog.tests.factories import make_sku
from haicang.core.money import Money
from haicang.inbound import labels_pdf
from haicang.inbound.asn_rules import AsnSpec, CartonSpec, ContentSpec, LineSpec
from haicang.inbound.carton_codes import carton_barcode_parse
from haicang.inbound.labels_pdf import (
    ContentRow,
    LabelData,
    LabelFontMissing,
    LabelGlyphMissing,
    carton_labels_pdf,
    code128_modules,
    labels_render,
)
from haicang.inbound.services import inbound_create
from haicang.inbound.tests.factories import SYSTEM, make_inbound_world


def _label(name: str = "纯棉T恤 红色 M", code: str = "lumen/ASN-2026-000001/1") -> LabelData:
    return LabelData(
        code=code,
        seller="Lumen (lumen)",
        shipment="ASN-2026-000001",
        reference="PO-7",
        carton=1,
        cartons=1,
        warehouse="AMS1 Amsterdam",
        warehouse_place="Amsterdam, NL",
        contents=(ContentRow("TEE-RED-M", name, 24),),
        measures="60 × 40 × 40 cm · 12.5 kg",
    )


def _text(page) -> str:
    """A page's text without spaces (pypdf reads fpdf2's two-byte codes with a NUL before each character)."""
    return "".join(page.extract_text().replace("\x00", "").split())


def _fonts(page) -> list[dict]:
    return [font.get_object() for font in page["/Resources"]["/Font"].values()]


@pytest.mark.django_db
def test_each_carton_gets_a_page_with_its_code_and_the_chinese_names_embedded():
    # given a shipment of three cartons holding a SKU with a Chinese name
    world = make_inbound_world(currency="CNY")
    tee = make_sku(
        world.seller,
        code="TEE-RED-M",
        name_en="Cotton tee red M",
        name_zh="纯棉T恤 红色 M",
        purchase_cost=Money.of("12.00", "CNY"),
    )
    spec = AsnSpec(
        mode="sea_lcl",
        origin_country="CN",
        lines=[LineSpec(tee.code, 30)],
        cartons=[CartonSpec(n, [ContentSpec(tee.code, 10)], 600, 400, 400, 12_500) for n in (1, 2, 3)],
    )
    shipment = inbound_create(actor=SYSTEM, seller=world.seller, warehouse=world.warehouse, spec=spec)

    # when its labels are printed
    reader = PdfReader(BytesIO(carton_labels_pdf(shipment)))

    # then there is one 100 × 150 mm page per carton, each with its carton code, x / y and the Chinese name
    assert len(reader.pages) == 3
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert round(width / 72 * 25.4) == 100 and round(height / 72 * 25.4) == 150
        text = _text(page)
        code = f"{world.seller.code}/{shipment.number}/{number}"
        assert code in text
        assert carton_barcode_parse(code) is not None  # what the receiving page reads back
        assert f"{number}/3" in text
        assert "纯棉T恤红色M" in text and "TEE-RED-M" in text and world.warehouse.code in text
    # and the CJK font is embedded as a subset (a font file in the PDF, not a name the reader must have)
    fonts = _fonts(reader.pages[0])
    cjk = [f for f in fonts if "NotoSansCJK" in str(f["/BaseFont"])]
    assert cjk, [f["/BaseFont"] for f in fonts]
    descriptor = cjk[0]["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert "+" in str(cjk[0]["/BaseFont"])  # a subset tag, e.g. MPDFAA+NotoSansCJKSC
    embedded = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
    assert embedded is not None and len(embedded.get_object().get_data()) > 1000


def test_four_labels_fit_an_a4_page():
    labels = [_label(code=f"lumen/ASN-2026-000001/{n}") for n in range(1, 6)]

    reader = PdfReader(BytesIO(labels_render(labels, layout="a4")))

    assert len(reader.pages) == 2
    first = _text(reader.pages[0])
    assert all(f"lumen/ASN-2026-000001/{n}" in first for n in range(1, 5))
    assert "lumen/ASN-2026-000001/5" in _text(reader.pages[1])


def test_many_skus_in_one_carton_are_summed_up_rather_than_cut_off():
    rows = tuple(ContentRow(f"SKU-{n:02d}", "台灯", 2) for n in range(40))
    label = LabelData(**{**_label().__dict__, "contents": rows})

    text = _text(PdfReader(BytesIO(labels_render([label]))).pages[0])

    assert "SKU-00" in text and "SKU-39" not in text
    assert "moreSKUs" in text


def _decode_code128(modules: str) -> str:
    """Read Code 128 bars back to text (sets A, B and C), checking the check symbol."""
    assert modules.endswith(STOP + "11")  # the stop symbol and its final bar
    body = modules[: -len(STOP) - 2]
    values = [CODES.index(body[i : i + 11]) for i in range(0, len(body), 11)]
    start, *data, check = values
    assert check == (start + sum(i * v for i, v in enumerate(data, start=1))) % 103
    charset = {103: "A", 104: "B", 105: "C"}[start]
    switches = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}
    out = ""
    for value in data:
        if value in switches[charset]:
            charset = switches[charset][value]
        elif charset == "C":
            out += f"{value:02d}"
        elif charset == "B" or value < 64:
            out += chr(value + 32)
        else:
            out += chr(value - 64)
    return out


@pytest.mark.parametrize("code", ["lumen/ASN-2026-000001/1", "a_b-c/ASN-2026-123456/4321", "x/Y/7"])
def test_the_barcode_encodes_the_carton_code(code):
    assert _decode_code128(code128_modules(code)) == code


def test_a_missing_cjk_font_fails_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv(labels_pdf.FONT_ENV, str(tmp_path / "no-such-font.ttc"))

    with pytest.raises(LabelFontMissing) as raised:
        labels_render([_label()])

    assert "fonts-noto-cjk" in raised.value.detail and "no-such-font.ttc" in raised.value.detail


def test_a_character_the_font_cannot_draw_is_refused_never_dropped():
    with pytest.raises(LabelGlyphMissing) as raised:
        labels_render([_label(name="纯棉T恤 \U0001f455")])

    assert "U+1F455" in raised.value.detail


def test_latin_extended_names_are_drawn_with_the_latin_fallback_font_next_to_chinese():
    # given a SKU name Noto Sans CJK cannot draw alone (ł, ż, ş) next to Chinese
    reader = PdfReader(BytesIO(labels_render([_label(name="Łyżka Kılıç 勺子")])))

    # then it is printed whole, the missing letters from the embedded Latin fallback font
    page = reader.pages[0]
    assert "ŁyżkaKılıç勺子" in _text(page)
    fonts = [str(f["/BaseFont"]) for f in _fonts(page)]
    assert any("NotoSansCJK" in f for f in fonts) and any("DejaVuSans" in f for f in fonts), fonts


def test_a_character_no_label_font_has_is_still_refused():
    with pytest.raises(LabelGlyphMissing) as raised:
        labels_render([_label(name="Łyżka \ue000")])

    assert "U+E000" in raised.value.detail and "U+0141" not in raised.value.detail
