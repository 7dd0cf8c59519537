import time
import uuid

import pytest

from haicang.core.ids import id_timestamp_ms, new_id


def test_new_ids_are_uuid7_and_sort_by_creation_time():
    ids = [new_id() for _ in range(2000)]

    assert all(value.version == 7 for value in ids)
    assert len(set(ids)) == len(ids)
    assert [id_timestamp_ms(v) for v in ids] == sorted(id_timestamp_ms(v) for v in ids)


def test_an_id_carries_the_millisecond_it_was_made():
    before = int(time.time() * 1000)
    value = new_id()
    after = int(time.time() * 1000)

    assert before <= id_timestamp_ms(value) <= after


def test_reading_a_timestamp_from_a_random_uuid_is_refused():
    with pytest.raises(ValueError, match="not a UUIDv7"):
        id_timestamp_ms(uuid.uuid4())
