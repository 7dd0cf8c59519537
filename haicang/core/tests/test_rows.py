import pytest
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from haicang.core.actors import Actor
from haicang.core.audit import audit_entry_build
from haicang.core.models import AuditEntry
from haicang.core.rows import rows_copy, rows_insert, rows_insert_bulk, rows_insert_if

pytestmark = pytest.mark.django_db(transaction=True)


def _entry(subject: Group, action: str) -> AuditEntry:
    return audit_entry_build(actor=Actor.system("rows-test"), action=action, subject=subject, after={"n": 1})


def test_several_rows_are_written_in_one_round_trip_with_their_defaults():
    # given three new rows, their keys made in Python
    group = Group.objects.create(name="pickers")
    entries = [_entry(group, f"test.row{n}") for n in range(3)]

    # when they are inserted together
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows_insert(entries)

    # then they are all there, as save() would have written them, and marked saved
    statements = [q["sql"] for q in queries if q["sql"].upper().startswith(("INSERT", "WITH"))]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 3)
    stored = {e.action: e for e in AuditEntry.objects.filter(subject_id=str(group.pk))}
    assert set(stored) == {"test.row0", "test.row1", "test.row2"}
    assert stored["test.row1"].changes == {"before": {}, "after": {"n": 1}}
    assert stored["test.row1"].actor_label == entries[1].actor_label
    assert all(not e._state.adding for e in entries)


def test_a_row_the_database_refuses_takes_the_others_with_it():
    # given two rows, the second with the primary key of the first
    group = Group.objects.create(name="packers")
    first, second = _entry(group, "test.first"), _entry(group, "test.second")
    second.pk = first.pk

    # when they are inserted together, then the database refuses and nothing of the batch is kept
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert([first, second])
    assert not AuditEntry.objects.filter(subject_id=str(group.pk)).exists()


def test_a_row_without_its_key_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError, match="primary key"):
        rows_insert([Group(name="no key yet")])


def test_rows_follow_a_guarded_update_only_when_it_changed_a_row():
    # given a counter-like row (a group) and two audit entries that take the update's returned value
    group = Group.objects.create(name="guarded")
    table = connection.ops.quote_name(Group._meta.db_table)
    sql = f"UPDATE {table} SET name = name WHERE id = %s AND name = %s RETURNING id AS returned"  # noqa: S608

    # when the guard fails, then nothing is written
    refused = [_entry(group, "test.refused")]
    with transaction.atomic():
        assert rows_insert_if(sql, [group.pk, "other"], refused) is None
    assert not AuditEntry.objects.filter(action="test.refused").exists()

    # when it holds, then the rows are written and the returned value lands in the named field
    entries = [_entry(group, "test.held"), _entry(group, "test.held2")]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        returned = rows_insert_if(sql, [group.pk, "guarded"], entries, returned_into={1: "subject_id"})
    assert returned == group.pk
    assert len(queries) == (1 if connection.vendor == "postgresql" else 1 + len(entries))
    stored = AuditEntry.objects.get(action="test.held2")
    assert stored.subject_id == str(group.pk)
    assert AuditEntry.objects.filter(action="test.held").exists()


def test_many_rows_of_one_model_go_in_one_prepared_statement():
    # given a thousand new rows of one model
    group = Group.objects.create(name="loaders")
    entries = [_entry(group, f"test.bulk{n}") for n in range(1000)]

    # when they are inserted in bulk
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows_insert_bulk(entries)

    # then one statement carried them all, as save() would have written them
    inserts = [q["sql"] for q in queries if "INSERT" in q["sql"].upper()]
    assert len(inserts) == 1 and inserts[0].startswith("1000 times: ")  # Django's log of an executemany
    assert AuditEntry.objects.filter(subject_id=str(group.pk)).count() == 1000
    stored = AuditEntry.objects.get(subject_id=str(group.pk), action="test.bulk7")
    assert stored.changes == {"before": {}, "after": {"n": 1}}
    assert all(not e._state.adding for e in entries)


def test_a_bulk_of_mixed_models_or_without_keys_is_refused_before_anything_is_sent():
    group = Group.objects.create(name="mixed")

    with pytest.raises(ValueError, match="one model"):
        rows_insert_bulk([_entry(group, "test.a"), Group(pk=99, name="other")])
    with pytest.raises(ValueError, match="primary key"):
        rows_insert_bulk([Group(name="no key yet")])
    assert not AuditEntry.objects.filter(subject_id=str(group.pk)).exists()


def test_rows_copied_in_bulk_are_stored_as_save_would_store_them():
    # given a thousand audit entries (JSON, an auto timestamp) and many-to-many rows whose key the database makes
    group = Group.objects.create(name="copiers")
    entries = [_entry(group, f"test.copy{n}") for n in range(1000)]
    through = Group.permissions.through
    links = [through(group_id=group.pk, permission_id=p.pk) for p in Permission.objects.order_by("pk")[:3]]

    # when they are copied in
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows_copy(entries)
        rows_copy(links)

    # then they are there as save() would have written them (one COPY each on PostgreSQL), marked saved
    if connection.vendor == "postgresql":
        assert [q["sql"][:4] for q in queries] == ["COPY", "COPY"]
    stored = AuditEntry.objects.get(subject_id=str(group.pk), action="test.copy7")
    assert stored.changes == {"before": {}, "after": {"n": 1}}
    assert stored.occurred_at == entries[7].occurred_at
    assert AuditEntry.objects.filter(subject_id=str(group.pk)).count() == 1000
    assert group.permissions.count() == 3
    assert all(not e._state.adding for e in entries)
