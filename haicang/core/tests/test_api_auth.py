"""The authentication hook: which actor a request acts as, and how it was authenticated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.test import RequestFactory
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request

from haicang.core.actors import Actor
from haicang.core.api.auth import authentication_method, request_actor


@dataclass(frozen=True)
class KeyCredential:
    actor: Actor


class KeyAuthentication(BaseAuthentication):
    method = "api_key"


def authenticated(rf: RequestFactory, *, user: Any, auth: Any, authenticator: BaseAuthentication) -> Request:
    request = Request(rf.get("/api/v1/me/"))
    request.user, request.auth = user, auth  # what a successful authentication class leaves behind
    request._authenticator = authenticator  # type: ignore[attr-defined]
    return request


def test_session_request_acts_as_its_user(rf: RequestFactory, user: Any) -> None:
    request = authenticated(rf, user=user, auth=None, authenticator=SessionAuthentication())

    assert request_actor(request) == Actor.for_user(user)
    assert authentication_method(request) == "session"


def test_api_key_request_acts_as_the_key_its_credential_names(rf: RequestFactory, user: Any) -> None:
    key_actor = Actor.for_api_key(key_id=uuid.uuid4(), label="shop-sync", user_id=user.pk)
    request = authenticated(
        rf, user=user, auth=KeyCredential(actor=key_actor), authenticator=KeyAuthentication()
    )

    assert request_actor(request) == key_actor
    assert authentication_method(request) == "api_key"
