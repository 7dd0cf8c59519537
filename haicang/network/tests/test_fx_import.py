"""FX rates from CSV: a good file records every rate; a bad file names each error's row and column and
writes nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from haicang.core.fx import fx_rate_on
from haicang.core.models import AuditEntry, FxRate
from haicang.network.errors import FxImportInvalid
from haicang.network.services import fx_rates_import_csv
from haicang.network.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db

GOOD = (
    "date,base,quote,rate,source\n"
    "2026-03-02,EUR,USD,1.0842,ECB\n"
    "2026-03-02,GBP,EUR,1.1710,ECB\n"
    "2026-03-03,EUR,USD,1.0851,ECB\n"
    "2026-03-03,USD,JPY,149.37,\n"
)


def _errors(caught: pytest.ExceptionInfo[FxImportInvalid]) -> list[tuple[int | None, str | None]]:
    return [(e["row"], e["column"]) for e in caught.value.context["errors"]]


def test_a_good_file_records_every_rate_and_conversions_use_them():
    result = fx_rates_import_csv(actor=SYSTEM, file=io.BytesIO(GOOD.encode()))
    assert result.rows == 4
    assert result.pairs == ["EUR/USD", "GBP/EUR", "USD/JPY"]
    assert (result.first_date, result.last_date) == (date(2026, 3, 2), date(2026, 3, 3))
    assert fx_rate_on(base="EUR", quote="USD", on=date(2026, 3, 10)) == Decimal("1.0851")
    assert FxRate.objects.get(base="GBP", quote="EUR").source == "ECB"
    assert AuditEntry.objects.filter(action="fx_rate.recorded").count() == 4


def test_columns_may_come_in_any_order_with_a_byte_order_mark_and_without_source():
    text = "\ufeffRate, Quote ,base,DATE\r\n0.9223,EUR,USD,2026-03-02\r\n\r\n"
    result = fx_rates_import_csv(actor=SYSTEM, file=io.StringIO(text))
    assert result.rows == 1
    assert fx_rate_on(base="USD", quote="EUR", on=date(2026, 3, 2)) == Decimal("0.9223")


def test_importing_a_day_again_replaces_its_rate():
    fx_rates_import_csv(actor=SYSTEM, file=GOOD)
    fx_rates_import_csv(actor=SYSTEM, file="date,base,quote,rate\n2026-03-03,EUR,USD,1.09\n")
    assert fx_rate_on(base="EUR", quote="USD", on=date(2026, 3, 3)) == Decimal("1.09")
    assert FxRate.objects.count() == 4


def test_a_bad_file_names_every_error_by_row_and_column_and_writes_nothing():
    bad = (
        "date,base,quote,rate,source\n"
        "2026-03-02,EUR,USD,1.0842,ECB\n"  # row 2: fine
        "2026-02-30,EUR,USD,1.08,ECB\n"  # row 3: no such day
        "02/03/2026,EUR,USD,1.08,ECB\n"  # row 4: not ISO
        "2026-03-02,EUR,XXX,1.08,ECB\n"  # row 5: unknown currency
        "2026-03-02,eur,GBP,1.08,ECB\n"  # row 6: lower case
        "2026-03-02,EUR,EUR,1,ECB\n"  # row 7: same currency
        "2026-03-04,EUR,USD,1.08e2,ECB\n"  # row 8: exponent
        "2026-03-04,EUR,GBP,-0.85,ECB\n"  # row 9: negative
        "2026-03-04,EUR,CHF,0.12345678901,ECB\n"  # row 10: 11 decimals (fx_rate_record refuses)
        "2026-03-02,EUR,USD,1.0843,ECB\n"  # row 11: same pair and day as row 2
        "2026-03-05,EUR,,1.1,ECB\n"  # row 12: missing quote
        "2026-03-05,EUR,USD,1.1,ECB,extra\n"  # row 13: a cell too many
    )
    with pytest.raises(FxImportInvalid) as caught:
        fx_rates_import_csv(actor=SYSTEM, file=io.BytesIO(bad.encode()))
    assert _errors(caught) == [
        (3, "date"),
        (4, "date"),
        (5, "quote"),
        (6, "base"),
        (7, "quote"),
        (8, "rate"),
        (9, "rate"),
        (10, "rate"),
        (11, "date"),
        (12, "quote"),
        (13, "column 6"),
    ]
    assert caught.value.code == "network.fx_import_invalid"
    assert "row 3, date" in caught.value.detail
    assert "also on row 2" in caught.value.context["errors"][8]["detail"]
    assert not FxRate.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="fx_rate").exists()


def test_a_header_with_a_missing_unknown_or_repeated_column_is_named_on_row_1():
    with pytest.raises(FxImportInvalid) as caught:
        fx_rates_import_csv(actor=SYSTEM, file="date,base,base,value\n2026-03-02,EUR,USD,1.1\n")
    assert _errors(caught) == [(1, "base"), (1, "value"), (1, "quote"), (1, "rate")]


def test_an_empty_file_a_header_alone_and_a_file_that_is_not_utf8_are_refused():
    for content in (
        b"",
        b"date,base,quote,rate\n",
        "date,base,quote,rate\n2026-03-02,EUR,USD,1\u00e9\n".encode("latin-1"),
    ):
        with pytest.raises(FxImportInvalid):
            fx_rates_import_csv(actor=SYSTEM, file=io.BytesIO(content))
    assert not FxRate.objects.exists()


def test_the_command_imports_a_file_and_reports_errors_with_their_rows(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text("date,base,quote,rate\n2026-03-02,EUR,USD,abc\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_fx_rates", str(good), stdout=out)
    assert "4 FX rates" in out.getvalue()
    with pytest.raises(CommandError, match=r"row 2, rate"):
        call_command("import_fx_rates", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
