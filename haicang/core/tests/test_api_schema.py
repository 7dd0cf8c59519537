"""The OpenAPI schema validates without a single warning, documents problem answers, and the docs page
works offline (Swagger UI served from the installed sidecar package)."""

from __future__ import annotations

import json
from contextlib import redirect_stderr
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "openapi.json"
    log = path.with_suffix(".log")
    failure: CommandError | None = None
    with log.open("w") as output, redirect_stderr(output):  # the generator prints warnings to stderr
        try:
            call_command(
                "spectacular",
                "--validate",
                "--fail-on-warn",
                "--format",
                "openapi-json",
                "--file",
                str(path),
                stdout=output,
                stderr=output,
            )
        except CommandError as exc:
            failure = exc
    assert failure is None, f"{failure}\n{log.read_text()}"
    assert log.read_text() == ""
    generated: dict[str, Any] = json.loads(path.read_text())
    return generated


def responses(schema: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    found: dict[str, Any] = schema["paths"][path][method]["responses"]
    return found


def test_schema_generates_and_validates_with_fail_on_warn(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/audit-entries/", "/api/v1/audit-entries/{id}/", "/api/v1/me/"} <= set(schema["paths"])


def test_problem_component_describes_rfc9457_with_code_and_field_errors(schema: dict[str, Any]) -> None:
    problem = schema["components"]["schemas"]["Problem"]
    field_error = schema["components"]["schemas"]["ProblemFieldError"]

    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance", "code"}
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/ProblemFieldError"}
    assert set(field_error["required"]) == {"field", "code", "detail"}
    assert field_error["properties"]["field"]["nullable"] is True


def test_list_and_detail_operations_document_their_problem_answers(schema: dict[str, Any]) -> None:
    problem_ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
    listing = responses(schema, "/api/v1/audit-entries/")
    detail = responses(schema, "/api/v1/audit-entries/{id}/")
    me = responses(schema, "/api/v1/me/")

    assert {"200", "400", "401", "403"} <= set(listing)
    assert "404" not in listing
    assert {"200", "401", "403", "404"} <= set(detail)
    assert "400" not in me
    for status in ("400", "401", "403"):
        assert listing[status]["content"] == {"application/problem+json": problem_ref}
    assert detail["404"]["content"] == {"application/problem+json": problem_ref}


def test_list_operation_documents_pagination_filters_and_ordering_allow_list(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/audit-entries/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    page_ref = responses(schema, "/api/v1/audit-entries/")["200"]["content"]["application/json"]["schema"][
        "$ref"
    ]
    page = schema["components"]["schemas"][page_ref.rsplit("/", 1)[1]]

    assert set(page["required"]) == {"count", "next", "previous", "results"}
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1, "default": 50}
    assert parameters["ordering"]["schema"]["items"]["enum"] == ["occurred_at", "-occurred_at"]
    assert parameters["occurred_after"]["schema"]["format"] == "date-time"
    assert {"subject_type", "subject_id", "action", "actor_kind", "occurred_before"} <= set(parameters)
    detail_id = schema["paths"]["/api/v1/audit-entries/{id}/"]["get"]["parameters"][0]
    assert detail_id["schema"] == {"type": "string", "format": "uuid"}


@pytest.mark.django_db
def test_schema_is_served_to_anyone(client: Client) -> None:
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/audit-entries/" in json.loads(response.content)["paths"]


@pytest.mark.django_db
def test_docs_page_loads_swagger_ui_from_this_server_not_a_cdn(client: Client) -> None:
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200
