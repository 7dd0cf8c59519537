"""``haicang import KIND FILE --seller CODE [--profile NAME] [--yes]``: validate then apply in-process."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from haicang.catalog.models import Sku
from haicang.exchange.models import ImportJob, ImportStatus
from haicang.exchange.services import mapping_profile_create
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def test_a_good_file_is_checked_and_imported_with_a_progress_report(seller, tmp_path):
    path = tmp_path / "skus.csv"
    path.write_text("sku_code,name_en\nA,Lamp\nB,Torch\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    call_command("import", "catalog", str(path), seller="lumen", yes=True, stdout=out, stderr=err)

    assert "skus.csv: imported 2 rows for lumen: 2 created" in out.getvalue()
    assert "checking [##############################] 2/2" in err.getvalue()
    assert sorted(Sku.objects.values_list("code", flat=True)) == ["A", "B"]
    assert ImportJob.objects.get().status == ImportStatus.APPLIED


def test_a_profile_is_chosen_by_its_partner_name(seller, tmp_path):
    mapping_profile_create(
        actor=SYSTEM,
        owner=seller,
        kind="catalog",
        partner="Nordlicht",
        mapping={"Artikel": "sku_code", "Titel": "name_en"},
    )
    path = tmp_path / "nordlicht.csv"
    path.write_text("Artikel,Titel\nA,Lampe\n", encoding="utf-8")

    call_command(
        "import",
        "catalog",
        str(path),
        seller="lumen",
        profile="Nordlicht",
        yes=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    assert Sku.objects.get().name_en == "Lampe"


def test_problems_are_printed_as_a_table_and_the_command_fails_writing_nothing(seller, tmp_path):
    path = tmp_path / "skus.csv"
    path.write_text("sku_code,name_en,weight_g\nA,Lamp,heavy\nB,,\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 problems found; nothing was imported"):
        call_command(
            "import", "catalog", str(path), seller="lumen", yes=True, stdout=io.StringIO(), stderr=err
        )

    lines = err.getvalue().splitlines()
    table = lines[lines.index(next(line for line in lines if line.startswith("row "))) :]
    assert table[0].split() == ["row", "column", "value", "code", "reason"]
    assert table[1].split()[:4] == ["2", "weight_g", "heavy", "catalog.number_invalid"]
    assert table[2].split()[:3] == ["3", "name_en", "catalog.field_required"]
    assert not Sku.objects.exists()


def test_without_yes_and_without_a_terminal_nothing_is_imported(seller, tmp_path):
    path = tmp_path / "skus.csv"
    path.write_text("sku_code,name_en\nA,Lamp\n", encoding="utf-8")

    with pytest.raises(CommandError, match="add --yes"):
        call_command(
            "import", "catalog", str(path), seller="lumen", stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert not Sku.objects.exists()


def test_unknown_parties_kinds_and_profiles_are_refused(seller, tmp_path):
    path = tmp_path / "skus.csv"
    path.write_text("sku_code\nA\n", encoding="utf-8")

    with pytest.raises(CommandError, match="no seller"):
        call_command("import", "catalog", str(path), seller="nobody")
    with pytest.raises(CommandError, match=r"exchange\.kind_unknown"):
        call_command("import", "orders_from_mars", str(path), seller="lumen")
    with pytest.raises(CommandError, match="no catalog profile"):
        call_command("import", "catalog", str(path), seller="lumen", profile="Nope")


def test_the_kinds_are_listed_with_their_columns(db):
    out = io.StringIO()

    call_command("import", list=True, stdout=out)

    assert "catalog: Catalogue (SKUs) (needs catalog:write)" in out.getvalue()
    assert "  sku_code (required)" in out.getvalue()
