"""A font added from the per-process cache gives exactly the PDF fpdf2's own add_font gives, document after
document and from several threads at once: no document sees another's glyphs."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from haicang.core.errors import DomainError
from haicang.core.pdf import cjk_font
from haicang.core.pdf_font_cache import _font_prototype, font_add, font_release

TEXTS = ("纯棉T恤 红色 M", "台灯 Desk lamp", "ASN-2026-000001 箱号 3 / 100", "收货仓 AMS1 Amsterdam")


def _font():
    try:
        return cjk_font(missing=DomainError)
    except DomainError:  # pragma: no cover - Debian's fonts-noto-cjk is a dependency of the installation
        pytest.skip("no CJK font installed")


def _document(text: str, *, cached: bool) -> bytes:
    from fpdf import FPDF

    font = _font()
    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    if cached:
        font_add(pdf, "label", path=font.path, index=font.index)
    else:
        pdf.add_font("label", fname=font.path, collection_font_number=font.index)
    pdf.add_page()
    pdf.set_font("label", size=12)
    pdf.text(10, 20, text)
    try:
        return bytes(pdf.output())
    finally:
        font_release(pdf, "label")


def test_a_cached_font_gives_the_same_pdf_as_add_font_document_after_document():
    # given the plain documents
    plain = [_document(text, cached=False) for text in TEXTS]

    # when the same documents are made one after the other from the cache
    cached = [_document(text, cached=True) for text in TEXTS]

    # then each is byte for byte the plain one: no glyph of an earlier document leaks into a later subset
    assert cached == plain
    assert _font_prototype.cache_info().currsize >= 1


def test_documents_made_at_the_same_time_from_the_cache_share_nothing_they_change():
    plain = {text: _document(text, cached=False) for text in TEXTS}
    work = list(TEXTS) * 2

    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda text: (text, _document(text, cached=True)), work))

    assert all(pdf == plain[text] for text, pdf in made)
