"""``haicang import_catalog`` and ``haicang export_catalog``."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from haicang.catalog.models import Sku
from haicang.catalog.tests.factories import make_sku

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_catalogue_exported_to_a_file_imports_back_unchanged(seller, tmp_path, suffix):
    make_sku(seller, code="LAMP-1", name_en="Desk lamp", name_zh="台灯", barcodes=["4006381333931"])
    path = tmp_path / f"skus.{suffix}"

    call_command("export_catalog", str(path), seller="lumen", stderr=io.StringIO())
    out = io.StringIO()
    call_command("import_catalog", str(path), seller="lumen", stdout=out)

    assert "0 created, 0 updated, 1 unchanged" in out.getvalue()


def test_a_bad_file_prints_every_problem_and_fails_writing_nothing(seller, tmp_path):
    path = tmp_path / "skus.csv"
    path.write_text("sku_code,name_en,hs_code\nA,Lamp,12\nB,,\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 problems found; nothing was imported"):
        call_command("import_catalog", str(path), seller="lumen", stderr=err)

    assert "row 2, hs_code: catalog.hs_code_invalid" in err.getvalue()
    assert "row 3, name_en: catalog.field_required" in err.getvalue()
    assert not Sku.objects.exists()


def test_an_unknown_seller_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no seller"):
        call_command("export_catalog", str(tmp_path / "x.csv"), seller="nobody")
