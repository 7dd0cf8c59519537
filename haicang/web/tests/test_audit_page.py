from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.template import Context, Template

from haicang.core.audit import audit_record

pytestmark = pytest.mark.django_db


def _url(obj) -> str:
    return f"/audit/{obj._meta.app_label}.{obj._meta.model_name}/{obj.pk}/"


def test_staff_see_who_did_what_to_the_object_with_its_changes(staff_client, user_actor):
    # given a group renamed by a user, and a change to another group
    group = Group.objects.create(name="planners")
    audit_record(
        actor=user_actor,
        action="group.renamed",
        subject=group,
        summary="fixed a typo",
        before={"name": "planner"},
        after={"name": "planners"},
    )
    audit_record(actor=user_actor, action="group.created", subject=Group.objects.create(name="other"))

    # when staff open its audit page
    response = staff_client.get(_url(group))

    # then they see that entry and only that one
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>planners</h1>" in html
    assert "alice" in html
    assert "<code>group.renamed</code>" in html
    assert "fixed a typo" in html
    assert '<span class="before">planner</span>' in html
    assert '<span class="after">planners</span>' in html
    assert "group.created" not in html
    assert "1 entry, newest first." in html


def test_the_audit_page_lists_newest_first_fifty_at_a_time_and_loads_more_with_htmx(
    staff_client, system_actor
):
    # given 51 entries about one group
    group = Group.objects.create(name="packers")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(51):
        audit_record(
            actor=system_actor,
            action=f"group.step{n:02d}",
            subject=group,
            occurred_at=start + timedelta(minutes=n),
        )

    # when the page opens, and then htmx asks for the next page
    first = staff_client.get(_url(group)).content.decode()
    more = staff_client.get(_url(group) + "?page=2", headers={"hx-request": "true"}).content.decode()

    # then the first page shows the 50 newest and a button for the rest, and the next page only the rows
    assert first.count("<code>group.step") == 50
    assert first.index("group.step50") < first.index("group.step49")
    assert "group.step00" not in first
    assert 'hx-get="?page=2"' in first
    assert "51 entries, newest first." in first
    assert "<html" not in more
    assert more.count("<code>group.step") == 1
    assert "group.step00" in more
    assert "hx-get" not in more


def test_the_trail_of_a_deleted_object_stays_readable(staff_client, system_actor):
    group = Group.objects.create(name="temporary")
    audit_record(actor=system_actor, action="group.created", subject=group)
    url = _url(group)
    group.delete()

    response = staff_client.get(url)

    assert response.status_code == 200
    assert "<h1>temporary</h1>" in response.content.decode()


def test_the_audit_url_tag_links_an_object_to_its_trail():
    group = Group.objects.create(name="linked")

    html = Template("{% load haicang_web %}{% audit_url group %}").render(Context({"group": group}))

    assert html == f"/audit/auth.group/{group.pk}/"


def test_an_object_with_no_entries_shows_an_empty_trail(staff_client):
    group = Group.objects.create(name="quiet")

    response = staff_client.get(_url(group))

    assert response.status_code == 200
    assert "Nothing has been recorded about this object yet." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/audit/nosuchapp.thing/1/",
        "/audit/auth.nosuchmodel/1/",
        "/audit/auth/1/",
        "/audit/auth.group/999999/",
        "/audit/auth.group/not-a-number/",
        "/audit/core.auditentry/not-a-uuid/",
    ],
)
def test_an_unknown_type_or_object_answers_404(staff_client, path):
    assert staff_client.get(path).status_code == 404


def test_the_audit_page_is_not_open_to_members_who_are_not_staff(signed_in, system_actor):
    group = Group.objects.create(name="hidden")
    audit_record(actor=system_actor, action="group.created", subject=group)

    assert signed_in.get(_url(group)).status_code == 404


def test_an_anonymous_visitor_of_an_audit_page_is_sent_to_log_in(client):
    response = client.get("/audit/auth.group/1/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
