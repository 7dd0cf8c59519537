import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_database_is_configured_for_concurrent_writers():
    if connection.vendor == "postgresql":
        # psycopg 3 against a supported server, sessions in UTC
        connection.ensure_connection()
        assert getattr(connection, "pg_version", 0) >= 140000
        with connection.cursor() as cursor:
            cursor.execute("SHOW TIME ZONE")
            assert cursor.fetchone()[0] == "UTC"
        return
    assert connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy = cursor.fetchone()[0]
        cursor.execute("PRAGMA foreign_keys")
        foreign_keys = cursor.fetchone()[0]

    assert journal == "wal"
    assert busy >= 5000
    assert foreign_keys == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
