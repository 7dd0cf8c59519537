"""``Idempotency-Key`` on every mutating API call, without a line of code in the views.

:class:`IdempotencyMiddleware` (in ``MIDDLEWARE`` after Django's authentication) handles ``POST``,
``PUT``, ``PATCH`` and ``DELETE`` under ``/api/`` that carry the header:

1. the key is checked (1–255 visible ASCII characters, else 400 ``idempotency.key_invalid``);
2. the caller is identified the way the API views will: the configured DRF authentication classes in
   their order — a credential such as an API key gives the scope ``<model label>:<id>``, a signed-in
   session ``user:<id>``. A call without valid credentials passes through untouched (the view answers 401);
3. the key is claimed (:func:`haicang.core.idempotency.idempotency_claim`, its own short transaction);
   the one request that wins runs the view; every other one gets the stored response replayed with
   ``Idempotent-Replayed: true``, 409 ``idempotency.in_flight`` or 422 ``idempotency.key_reused``. An
   in-flight claim is leased (``HAICANG_IDEMPOTENCY_LEASE_SECONDS``, 60 s): when a request crashed without
   releasing its key, a retry with the same body after the lease takes the key over and runs;
4. the winner's response is stored (body sealed) unless it says nothing about the operation — a server
   error (5xx), 401/403 (credentials, CSRF), 408/429, or a streamed body: then the claim is released so
   the client may retry with the same key.

Why a middleware rather than a view mixin: it covers every view of every app, DRF or not, and a view
cannot forget it. The price is that an API key is looked up twice on such calls (here and in the view).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from haicang.core.api.problems import PROBLEM_CONTENT_TYPE, problem_body
from haicang.core.errors import DomainError
from haicang.core.idempotency import (
    ClaimOutcome,
    IdempotencyKeyInFlight,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    StoredResponse,
    idempotency_claim,
    idempotency_complete,
    idempotency_release,
    request_fingerprint,
    stored_response,
)
from haicang.core.models.idempotency import IDEMPOTENCY_KEY_MAX_LENGTH, IdempotencyRecord
from haicang.core.models.idempotency import idempotency_key_validator as _key_validator

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"
# Answers about the call rather than the operation: not stored, the key stays usable.
UNSTORED_STATUSES = frozenset({401, 403, 408, 429})


def caller_scope(request: HttpRequest) -> str | None:
    """Whose keys these are: the credential (``parties.apikey:<id>``) or the session's ``user:<id>``."""
    drf_request = Request(request)  # authentication classes read headers only
    classes = cast("list[type[BaseAuthentication]]", api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    for authentication_class in classes:
        authenticator = authentication_class()
        if isinstance(authenticator, SessionAuthentication):  # its CSRF check stays with the view
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.pk is not None:
                return f"user:{user.pk}"
            continue
        try:
            found = authenticator.authenticate(drf_request)
        except APIException:
            return None
        if found is None:
            continue
        user, credential = found
        if isinstance(credential, models.Model) and credential.pk is not None:
            return f"{credential._meta.label_lower}:{credential.pk}"
        if getattr(user, "pk", None) is not None:
            return f"user:{user.pk}"
        return None
    return None


def _problem(error: DomainError, request: HttpRequest) -> HttpResponse:
    body = problem_body(
        status=error.status, code=error.code, title=error.title, detail=error.detail, instance=request.path
    )
    return JsonResponse(body, status=error.status, content_type=PROBLEM_CONTENT_TYPE)


def _replay(record: IdempotencyRecord) -> HttpResponse:
    stored = stored_response(record)
    response = HttpResponse(stored.body, status=stored.status, content_type=stored.content_type or None)
    if stored.location:
        response["Location"] = stored.location
    response[REPLAYED_HEADER] = "true"
    return response


def _storable(response: HttpResponse) -> bool:
    return (
        not response.streaming
        and response.status_code < 500
        and response.status_code not in UNSTORED_STATUSES
    )


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in MUTATING_METHODS or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            _key_validator(key)
        except ValidationError:
            return _problem(
                IdempotencyKeyInvalid(
                    f"The {HEADER} header must be 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters.",
                    field=HEADER,
                ),
                request,
            )
        scope = caller_scope(request)
        if scope is None:
            return self.get_response(request)
        claim = idempotency_claim(
            scope=scope,
            key=key,
            method=request.method or "",
            path=request.get_full_path(),
            fingerprint=request_fingerprint(
                method=request.method or "",
                path=request.get_full_path(),
                body=request.body,
                content_type=request.content_type or "",
            ),
        )
        if claim.outcome == ClaimOutcome.KEY_REUSED:
            return _problem(
                IdempotencyKeyReused(
                    f"This {HEADER} was used for a different request (method, path or body)."
                ),
                request,
            )
        if claim.outcome == ClaimOutcome.IN_FLIGHT or claim.record is None:
            return _problem(
                IdempotencyKeyInFlight(f"A request with this {HEADER} is still in progress; retry later."),
                request,
            )
        if claim.outcome == ClaimOutcome.REPLAY:
            return _replay(claim.record)
        return self._run(request, claim.record)

    def _run(self, request: HttpRequest, record: IdempotencyRecord) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            idempotency_release(record=record)
            raise
        if not _storable(response):
            idempotency_release(record=record)
            return response
        idempotency_complete(
            record=record,
            response=StoredResponse(
                status=response.status_code,
                content_type=response.get("Content-Type", ""),
                location=response.get("Location", ""),
                body=response.content,
            ),
        )
        return response
