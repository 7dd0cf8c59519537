"""A font added to an fpdf2 document without reading the font file's metrics again. No Django.

Adding a CJK font to an fpdf2 document (``FPDF.add_font``) parses the font's character map and glyph widths
(45,000 characters for Noto Sans CJK): about 0.2 s, every document. :func:`font_add` does that once per font
file and process (:func:`_font_prototype`) and gives each document a **copy** of fpdf2's font object with its
own state — a fresh, lazily read fontTools font (fpdf2 subsets it *in place* when it writes the PDF, so it
can never be shared), its own subset map, widths table and missing-glyph list. The character map, glyph ids
and font descriptor are shared read-only. Documents made at the same time, in threads, share nothing they
change. What remains per document is the subsetting at output (reading the outlines of the glyphs used).

Written against fpdf2 2.8's ``TTFFont`` (``__slots__``); with a font object that lacks any of the state below
the font is added the plain way (:func:`_clonable`), so another fpdf2 is slower, never wrong.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fpdf import FPDF

# fpdf2's per-document state of a TTFFont, set fresh on every copy
_DOCUMENT_STATE = (
    "i",
    "ttfont",
    "cw",
    "subset",
    "missing_glyphs",
    "biggest_size_pt",
    "_hbfont",
    "color_font",
)


@lru_cache(maxsize=4)
def _font_prototype(path: str, index: int) -> Any:
    """fpdf2's font object for face ``index`` of ``path``, read once per process; it never draws (its own
    fontTools font is closed): documents get copies (:func:`font_add`)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("prototype", fname=path, collection_font_number=index)
    prototype: Any = pdf.fonts["prototype"]
    prototype.ttfont.close()
    return prototype


def _clonable(prototype: Any) -> bool:
    slots = {name for cls in type(prototype).__mro__ for name in getattr(cls, "__slots__", ())}
    return set(_DOCUMENT_STATE) <= slots and getattr(prototype, "color_font", None) is None


def font_add(pdf: FPDF, family: str, *, path: str, index: int = 0) -> None:
    """Add face ``index`` of the font file ``path`` to ``pdf`` as ``family`` (regular style), as
    ``pdf.add_font(family, fname=path, collection_font_number=index)`` would, with the metrics read once per
    process. Call it once per document and family."""
    prototype = _font_prototype(path, index)
    if not _clonable(prototype):  # pragma: no cover - another fpdf2 than the one this was written for
        pdf.add_font(family, fname=path, collection_font_number=index)
        return
    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    font = copy.copy(prototype)
    font.fontkey = family.lower()
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttLib.TTFont(path, recalcTimestamp=False, fontNumber=index, lazy=True)
    font.cw = defaultdict(prototype.cw.default_factory, prototype.cw)  # reading a missing width adds it
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")  # as add_font does for a CID-keyed CFF font


def font_release(pdf: FPDF, family: str) -> None:
    """Close the fontTools font ``pdf`` read for ``family`` (its file handle), once the PDF was written."""
    font = pdf.fonts.get(family.lower())
    ttfont = getattr(font, "ttfont", None)
    if ttfont is not None:
        ttfont.close()
