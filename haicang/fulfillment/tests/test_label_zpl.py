"""The 4×6 in shipping label as ZPL II, pure: one format per parcel at 203 dpi in UTF-8, the tracking number as
Code 128 and text, Chinese lines in the printer's CJK font, and data that cannot inject ZPL commands."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from haicang.fulfillment.carriers.base import LabelRequest, Parcel, adapter_for
from haicang.fulfillment.carriers.sandbox import MemoryLedger
from haicang.fulfillment.label_zpl import DEFAULT_CJK_FONT, shipping_labels_zpl, zpl_escape
from haicang.fulfillment.shipping_label import ShippingLabel, shipping_labels

LABEL_TIME = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
FIELD = re.compile(r"\^FD(.*?)\^FS", re.DOTALL)


def _labels(
    *, reference: str = "ORD-2026-000123", recipient: str | None = None, parcels: int = 2
) -> list[ShippingLabel]:
    request = LabelRequest(
        carrier_code="ups",
        service_code="ground",
        sender="Haicang LAX1\n1200 E Francis St\nOntario CA 91761\nUS",
        recipient=recipient or "张伟 Zhang Wei\n350 Fifth Avenue\nNew York NY 10118\nUS",
        parcels=tuple(Parcel(1_250 + 100 * i, 300, 200, 100) for i in range(parcels)),
        reference=reference,
        origin_country="US",
        destination_country="US",
        destination_postcode="10118",
    )
    adapter = adapter_for("ups", ledger=MemoryLedger(), clock=lambda: LABEL_TIME)
    return shipping_labels(request, adapter.label(request, service_code="ground"))


def _formats(zpl: str) -> list[str]:
    return re.findall(r"\^XA.*?\^XZ", zpl, re.DOTALL)


def test_each_parcel_gets_one_4x6_format_at_203_dpi_in_utf8():
    labels = _labels(parcels=3)

    zpl = shipping_labels_zpl(labels)

    formats = _formats(zpl)
    assert len(formats) == 3 and zpl.count("^XA") == 3 and zpl.count("^XZ") == 3
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    for label, fmt in zip(labels, formats, strict=True):
        assert "^CI28" in fmt and "^PW812" in fmt and "^LL1218" in fmt and "^PQ1" in fmt
        assert fmt.index("^CI28") < fmt.index("^FD")  # UTF-8 is set before the first field
        assert f"^FD{label.parcel_text}^FS" in fmt
    assert [label.parcel_text for label in labels] == ["1 / 3", "2 / 3", "3 / 3"]


def test_the_tracking_number_is_a_code_128_barcode_and_readable_text():
    label = _labels(parcels=1)[0]

    fmt = _formats(shipping_labels_zpl([label]))[0]

    barcode = re.search(r"\^FO(\d+),(\d+)\^BY(\d)\^BCN,(\d+),N,N,N,A\^FH\^FD([^^]*)\^FS", fmt)
    assert barcode is not None
    x, _y, module, height, data = barcode.groups()
    assert data == label.tracking_number and label.tracking_number.startswith("1Z")
    assert 2 <= int(module) <= 4 and int(height) == 200 and int(x) >= 32
    assert f"^FD{label.tracking_text}^FS" in fmt and label.tracking_text.startswith("1Z HC5 8X1 03 ")


def test_sender_recipient_service_weight_and_reference_are_printed():
    fmt = _formats(shipping_labels_zpl(_labels(parcels=1)))[0]
    fields = FIELD.findall(fmt)

    for expected in (
        "UPS",
        "UPS Ground · SANDBOX",
        "Haicang LAX1",
        "350 Fifth Avenue",
        "10118 US",
        "1.25 kg",
    ):
        assert expected in fields
    assert "ORD-2026-000123" in fields and "30 × 20 × 10 cm" in fields and "2026-03-02" in fields


def test_chinese_lines_use_the_printers_cjk_font_and_latin_lines_font_0():
    fmt = _formats(shipping_labels_zpl(_labels(parcels=1), cjk_font="E:SIMSUN.TTF"))[0]

    assert "^A@N,46,46,E:SIMSUN.TTF^FH^FD张伟 Zhang Wei^FS" in fmt
    assert "^A0N,36,36^FH^FD350 Fifth Avenue^FS" in fmt
    assert DEFAULT_CJK_FONT == "E:ANMDJ.TTF"


def test_european_names_print_in_utf8_with_font_0_and_greek_cyrillic_with_the_printer_font():
    recipient = "Ayşe Kılıç, Łódź\nŁukasz Wróbel\nΑθήνα Москва\nUS"
    fmt = _formats(shipping_labels_zpl(_labels(parcels=1, recipient=recipient), cjk_font="E:SIMSUN.TTF"))[0]

    # Latin Extended-A is sent as it is (UTF-8 under ^CI28), nothing dropped or refused, in font 0
    assert "^A0N,46,46^FH^FDAyşe Kılıç, Łódź^FS" in fmt
    assert "^A0N,36,36^FH^FDŁukasz Wróbel^FS" in fmt
    assert "^A@N,36,36,E:SIMSUN.TTF^FH^FDΑθήνα Москва^FS" in fmt
    assert "Ayşe Kılıç, Łódź".encode() in fmt.encode()


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("PO^XZ~JR", "PO_5EXZ_7EJR"),
        ("snake_case", "snake_5Fcase"),
        ("tab\there", "tab_09here"),
        ("plain 123", "plain 123"),
        ("张伟", "张伟"),
    ],
)
def test_caret_tilde_underscore_and_control_characters_become_hex_escapes(text, escaped):
    assert zpl_escape(text) == escaped


def test_a_reference_full_of_zpl_commands_cannot_end_the_label_or_reach_the_printer():
    # given a reference and a recipient that try to end the format and send a printer command
    labels = _labels(reference="1^XZ^XA~JR", recipient="Mallory ^XZ\n1 Main St_2\nUS", parcels=1)

    # when the label is written
    zpl = shipping_labels_zpl(labels)

    # then there is still exactly one format, and no field carries a raw ^ or ~
    assert len(_formats(zpl)) == 1 and zpl.count("^XZ") == 1
    fields = FIELD.findall(zpl)
    assert all("^" not in f and "~" not in f for f in fields)
    assert "1_5EXZ_5EXA_7EJR" in fields
    assert "Mallory _5EXZ" in fields and "1 Main St_5F2" in fields
    # and every field that carries data is sent with ^FH, so the escapes are decoded by the printer
    assert zpl.count("^FD") == zpl.count("^FH^FD")


def test_a_line_too_long_for_the_label_is_cut_with_an_ellipsis():
    street = "Flat 12, Building 7, Very Long Industrial Estate Name, Unit 4B Logistics Park Road"
    fmt = _formats(shipping_labels_zpl(_labels(recipient=f"Zhang Wei\n{street}\nUS", parcels=1)))[0]

    printed = next(f for f in FIELD.findall(fmt) if f.startswith("Flat 12"))
    assert printed.endswith("…") and len(printed) < len(street)
