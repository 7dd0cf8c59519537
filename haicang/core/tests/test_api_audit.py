"""``/api/v1/audit-entries/`` and ``/api/v1/me/``: staff read the audit log; everyone signed in reads ``me``."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.models import AuditEntry, DocumentSequence

LIST = "/api/v1/audit-entries/"
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def staff(db: None, django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="sam", is_staff=True)


@pytest.fixture
def staff_client(client: Client, staff: Any) -> Client:
    client.force_login(staff)
    return client


@pytest.fixture
def sequence(db: None) -> DocumentSequence:
    return DocumentSequence.objects.create(scope=uuid.uuid4(), prefix="ORD", year=2026)


@pytest.fixture
def log(
    user: Any, staff: Any, sequence: DocumentSequence, system_actor: Actor, user_actor: Actor
) -> list[AuditEntry]:
    """Four entries an hour apart: two about a user, two about a sequence, by a person and a job."""
    return [
        audit_record(
            actor=user_actor,
            action="user.renamed",
            subject=staff,
            occurred_at=T0,
            before={"first_name": "S"},
            after={"first_name": "Sam"},
        ),
        audit_record(
            actor=system_actor,
            action="sequence.advanced",
            subject=sequence,
            occurred_at=T0 + timedelta(hours=1),
        ),
        audit_record(
            actor=user_actor, action="user.renamed", subject=user, occurred_at=T0 + timedelta(hours=2)
        ),
        audit_record(
            actor=system_actor,
            action="sequence.advanced",
            subject=sequence,
            occurred_at=T0 + timedelta(hours=3),
            summary="advanced to 2",
        ),
    ]


def ids(client: Client, query: str = "") -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in json.loads(response.content)["results"]]


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    return body


def test_staff_lists_entries_newest_first_with_actor_subject_and_changes(
    staff_client: Client, log: list[AuditEntry], staff: Any
) -> None:
    response = staff_client.get(LIST)

    body = json.loads(response.content)
    assert body["count"] == 4
    assert [row["id"] for row in body["results"]] == [str(e.id) for e in reversed(log)]
    oldest = body["results"][-1]
    assert oldest == {
        "id": str(log[0].id),
        "occurred_at": "2026-03-01T08:00:00Z",
        "action": "user.renamed",
        "actor": {"kind": "user", "label": "alice", "api_key_id": None, "job": ""},
        "subject": {"type": "auth.user", "id": str(staff.pk), "label": "sam"},
        "summary": "",
        "changes": {"before": {"first_name": "S"}, "after": {"first_name": "Sam"}},
    }


def test_filters_by_subject_type_and_id(
    staff_client: Client, log: list[AuditEntry], sequence: DocumentSequence, user: Any
) -> None:
    assert ids(staff_client, "subject_type=core.documentsequence") == [str(log[3].id), str(log[1].id)]
    assert ids(staff_client, f"subject_type=auth.user&subject_id={user.pk}") == [str(log[2].id)]
    assert ids(staff_client, "subject_type=inventory.reservation") == []


def test_filters_by_action_and_actor_kind(staff_client: Client, log: list[AuditEntry]) -> None:
    assert ids(staff_client, "action=user.renamed") == [str(log[2].id), str(log[0].id)]
    assert ids(staff_client, "actor_kind=system") == [str(log[3].id), str(log[1].id)]


def test_filters_by_time_window_after_inclusive_before_exclusive(
    staff_client: Client, log: list[AuditEntry]
) -> None:
    after = "2026-03-01T17:00:00%2B08:00"  # 09:00 UTC, the second entry's time
    before = "2026-03-01T10:00:00Z"

    assert ids(staff_client, f"occurred_after={after}&occurred_before={before}") == [str(log[1].id)]


def test_orders_oldest_first_on_request(staff_client: Client, log: list[AuditEntry]) -> None:
    assert ids(staff_client, "ordering=occurred_at") == [str(e.id) for e in log]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("subject_type=user", "subject_type"),
        ("actor_kind=robot", "actor_kind"),
        ("occurred_after=2026-03-01T08:00:00", "occurred_after"),
        ("occurred_before=yesterday", "occurred_before"),
        ("ordering=action", "ordering"),
    ],
)
def test_bad_filter_values_answer_400_naming_the_parameter(
    staff_client: Client, query: str, field: str
) -> None:
    body = problem(staff_client.get(f"{LIST}?{query}"), 400)

    assert body["code"] == "core.validation"
    assert [row["field"] for row in body["errors"]] == [field]


def test_staff_reads_one_entry_by_id(staff_client: Client, log: list[AuditEntry]) -> None:
    response = staff_client.get(f"{LIST}{log[3].id}/")

    assert response.status_code == 200
    assert json.loads(response.content)["summary"] == "advanced to 2"


@pytest.mark.parametrize("entry_id", ["0192f0c4-0000-7000-8000-000000000000", "not-a-uuid"])
def test_unknown_entry_answers_404_problem(staff_client: Client, entry_id: str) -> None:
    body = problem(staff_client.get(f"{LIST}{entry_id}/"), 404)

    assert body["code"] == "core.not_found"


def test_a_user_of_no_party_gets_403_problem(client: Client, user: Any, log: list[AuditEntry]) -> None:
    client.force_login(user)

    for url in (LIST, f"{LIST}{log[0].id}/"):
        body = problem(client.get(url), 403)
        assert body["code"] == "access.denied"


def test_anonymous_caller_gets_401_problem_with_bearer_challenge(
    client: Client, log: list[AuditEntry]
) -> None:
    response = client.get(LIST)

    body = problem(response, 401)
    assert body["code"] == "core.not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_audit_log_is_read_only(staff_client: Client) -> None:
    body = problem(staff_client.post(LIST, {}, content_type="application/json"), 405)

    assert body["code"] == "core.method_not_allowed"


def test_me_tells_the_signed_in_user_and_how_they_authenticated(client: Client, user: Any) -> None:
    client.force_login(user)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "username": "alice",
        "language": "en",
        "is_staff": False,
        "authenticated_by": "session",
    }


def test_me_answers_in_the_language_the_caller_asks_for(staff_client: Client) -> None:
    response = staff_client.get("/api/v1/me/", headers={"Accept-Language": "zh-Hans"})

    body = json.loads(response.content)
    assert body["language"] == "zh-hans"
    assert body["is_staff"] is True


def test_me_refuses_anonymous_callers(client: Client, db: None) -> None:
    body = problem(client.get("/api/v1/me/"), 401)

    assert body["code"] == "core.not_authenticated"
