"""What every page view of the UI shares: sign-in, and domain access errors turned into error pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from haicang.core import errors


def scoped_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; a missing permission is the 403 page, an object out of scope the 404 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.detail) from exc
        except errors.NotFound as exc:
            raise Http404(exc.detail) from exc

    return login_required(wrapped)
