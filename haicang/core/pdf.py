"""What the PDF documents Haicang prints with fpdf2 share (carton labels, shipping labels). No Django.

**Fonts.** Labels carry Chinese as well as Latin text, so they are printed with one CJK font: Noto Sans CJK
from Debian's ``fonts-noto-cjk`` (``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc``, face *Noto Sans
CJK SC* of the collection), or the file named by the environment variable ``HAICANG_LABEL_FONT`` (a .ttf,
.otf or .ttc). :func:`cjk_font` finds it or raises the caller's "font missing" error naming what to install;
:func:`glyphs_check` raises the caller's "glyph missing" error naming every character the font cannot draw (an
emoji in a name): a glyph is never dropped silently. Each app raises its own error class so the code names
the document (``inbound.label_font_missing``, ``fulfillment.label_font_missing``).

**Code 128.** :func:`code128_modules` gives the bars of a text (python-barcode's encoder, which switches to
code set C for runs of digits); :func:`draw_code128` draws them as filled rectangles, centred, with the quiet
zone the symbology asks for.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from haicang.core.errors import DomainError

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_ENV = "HAICANG_LABEL_FONT"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/opentype/noto/NotoSansCJKSC-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
FACE = "Noto Sans CJK SC"  # the face of a collection (.ttc) to use: simplified Chinese glyph shapes
QUIET_MODULES = 10  # white modules each side of a Code 128 symbol
logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting logs every glyph at INFO


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int  # the face in a collection (.ttc), else 0


def _face_index(path: str) -> int:
    """The index of the simplified-Chinese face in a font collection (0 for a single font)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            name = font["name"].getDebugName(1) or ""
            if name == FACE:
                return index
    finally:
        collection.close()
    return 0


@lru_cache(maxsize=4)
def _font_file(candidates: tuple[str, ...], override: str | None) -> FontFile | None:
    paths = (override,) if override else candidates
    for path in paths:
        if path and Path(path).is_file():
            return FontFile(path, _face_index(path))
    return None


def cjk_font(*, missing: type[DomainError]) -> FontFile:
    """The CJK font labels are printed with; raises ``missing`` naming what to install when there is none."""
    override = os.environ.get(FONT_ENV) or None
    found = _font_file(FONT_CANDIDATES, override)
    if found is None:
        where = override or ", ".join(FONT_CANDIDATES)
        raise missing(
            f"no CJK font at {where}: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) "
            f"or set {FONT_ENV} to a .ttf/.otf/.ttc font with Chinese glyphs"
        )
    return found


def glyphs_missing(cmap: Container[int], texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` (spaces aside) that a font with character map ``cmap`` cannot draw."""
    return sorted({ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap})


def glyphs_check(font: object, texts: Iterable[str], *, missing: type[DomainError]) -> None:
    """Raise ``missing`` naming (as U+XXXX) every character of ``texts`` that fpdf2's ``font`` cannot draw."""
    cmap: Container[int] = getattr(font, "cmap", {})
    absent = glyphs_missing(cmap, texts)
    if absent:
        shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in absent[:10])
        raise missing(
            f"the label font has no glyph for {shown}: change the text or set {FONT_ENV} to a font that has",
            characters=[f"U+{ord(ch):04X}" for ch in absent],
        )


def glyphs_dropped(pdf: FPDF) -> list[object]:
    """What fpdf2 recorded as drawn without a glyph (should be nothing once :func:`glyphs_check` passed)."""
    found = (getattr(font, "missing_glyphs", None) for font in pdf.fonts.values())
    return [glyphs for glyphs in found if glyphs]


def code128_modules(text: str) -> str:
    """The bars of ``text`` in Code 128 as ``1`` (bar) and ``0`` (space) modules, start to stop symbol (the
    encoder picks code sets B and C, so runs of digits are compact)."""
    from barcode.codex import Code128

    modules: list[str] = Code128(text).build()
    return "".join(modules)


def draw_code128(
    pdf: FPDF, text: str, x: float, y: float, width: float, height: float, *, max_module: float = 0.5
) -> float:
    """Draw ``text`` as Code 128 bars centred in the ``width`` × ``height`` box at (``x``, ``y``), mm, with a
    module of at most ``max_module`` mm and the quiet zone kept inside the box. Returns the module width."""
    modules = code128_modules(text)
    module = min(max_module, width / (len(modules) + 2 * QUIET_MODULES))
    left = x + (width - module * len(modules)) / 2
    run_start: int | None = None
    for i, bit in enumerate([*modules, "0"]):
        if bit == "1" and run_start is None:
            run_start = i
        elif bit == "0" and run_start is not None:
            pdf.rect(left + run_start * module, y, (i - run_start) * module, height, style="F")
            run_start = None
    return module


def fit_text(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with … so it fits ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
