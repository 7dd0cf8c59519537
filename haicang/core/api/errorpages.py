"""Django's error handlers (``handler400/403/404/500``): problem JSON under ``/api/``, HTML elsewhere.

DRF views answer their own errors through :func:`haicang.core.api.problems.exception_handler`; these
handlers cover what happens outside them: an unknown URL under ``/api/``, a disallowed host, and every
unexpected exception (which Django has already logged by the time ``server_error`` runs). The 500
answer names no exception and shows no traceback.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from haicang.core.api.problems import (
    INTERNAL_ERROR_DETAIL,
    NOT_FOUND_DETAIL,
    PROBLEM_CONTENT_TYPE,
    ApiErrorCode,
    problem_body,
)
from haicang.core.errors import CoreErrorCode

API_PATH_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


def _problem(request: HttpRequest, *, status: int, code: str, title: Any, detail: Any) -> JsonResponse:
    body = problem_body(status=status, code=code, title=title, detail=detail, instance=request.path)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _problem(
            request,
            status=400,
            code=ApiErrorCode.BAD_REQUEST,
            title=_("Bad request"),
            detail=_("The request cannot be served."),
        )
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _problem(
            request,
            status=403,
            code=CoreErrorCode.PERMISSION_DENIED,
            title=_("Not allowed"),
            detail=_("You are not allowed to do this."),
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _problem(
            request, status=404, code=CoreErrorCode.NOT_FOUND, title=_("Not found"), detail=NOT_FOUND_DETAIL
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return _problem(
            request,
            status=500,
            code=ApiErrorCode.INTERNAL_ERROR,
            title=_("Internal error"),
            detail=INTERNAL_ERROR_DETAIL,
        )
    return defaults.server_error(request)
