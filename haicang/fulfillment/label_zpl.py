"""The 4×6 in shipping label as ZPL II for 203 dpi thermal printers (Zebra and compatibles). Pure.

One ``^XA … ^XZ`` format per parcel, 812 × 1218 dots (``^PW``/``^LL``), text in UTF-8 (``^CI28``). The same
content and layout as the PDF (``label_pdf``): carrier, service and ``parcel x / y``; sender; recipient; the
destination postcode and country large; weight, dimensions, reference and ship date; the tracking number as a
Code 128 barcode (``^BY`` module width, ``^BC`` in automatic subset mode) and in readable groups.

**Data is escaped**, never trusted: every field is sent with ``^FH`` and the characters ZPL would read as
commands — ``^``, ``~`` — as well as the hex indicator ``_`` itself and control characters are written as hex
escapes of their UTF-8 bytes (``^`` → ``_5E``, ``~`` → ``_7E``, ``_`` → ``_5F``). A reference like
``PO^XZ~JR`` therefore prints as text and cannot end the label or reset the printer.

**Fonts.** Latin text uses the printer's scalable font 0 (``^A0``), Latin Extended-A/B included (up to
U+024F: "Ayşe Kılıç", "Łódź" — sent as UTF-8 under ``^CI28``, never refused). Text with characters beyond
Latin (Greek, Cyrillic, Chinese names) uses a TrueType font stored on the printer, named by ``cjk_font`` (default ``E:ANMDJ.TTF``, Zebra's
Andale Mono Asian font; download one with Zebra Setup Utilities if the printer has none). Long lines are cut
with ``…`` to the width of the label.
"""

from __future__ import annotations

from collections.abc import Sequence

from haicang.core.pdf import QUIET_MODULES, code128_modules
from haicang.fulfillment.shipping_label import ShippingLabel

DOTS_PER_MM = 8  # 203 dpi
WIDTH, LENGTH = 812, 1218  # 4 × 6 in at 203 dpi
MARGIN = 32  # 4 mm
INNER = WIDTH - 2 * MARGIN
DEFAULT_CJK_FONT = "E:ANMDJ.TTF"
_ESCAPED = {"_", "^", "~"}


def zpl_escape(text: str) -> str:
    """``text`` for a ``^FH^FD`` field: ``_``, ``^``, ``~`` and control characters as ``_XX`` hex escapes of
    their UTF-8 bytes; everything else as it is (``^CI28`` reads UTF-8)."""
    out = []
    for ch in text:
        if ch in _ESCAPED or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("".join(f"_{byte:02X}" for byte in ch.encode()))
        else:
            out.append(ch)
    return "".join(out)


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "…×·" for ch in text)


def _char_dots(ch: str, height: int) -> float:
    return height * (0.62 if ord(ch) < 0x250 or ch in "…×·" else 1.0)


def _fit(text: str, height: int, width: int) -> str:
    """``text`` cut with … so it fits ``width`` dots at font ``height`` (a conservative width estimate)."""
    if sum(_char_dots(ch, height) for ch in text) <= width:
        return text
    while text and sum(_char_dots(ch, height) for ch in text + "…") > width:
        text = text[:-1]
    return text + "…"


class _Format:
    def __init__(self, cjk_font: str) -> None:
        self.commands: list[str] = []
        self.cjk_font = cjk_font

    def text(self, x: int, y: int, text: str, height: int, *, width: int | None = None) -> None:
        if not text:
            return
        room = (width if width is not None else WIDTH - MARGIN - x) - 2
        fitted = _fit(text, height, room)
        font = f"^A0N,{height},{height}" if _is_latin(fitted) else f"^A@N,{height},{height},{self.cjk_font}"
        self.commands.append(f"^FO{x},{y}{font}^FH^FD{zpl_escape(fitted)}^FS")

    def line(self, y: int, thickness: int = 3) -> None:
        self.commands.append(f"^FO{MARGIN},{y}^GB{INNER},{thickness},{thickness}^FS")

    def barcode(self, y: int, data: str, height: int) -> None:
        modules = len(code128_modules(data)) + 2 * QUIET_MODULES
        module = max(2, min(4, INNER // modules))
        x = MARGIN + max(0, (INNER - (modules - 2 * QUIET_MODULES) * module) // 2)
        self.commands.append(f"^FO{x},{y}^BY{module}^BCN,{height},N,N,N,A^FH^FD{zpl_escape(data)}^FS")


def shipping_label_zpl(label: ShippingLabel, *, cjk_font: str = DEFAULT_CJK_FONT) -> str:
    """One label as one ``^XA … ^XZ`` format."""
    f = _Format(cjk_font)
    f.commands += ["^XA", "^CI28", f"^PW{WIDTH}", f"^LL{LENGTH}", "^LH0,0"]
    f.text(MARGIN, 32, label.carrier_name, 64, width=INNER - 200)
    f.text(WIDTH - MARGIN - 190, 40, label.parcel_text, 48, width=190)
    service = f"{label.service_name} · SANDBOX" if label.is_sandbox else label.service_name
    f.text(MARGIN, 108, service, 30)
    f.line(150)
    f.text(MARGIN, 162, "FROM", 22)
    y = 190
    for line in label.sender_lines[:4]:
        f.text(MARGIN, y, line, 26)
        y += 30
    f.line(318)
    f.text(MARGIN, 330, "SHIP TO", 24)
    y = 362
    for i, line in enumerate(label.recipient_lines[:5]):
        height = 46 if i == 0 else 36
        f.text(MARGIN, y, line, height)
        y += height + 8
    f.text(MARGIN, 600, label.destination, 80)
    f.line(700)
    details = [
        ("WEIGHT", label.weight_text),
        ("DIMENSIONS", label.dimensions_text),
        ("REF", label.reference),
        ("SHIP DATE", label.ship_date.isoformat() if label.ship_date else ""),
    ]
    for i, (title, value) in enumerate(details):
        x, y = MARGIN + (i % 2) * (INNER // 2), 714 + (i // 2) * 72
        f.text(x, y, title, 20)
        f.text(x, y + 24, value, 32, width=INNER // 2 - 8)
    f.line(862)
    f.text(MARGIN, 876, "TRACKING #", 22)
    f.barcode(910, label.barcode, 200)
    f.text(MARGIN, 1128, label.tracking_text, 44)
    f.commands += ["^PQ1", "^XZ"]
    return "\n".join(f.commands) + "\n"


def shipping_labels_zpl(labels: Sequence[ShippingLabel], *, cjk_font: str = DEFAULT_CJK_FONT) -> str:
    """All labels, one format per parcel, ready to send to the printer as they are."""
    return "".join(shipping_label_zpl(label, cjk_font=cjk_font) for label in labels)
