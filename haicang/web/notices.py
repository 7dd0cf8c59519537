"""Standing notices: banners shown on every page until what they announce is dealt with.

Unlike a flash message (``django.contrib.messages``, shown once), a notice is computed from stored state on
each page: an app registers a *source* once, from its ``AppConfig.ready()``, and the base template asks every
source for the notices of the request (``{% page_notices as notices %}``)::

    from haicang.web.notices import Notice, notices

    notices.register("integration.disabled-webhooks", disabled_webhook_notices)

A source takes the request and returns its notices (usually none). It runs on every page a signed-in user
opens, so it must be cheap: check the permission first, then at most one small query. No signals: what a
notice announces lives in the database, and the notice disappears when that state changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True, slots=True)
class Notice:
    """One banner: ``message``, and optionally a link to where it is dealt with. ``key`` is unique per page."""

    key: str
    message: StrOrPromise
    url: str = ""
    link_label: StrOrPromise = ""
    level: str = "warning"  # the message styles of the base template: warning, error, success


type NoticeSource = Callable[["HttpRequest"], Iterable[Notice]]


class NoticeRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, NoticeSource] = {}

    def register(self, key: str, source: NoticeSource) -> NoticeSource:
        if key in self._sources:
            raise ImproperlyConfigured(f"notice source {key!r} is registered twice")
        self._sources[key] = source
        return source

    def for_request(self, request: HttpRequest) -> list[Notice]:
        """Every registered source's notices for this request, in registration order."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return [notice for source in self._sources.values() for notice in source(request)]


notices = NoticeRegistry()
