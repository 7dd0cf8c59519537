"""Browser assets served from installed Python packages, so the UI works offline (no CDN).

Plotly's JavaScript bundle ships inside the ``plotly`` package; :func:`plotly_js` streams it. The URL carries
the package version (``?v=``), so browsers may cache it for a year and still pick up an upgrade. It is
gzipped for browsers that accept it.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata, resources
from pathlib import Path

from django.http import FileResponse, HttpRequest
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe

ONE_YEAR_S = 365 * 24 * 3600


@cache
def plotly_js_path() -> Path:
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise FileNotFoundError(f"the installed plotly package has no {path}")
    return path


@cache
def plotly_version() -> str:
    return metadata.version("plotly")


def _plotly_etag(request: HttpRequest) -> str:
    return f"plotly-{plotly_version()}"


@require_safe
@gzip_page  # 4.8 MB becomes about 1.4 MB; browsers then keep it for a year
@condition(etag_func=_plotly_etag)
def plotly_js(request: HttpRequest) -> FileResponse:
    response = FileResponse(plotly_js_path().open("rb"), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={ONE_YEAR_S}, immutable"
    return response
