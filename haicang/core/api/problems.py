"""RFC 9457 problem details for every API error.

Every error the API answers is an ``application/problem+json`` object::

    {
      "type": "https://haicang.dev/problems/stock.insufficient",
      "title": "Not enough stock",
      "status": 409,
      "detail": "Only 3 units of SKU-1 are available at FRA1.",
      "instance": "/api/v1/reservations/",
      "code": "stock.insufficient",
      "errors": [{"field": "quantity", "code": "stock.insufficient", "detail": "..."}],
      "context": {"available": 3}
    }

``type`` is an absolute URI built from the stable ``code`` (it identifies the problem; clients must not
dereference it). ``errors`` is present when fields are at fault: nested and list fields are flattened to
dotted paths (``lines.0.quantity``); an error about the whole input has ``"field": null``. ``context``
carries the JSON-safe extras of a :class:`~haicang.core.errors.DomainError` when there are any.

Unexpected exceptions are not handled here: DRF re-raises them, Django logs them and answers through
``handler500`` (see :mod:`haicang.core.api.errorpages`), which speaks problem JSON under ``/api/``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from haicang.core.errors import CoreErrorCode, DomainError
from haicang.core.json_values import json_safe

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://haicang.dev/problems/"


class ApiErrorCode(StrEnum):
    """Stable codes of the errors the HTTP layer itself raises (domain codes live with their apps)."""

    MALFORMED_REQUEST = "core.malformed_request"
    NOT_AUTHENTICATED = "core.not_authenticated"
    AUTHENTICATION_FAILED = "core.authentication_failed"
    METHOD_NOT_ALLOWED = "core.method_not_allowed"
    NOT_ACCEPTABLE = "core.not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "core.unsupported_media_type"
    THROTTLED = "core.throttled"
    BAD_REQUEST = "core.bad_request"
    INTERNAL_ERROR = "core.internal_error"
    ERROR = "core.error"


# DRF's exceptions, most specific first: (code, title). Subclasses inherit their parent's mapping.
_DRF_PROBLEMS: list[tuple[type[exceptions.APIException], str, Any]] = [
    (exceptions.ValidationError, CoreErrorCode.VALIDATION, _("Invalid input")),
    (exceptions.ParseError, ApiErrorCode.MALFORMED_REQUEST, _("Malformed request")),
    (exceptions.NotAuthenticated, ApiErrorCode.NOT_AUTHENTICATED, _("Authentication required")),
    (exceptions.AuthenticationFailed, ApiErrorCode.AUTHENTICATION_FAILED, _("Authentication failed")),
    (exceptions.PermissionDenied, CoreErrorCode.PERMISSION_DENIED, _("Not allowed")),
    (exceptions.NotFound, CoreErrorCode.NOT_FOUND, _("Not found")),
    (exceptions.MethodNotAllowed, ApiErrorCode.METHOD_NOT_ALLOWED, _("Method not allowed")),
    (exceptions.NotAcceptable, ApiErrorCode.NOT_ACCEPTABLE, _("Not acceptable")),
    (exceptions.UnsupportedMediaType, ApiErrorCode.UNSUPPORTED_MEDIA_TYPE, _("Unsupported media type")),
    (exceptions.Throttled, ApiErrorCode.THROTTLED, _("Too many requests")),
]

NOT_FOUND_DETAIL = _("The requested resource was not found.")
INTERNAL_ERROR_DETAIL = _("The server could not carry out the request. The error has been logged.")


def problem_type(code: str) -> str:
    return f"{PROBLEM_TYPE_BASE}{code}"


def problem_body(
    *,
    status: int,
    code: str,
    title: Any,
    detail: Any,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One problem object; ``errors`` and ``context`` appear only when non-empty."""
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": str(title),
        "status": status,
        "detail": str(detail),
        "instance": instance,
        "code": str(code),
    }
    if errors:
        body["errors"] = errors
    if context:
        body["context"] = {str(k): json_safe(v) for k, v in context.items()}
    return body


def flatten_field_errors(detail: Any, path: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """DRF's nested error structure as ``{field, code, detail}`` rows with dotted field paths.

    Dicts nest by key, lists of dicts (list serializers) by index, and lists of messages are leaves.
    The serializer-level key (``non_field_errors``) names its parent: ``null`` at the top level.
    """
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = str(key)
            child = path if name == api_settings.NON_FIELD_ERRORS_KEY else (*path, name)
            yield from flatten_field_errors(value, child)
    elif isinstance(detail, list | tuple):
        if any(isinstance(item, Mapping | list | tuple) for item in detail):
            for index, item in enumerate(detail):
                yield from flatten_field_errors(item, (*path, str(index)))
        else:
            for item in detail:
                yield from flatten_field_errors(item, path)
    else:
        yield {
            "field": ".".join(path) or None,
            "code": str(getattr(detail, "code", None) or "invalid"),
            "detail": str(detail),
        }


def _validation_summary(errors: list[dict[str, Any]]) -> str:
    if len(errors) == 1:
        only = errors[0]
        return f"{only['field']}: {only['detail']}" if only["field"] else str(only["detail"])
    return ngettext(
        "The request has %(count)d invalid value; see errors.",
        "The request has %(count)d invalid values; see errors.",
        len(errors),
    ) % {"count": len(errors)}


def _drf_code_and_title(exc: exceptions.APIException) -> tuple[str, Any]:
    for cls, code, title in _DRF_PROBLEMS:
        if isinstance(exc, cls):
            return code, title
    default_code = str(exc.default_code)
    code = default_code if "." in default_code else f"core.{default_code}"
    return code, _("Error")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every known error as problem details; anything else re-raised."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    headers: dict[str, str] = {}

    if isinstance(exc, DomainError):
        body = _domain_problem(exc, instance)
    elif isinstance(exc, Http404 | ObjectDoesNotExist):
        body = problem_body(
            status=404,
            code=CoreErrorCode.NOT_FOUND,
            title=_("Not found"),
            detail=NOT_FOUND_DETAIL,
            instance=instance,
        )
    elif isinstance(exc, DjangoPermissionDenied):
        return exception_handler(exceptions.PermissionDenied(*exc.args), context)
    elif isinstance(exc, DjangoValidationError):
        return exception_handler(exceptions.ValidationError(as_serializer_error(exc)), context)
    elif isinstance(exc, exceptions.APIException):
        body = _drf_problem(exc, instance)
        if auth_header := getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = auth_header
        if wait := getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(wait))
    else:
        return None

    set_rollback()
    response = Response(body, status=body["status"], headers=headers)
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or isinstance(renderer, JSONRenderer):
        response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _domain_problem(exc: DomainError, instance: str) -> dict[str, Any]:
    errors = [{"field": exc.field, "code": str(exc.code), "detail": exc.detail}] if exc.field else None
    return problem_body(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        instance=instance,
        errors=errors,
        context=exc.context,
    )


def _drf_problem(exc: exceptions.APIException, instance: str) -> dict[str, Any]:
    code, title = _drf_code_and_title(exc)
    if isinstance(exc, exceptions.ValidationError):
        errors = list(flatten_field_errors(exc.detail))
        return problem_body(
            status=exc.status_code,
            code=code,
            title=title,
            detail=_validation_summary(errors),
            instance=instance,
            errors=errors,
        )
    detail: Any = exc.detail
    if isinstance(detail, list | dict):  # a non-validation error raised with structured detail
        detail = "; ".join(row["detail"] for row in flatten_field_errors(detail))
    if isinstance(exc, exceptions.NotFound) and str(detail) == str(exceptions.NotFound.default_detail):
        detail = NOT_FOUND_DETAIL
    return problem_body(status=exc.status_code, code=code, title=title, detail=detail, instance=instance)
