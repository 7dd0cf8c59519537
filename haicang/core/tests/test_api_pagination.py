"""List conventions: limit/offset pagination and the ordering allow-list (views in ``api_test_urls``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("haicang.core.tests.api_test_urls")]

URL = "/api/test/users/"


@pytest.fixture
def users() -> Callable[[int], None]:
    def make(count: int) -> None:
        get_user_model().objects.bulk_create(get_user_model()(username=f"user{n:04d}") for n in range(count))

    return make


def page(client: Client, query: str = "") -> dict[str, Any]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = json.loads(response.content)
    return body


def test_first_page_holds_50_with_count_and_next_link(client: Client, users: Callable[[int], None]) -> None:
    users(60)

    body = page(client)

    assert body["count"] == 60
    assert len(body["results"]) == 50
    assert body["previous"] is None
    assert body["next"].startswith("http://testserver/api/test/users/?")
    assert "limit=50" in body["next"]
    assert "offset=50" in body["next"]


def test_following_next_reaches_the_rest_and_offers_previous(
    client: Client, users: Callable[[int], None]
) -> None:
    users(60)

    body = page(client, "limit=50&offset=50")

    assert [row["username"] for row in body["results"]] == [f"user{n:04d}" for n in range(50, 60)]
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/test/users/?limit=50"


def test_limit_above_500_is_clamped_to_500(client: Client, users: Callable[[int], None]) -> None:
    users(501)

    body = page(client, "limit=10000")

    assert len(body["results"]) == 500
    assert "limit=500" in body["next"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=1.5", "offset"),
    ],
)
def test_bad_limit_or_offset_answers_400_naming_the_parameter(client: Client, query: str, field: str) -> None:
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["code"] == "core.validation"
    assert [row["field"] for row in body["errors"]] == [field]


def test_offset_past_the_end_answers_an_empty_page(client: Client, users: Callable[[int], None]) -> None:
    users(3)

    body = page(client, "offset=10")

    assert body["count"] == 3
    assert body["results"] == []
    assert body["next"] is None


def test_ordering_on_an_allowed_field_sorts_both_ways(client: Client, users: Callable[[int], None]) -> None:
    users(3)

    ascending = page(client, "ordering=username")
    descending = page(client, "ordering=-username")

    assert [row["username"] for row in ascending["results"]] == ["user0000", "user0001", "user0002"]
    assert [row["username"] for row in descending["results"]] == ["user0002", "user0001", "user0000"]


def test_ordering_on_a_field_not_in_the_allow_list_answers_400_naming_ordering(
    client: Client, users: Callable[[int], None]
) -> None:
    users(1)

    response = client.get(f"{URL}?ordering=password")

    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["errors"][0]["field"] == "ordering"
    assert "password" in body["errors"][0]["detail"]
    assert "username" in body["errors"][0]["detail"]
