"""What the PDF documents Haicang prints with fpdf2 share (carton labels, shipping labels). No Django.

**Fonts.** Labels carry Chinese as well as Latin text, so they are printed with a CJK font: Noto Sans CJK
from Debian's ``fonts-noto-cjk`` (``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc``, face *Noto Sans
CJK SC* of the collection), or the file named by the environment variable ``HAICANG_LABEL_FONT`` (a .ttf,
.otf or .ttc). Noto Sans CJK lacks much of Latin Extended-A (ş ı ł č ğ ź: "Ayşe Kılıç", "Łódź"), so a Latin
font is registered as fpdf2's fallback font (``FPDF.set_fallback_fonts``) for the characters the CJK font has
no glyph for: DejaVu Sans from Debian's ``fonts-dejavu-core`` (Latin Extended-A/B, Greek, Cyrillic), or the
file named by ``HAICANG_LABEL_LATIN_FONT``. :func:`label_fonts` finds both or raises the caller's "font
missing" error naming what to install; :func:`label_fonts_add` adds them to a document. :func:`glyphs_check`
raises the caller's "glyph missing" error naming every character **no** label font can draw (an emoji in a
name): a glyph is never dropped silently. Each app raises its own error class so the code names the document
(``inbound.label_font_missing``, ``fulfillment.label_font_missing``).

**Code 128.** :func:`code128_modules` gives the bars of a text (python-barcode's encoder, which switches to
code set C for runs of digits); :func:`draw_code128` draws them as filled rectangles, centred, with the quiet
zone the symbology asks for.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Container, Iterable, Sequence
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
LATIN_FONT_ENV = "HAICANG_LABEL_LATIN_FONT"
LATIN_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)
LATIN_SUFFIX = "latin"  # the fallback font's family: the document's family + this
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


def latin_font(*, missing: type[DomainError]) -> FontFile:
    """The Latin fallback font (Latin Extended, Greek, Cyrillic); raises ``missing`` naming what to install."""
    override = os.environ.get(LATIN_FONT_ENV) or None
    found = _font_file(LATIN_FONT_CANDIDATES, override)
    if found is None:
        where = override or ", ".join(LATIN_FONT_CANDIDATES)
        raise missing(
            f"no Latin fallback font at {where}: install Debian's fonts-dejavu-core "
            f"(apt-get install fonts-dejavu-core) or set {LATIN_FONT_ENV} to a .ttf/.otf font with "
            "Latin Extended, Greek and Cyrillic glyphs"
        )
    return found


def label_fonts(*, missing: type[DomainError]) -> tuple[FontFile, FontFile]:
    """The CJK font and the Latin fallback font labels are printed with; raises ``missing`` when one is absent."""
    return cjk_font(missing=missing), latin_font(missing=missing)


def label_fonts_add(pdf: FPDF, family: str, fonts: tuple[FontFile, FontFile]) -> tuple[str, str]:
    """Add the CJK font to ``pdf`` as ``family`` and the Latin font as ``family + LATIN_SUFFIX``, the latter as
    fpdf2's fallback font (drawn for the characters the CJK font lacks). Returns both families (for
    :func:`glyphs_check` and ``font_release``). The metrics are read once per process (``pdf_font_cache``)."""
    from haicang.core.pdf_font_cache import font_add

    families = (family, family + LATIN_SUFFIX)
    for name, font in zip(families, fonts, strict=True):
        font_add(pdf, name, path=font.path, index=font.index)
    pdf.set_fallback_fonts([families[1]])
    return families


def glyphs_missing(cmap: Container[int], texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` (spaces aside) that a font with character map ``cmap`` cannot draw."""
    return sorted({ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap})


def glyphs_check(fonts: Sequence[object], texts: Iterable[str], *, missing: type[DomainError]) -> None:
    """Raise ``missing`` naming (as U+XXXX) every character of ``texts`` that none of fpdf2's ``fonts`` (the
    font and its fallbacks) can draw."""
    texts = list(texts)
    absent: list[str] = []
    for i, font in enumerate(fonts):
        cmap: Container[int] = getattr(font, "cmap", {})
        absent = glyphs_missing(cmap, texts if i == 0 else absent)
    if absent:
        shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in absent[:10])
        raise missing(
            f"no label font has a glyph for {shown}: change the text or set {FONT_ENV} or "
            f"{LATIN_FONT_ENV} to a font that has",
            characters=[f"U+{ord(ch):04X}" for ch in absent],
        )


def text_draw(pdf: FPDF, x: float, y: float, text: str) -> None:
    """``pdf.text(x, y, text)`` with the fallback fonts: fpdf2's ``text()`` draws every character with the
    current font (a character it lacks becomes a hole), so ``text`` is drawn in runs, each in the current font
    or in the fallback font that has its characters, one after the other on the baseline ``y``."""
    family, style, size = pdf.font_family, pdf.font_style, pdf.font_size_pt
    cmap: Container[int] = getattr(pdf.current_font, "cmap", {})
    runs: list[tuple[str | None, str]] = []
    for ch in text:
        fallback = None if ord(ch) in cmap else pdf.get_fallback_font(ch, style)
        if runs and runs[-1][0] == fallback:
            runs[-1] = (fallback, runs[-1][1] + ch)
        else:
            runs.append((fallback, ch))
    if len(runs) <= 1 and not (runs and runs[0][0]):
        pdf.text(x, y, text)
        return
    for fallback, run in runs:
        if fallback is None:
            pdf.set_font(family, style, size)
        else:
            pdf.set_font(fallback, "", size)  # a fallback's key is its family (regular style)
        pdf.text(x, y, run)
        x += pdf.get_string_width(run)
    pdf.set_font(family, style, size)


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
