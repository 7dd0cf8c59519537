"""Every API error answers RFC 9457 problem details with a stable code (views in ``api_test_urls``)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client
from rest_framework.exceptions import ErrorDetail

from haicang.core.api.problems import PROBLEM_CONTENT_TYPE, flatten_field_errors

pytestmark = [pytest.mark.django_db, pytest.mark.urls("haicang.core.tests.api_test_urls")]


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    assert body["type"] == f"https://haicang.dev/problems/{body['code']}"
    assert body["instance"] == response.wsgi_request.path
    assert body["title"]
    assert body["detail"]
    return body


def test_nested_and_list_field_errors_are_flattened_to_dotted_paths() -> None:
    detail = {
        "reference": [ErrorDetail("Too long.", code="max_length")],
        "lines": [{}, {"quantity": [ErrorDetail("Too small.", code="min_value")]}],
        "tags": {1: [ErrorDetail("A valid integer is required.", code="invalid")]},
        "address": {"non_field_errors": [ErrorDetail("Street or PO box.", code="invalid")]},
        "non_field_errors": [ErrorDetail("Duplicate.", code="duplicate")],
    }

    rows = list(flatten_field_errors(detail))

    assert rows == [
        {"field": "reference", "code": "max_length", "detail": "Too long."},
        {"field": "lines.1.quantity", "code": "min_value", "detail": "Too small."},
        {"field": "tags.1", "code": "invalid", "detail": "A valid integer is required."},
        {"field": "address", "code": "invalid", "detail": "Street or PO box."},
        {"field": None, "code": "duplicate", "detail": "Duplicate."},
    ]


def test_invalid_body_answers_400_naming_every_field_at_fault(client: Client) -> None:
    payload = {"reference": "TOO-LONG-REFERENCE", "lines": [{"sku": "A", "quantity": 1}, {"sku": "B"}]}

    response = client.post("/api/test/validate/", payload, content_type="application/json")

    body = problem(response, 400)
    assert body["code"] == "core.validation"
    assert body["title"] == "Invalid input"
    fields = {(row["field"], row["code"]) for row in body["errors"]}
    assert fields == {("reference", "max_length"), ("lines.1.quantity", "required")}
    assert "2 invalid values" in body["detail"]


def test_list_field_and_whole_input_errors_name_index_and_null(client: Client) -> None:
    bad_tag = {"reference": "R1", "lines": [{"sku": "A", "quantity": 0}], "tags": [1, "x"]}
    duplicate = {"reference": "DUP", "lines": [{"sku": "A", "quantity": 1}]}

    tag_body = problem(client.post("/api/test/validate/", bad_tag, content_type="application/json"), 400)
    dup_body = problem(client.post("/api/test/validate/", duplicate, content_type="application/json"), 400)

    assert {row["field"] for row in tag_body["errors"]} == {"lines.0.quantity", "tags.1"}
    assert dup_body["errors"] == [
        {"field": None, "code": "duplicate", "detail": "An order with this reference exists."}
    ]
    assert dup_body["detail"] == "An order with this reference exists."


def test_domain_error_answers_its_own_status_code_field_and_context(client: Client) -> None:
    body = problem(client.get("/api/test/domain-error/"), 409)

    assert body["code"] == "stock.insufficient"
    assert body["title"] == "Not enough stock"
    assert body["detail"] == "Only 3 units of SKU-1 are available."
    assert body["errors"] == [
        {"field": "quantity", "code": "stock.insufficient", "detail": "Only 3 units of SKU-1 are available."}
    ]
    assert body["context"] == {"sku": "SKU-1", "wanted": 4, "available": 3}


def test_domain_error_without_field_has_no_errors_list(client: Client) -> None:
    body = problem(client.get("/api/test/domain-error-without-field/"), 409)

    assert "errors" not in body
    assert "context" not in body


@pytest.mark.parametrize("url", ["/api/test/http404/", "/api/test/does-not-exist/"])
def test_missing_objects_answer_404_without_naming_the_model(client: Client, url: str) -> None:
    body = problem(client.get(url), 404)

    assert body["code"] == "core.not_found"
    assert "Secret" not in body["detail"]
    assert "User" not in body["detail"]


def test_django_validation_error_answers_400_naming_the_field(client: Client) -> None:
    body = problem(client.get("/api/test/django-validation/"), 400)

    assert body["code"] == "core.validation"
    assert body["errors"] == [{"field": "currency", "code": "invalid", "detail": "Unknown currency XYZ."}]


@pytest.mark.parametrize("url", ["/api/test/django-permission/", "/api/test/drf-permission/"])
def test_permission_denied_answers_403(client: Client, url: str) -> None:
    body = problem(client.get(url), 403)

    assert body["code"] == "core.permission_denied"


def test_anonymous_session_caller_gets_403_not_authenticated(client: Client) -> None:
    body = problem(client.get("/api/test/session-only/"), 403)

    assert body["code"] == "core.not_authenticated"


def test_anonymous_caller_gets_401_with_challenge_when_a_scheme_can_challenge(client: Client) -> None:
    response = client.get("/api/test/challenging/")

    body = problem(response, 401)
    assert body["code"] == "core.not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_wrong_method_answers_405_with_allow_header(client: Client) -> None:
    response = client.delete("/api/test/get-only/")

    body = problem(response, 405)
    assert body["code"] == "core.method_not_allowed"
    assert "GET" in response["Allow"]


def test_throttled_answers_429_with_retry_after(client: Client) -> None:
    response = client.get("/api/test/throttled/")

    body = problem(response, 429)
    assert body["code"] == "core.throttled"
    assert response["Retry-After"] == "30"


def test_malformed_json_answers_400_malformed_request(client: Client) -> None:
    body = problem(client.post("/api/test/validate/", "{not json", content_type="application/json"), 400)

    assert body["code"] == "core.malformed_request"


def test_unsupported_media_type_answers_415(client: Client) -> None:
    body = problem(client.post("/api/test/validate/", "reference: x", content_type="text/yaml"), 415)

    assert body["code"] == "core.unsupported_media_type"


def test_unacceptable_accept_header_answers_406(client: Client) -> None:
    body = problem(client.get("/api/test/get-only/", headers={"Accept": "application/xml"}), 406)

    assert body["code"] == "core.not_acceptable"


def test_unknown_api_url_answers_404_problem(client: Client) -> None:
    body = problem(client.get("/api/test/no-such-thing/"), 404)

    assert body["code"] == "core.not_found"


def test_unexpected_exception_propagates_to_django_instead_of_being_swallowed(client: Client) -> None:
    with pytest.raises(RuntimeError, match="secret internals"):
        client.get("/api/test/boom/")


def test_unexpected_exception_under_api_answers_generic_500_problem(caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/test/boom/")

    body = problem(response, 500)
    assert body["code"] == "core.internal_error"
    assert "hunter2" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()
    assert any(record.exc_info and record.exc_info[0] is RuntimeError for record in caplog.records)


def test_ui_pages_keep_html_errors() -> None:
    client = Client(raise_request_exception=False)

    not_found = client.get("/page/nowhere/")
    boom = client.get("/page/boom/")

    assert not_found.status_code == 404
    assert not_found["Content-Type"].startswith("text/html")
    assert boom.status_code == 500
    assert boom["Content-Type"].startswith("text/html")
