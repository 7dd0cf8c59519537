"""Who is calling: the authentication hook every API view relies on.

Today the API authenticates the UI's session (``SessionAuthentication``; unsafe methods need the CSRF
token). Scoped API keys arrive with the parties: their DRF authentication class is added *first* in
``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]`` (so that its ``WWW-Authenticate: Bearer`` challenge
turns "not signed in" into 401 instead of 403) and returns ``(user, credential)`` where the credential
exposes:

- ``actor``: the :class:`~haicang.core.actors.Actor` built with ``Actor.for_api_key``;
- the class attribute ``method = "api_key"`` naming the scheme in ``/api/v1/me/``.

Views never inspect the scheme themselves: they call :func:`request_actor` and hand the actor to services.
"""

from __future__ import annotations

from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from haicang.core.actors import Actor


def request_actor(request: Request) -> Actor:
    """The actor a service call made for this request runs as."""
    actor = getattr(request.auth, "actor", None)
    if isinstance(actor, Actor):
        return actor
    return Actor.for_user(request.user)


def authentication_method(request: Request) -> str:
    """``session`` or the ``method`` the successful authentication class declares (``api_key``)."""
    authenticator = request.successful_authenticator
    if authenticator is None:
        return "none"
    declared = getattr(authenticator, "method", None)
    if isinstance(declared, str) and declared:
        return declared
    if isinstance(authenticator, SessionAuthentication):
        return "session"
    return type(authenticator).__name__
