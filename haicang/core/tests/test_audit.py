from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from haicang.core.audit import audit_entries_for, audit_record, diff_summary
from haicang.core.models import ActorKind, AuditEntry


def test_a_diff_keeps_only_what_changed_and_renders_decimals_exactly():
    summary = diff_summary(
        {"status": "draft", "total": Decimal("10.10"), "lines": 2},
        {
            "status": "released",
            "total": Decimal("10.10"),
            "lines": 2,
            "released_at": datetime(2026, 11, 25, tzinfo=UTC),
        },
    )

    assert summary == {
        "before": {"status": "draft"},
        "after": {"status": "released", "released_at": "2026-11-25T00:00:00+00:00"},
    }


@pytest.mark.django_db
def test_recording_a_change_names_actor_action_subject_and_the_changes(user_actor, user):
    # given an object that a user changes
    group = Group.objects.create(name="planners")

    # when the change is recorded
    entry = audit_record(
        actor=user_actor,
        action="group.renamed",
        subject=group,
        before={"name": "planner"},
        after={"name": "planners"},
        summary="fixed a typo",
    )

    # then the entry reads back with who, what, which object and the before/after summary
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_kind == ActorKind.USER
    assert stored.actor_user == user
    assert stored.action == "group.renamed"
    assert stored.subject_id == str(group.pk)
    assert stored.subject_label == "planners"
    assert stored.changes == {"before": {"name": "planner"}, "after": {"name": "planners"}}
    assert stored.occurred_at.tzinfo is not None


@pytest.mark.django_db
def test_entries_for_an_object_are_its_own_newest_first(system_actor):
    mine, other = Group.objects.create(name="a"), Group.objects.create(name="b")
    audit_record(
        actor=system_actor, action="x.first", subject=mine, occurred_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    audit_record(actor=system_actor, action="x.other", subject=other)
    audit_record(
        actor=system_actor, action="x.second", subject=mine, occurred_at=datetime(2026, 1, 2, tzinfo=UTC)
    )

    actions = [e.action for e in audit_entries_for(subject=mine)]

    assert actions == ["x.second", "x.first"]


@pytest.mark.django_db
def test_a_system_actor_is_recorded_with_its_job(system_actor):
    group = Group.objects.create(name="ops")

    entry = audit_record(actor=system_actor, action="group.checked", subject=group)

    assert (entry.actor_kind, entry.actor_job, entry.actor_user_id) == (ActorKind.SYSTEM, "tests", None)
