"""The label fonts: a CJK font with a Latin fallback font, located like each other (a Debian package or an
environment variable), and a glyph check that refuses only what no label font can draw."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from haicang.core import pdf as shared_pdf
from haicang.core.errors import DomainError
from haicang.core.pdf_font_cache import font_release


class FontMissing(DomainError):
    code = "test.font_missing"


class GlyphMissing(DomainError):
    code = "test.glyph_missing"


class _Font:
    def __init__(self, text: str) -> None:
        self.cmap = {ord(ch): 1 for ch in text}


def test_only_characters_no_font_has_are_refused():
    cjk, latin = _Font("Ayed Kl张伟"), _Font("AyşeKılıç")

    shared_pdf.glyphs_check([cjk, latin], ["Ayşe Kılıç 张伟"], missing=GlyphMissing)  # each has a font

    with pytest.raises(GlyphMissing) as raised:
        shared_pdf.glyphs_check([cjk, latin], ["Ayşe Łódź \ue000"], missing=GlyphMissing)
    assert raised.value.context["characters"] == ["U+00F3", "U+0141", "U+017A", "U+E000"]
    assert shared_pdf.LATIN_FONT_ENV in raised.value.detail


def test_the_latin_font_is_found_or_named_by_the_environment(monkeypatch, tmp_path):
    found = shared_pdf.latin_font(missing=FontMissing)
    assert found.path.endswith(".ttf") and found.index == 0

    monkeypatch.setenv(shared_pdf.LATIN_FONT_ENV, found.path)
    assert shared_pdf.latin_font(missing=FontMissing).path == found.path

    monkeypatch.setenv(shared_pdf.LATIN_FONT_ENV, str(tmp_path / "gone.ttf"))
    with pytest.raises(FontMissing) as raised:
        shared_pdf.label_fonts(missing=FontMissing)
    assert "fonts-dejavu-core" in raised.value.detail and "gone.ttf" in raised.value.detail


def test_text_is_drawn_in_runs_of_the_font_that_has_each_character():
    pdf = FPDF(unit="mm")
    families = shared_pdf.label_fonts_add(pdf, "doc", shared_pdf.label_fonts(missing=FontMissing))
    try:
        pdf.add_page()
        pdf.set_font("doc", size=10)
        shared_pdf.text_draw(pdf, 10, 20, "Kılıç 张伟")

        assert shared_pdf.glyphs_dropped(pdf) == []
        assert pdf.font_family == "doc"  # the document's font again after the fallback run
        cjk, latin = (pdf.fonts[family] for family in families)
        assert {"张", "伟", "K", "l", "ç"} <= _drawn(cjk) and "ı" not in _drawn(cjk)  # Noto has ç, not ı
        assert "ı" in _drawn(latin)
    finally:
        for family in families:
            font_release(pdf, family)


def _drawn(font) -> set[str]:
    """The characters fpdf2 put in ``font``'s subset (drew with it)."""
    return {chr(code) for glyph, _id in font.subset.items() if glyph for code in glyph.unicode}
