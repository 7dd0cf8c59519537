import threading
import uuid
from collections import Counter

import pytest
from django.db import connection, transaction

from haicang.core.errors import CoreErrorCode
from haicang.core.sequences import InvalidSequence, document_number_next, document_numbers_take


@pytest.mark.django_db
def test_numbers_count_from_one_per_scope_prefix_and_year():
    seller_a, seller_b = uuid.uuid4(), uuid.uuid4()

    issued = [
        document_number_next(scope=seller_a, prefix="ORD", year=2026),
        document_number_next(scope=seller_a, prefix="ORD", year=2026),
        document_number_next(scope=seller_b, prefix="ORD", year=2026),
        document_number_next(scope=seller_a, prefix="ASN", year=2026),
        document_number_next(scope=seller_a, prefix="ORD", year=2027),
    ]

    assert issued == [
        "ORD-2026-000001",
        "ORD-2026-000002",
        "ORD-2026-000001",
        "ASN-2026-000001",
        "ORD-2027-000001",
    ]


@pytest.mark.django_db
def test_width_grows_past_the_padding_instead_of_wrapping():
    scope = uuid.uuid4()
    for _ in range(10):
        number = document_number_next(scope=scope, prefix="RMA", year=2026, width=1)
    assert number == "RMA-2026-10"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["ord", "O", "ORD-1", "", "TOOLONGPREFIX1"])
def test_a_malformed_prefix_is_refused_with_a_stable_code(prefix):
    with pytest.raises(InvalidSequence) as caught:
        document_number_next(scope=uuid.uuid4(), prefix=prefix, year=2026)
    assert caught.value.code == CoreErrorCode.SEQUENCE_INVALID
    assert caught.value.field == "prefix"


@pytest.mark.django_db(transaction=True)
def test_a_number_taken_in_a_rolled_back_transaction_is_issued_again():
    scope = uuid.uuid4()
    document_number_next(scope=scope, prefix="ORD", year=2026)

    with pytest.raises(RuntimeError), transaction.atomic():
        document_number_next(scope=scope, prefix="ORD", year=2026)
        raise RuntimeError("the order could not be saved")

    assert document_number_next(scope=scope, prefix="ORD", year=2026) == "ORD-2026-000002"


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_never_receive_the_same_number():
    # given 20 writers, each in its own thread and database connection, released at the same moment
    writers, per_writer = 20, 15
    scope = uuid.uuid4()
    start = threading.Barrier(writers)
    issued: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def write() -> None:
        try:
            start.wait()
            for _ in range(per_writer):
                with transaction.atomic():
                    number = document_number_next(scope=scope, prefix="ORD", year=2026)
                with lock:
                    issued.append(number)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    # when they all issue numbers at once
    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then no number repeats and none is skipped
    assert failures == []
    repeated = [n for n, count in Counter(issued).items() if count > 1]
    assert repeated == []
    expected = {f"ORD-2026-{i:06d}" for i in range(1, writers * per_writer + 1)}
    assert set(issued) == expected


@pytest.mark.django_db
def test_a_block_of_numbers_follows_on_from_the_single_ones_and_is_followed_by_them():
    seller = uuid.uuid4()
    document_number_next(scope=seller, prefix="ORD", year=2026)

    block = document_numbers_take(scope=seller, prefix="ORD", year=2026, count=3)
    after = document_number_next(scope=seller, prefix="ORD", year=2026)
    first_of_year = document_numbers_take(scope=seller, prefix="ORD", year=2027, count=2)

    assert block == ["ORD-2026-000002", "ORD-2026-000003", "ORD-2026-000004"]
    assert after == "ORD-2026-000005"
    assert first_of_year == ["ORD-2027-000001", "ORD-2027-000002"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "year", "count"), [("ORD", 2026, 0), ("ORD", 2026, True), ("ord", 2026, 2), ("ORD", 1999, 2)]
)
def test_a_block_with_a_bad_count_prefix_or_year_is_refused(prefix, year, count):
    with pytest.raises(InvalidSequence):
        document_numbers_take(scope=uuid.uuid4(), prefix=prefix, year=year, count=count)
