from __future__ import annotations

import gzip
from importlib import metadata, resources

import pytest
from django.template import Context, Template

from haicang.web.assets import ONE_YEAR_S


def _plotly_bytes() -> bytes:
    return (resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()


@pytest.mark.django_db
def test_plotly_is_served_from_the_installed_package_byte_for_byte(client):
    response = client.get("/assets/plotly.min.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == f"public, max-age={ONE_YEAR_S}, immutable"
    assert int(response["Content-Length"]) == len(_plotly_bytes())
    assert b"".join(response.streaming_content) == _plotly_bytes()


@pytest.mark.django_db
def test_plotly_is_gzipped_for_browsers_that_accept_it(client):
    response = client.get("/assets/plotly.min.js", headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == _plotly_bytes()


@pytest.mark.django_db
def test_a_browser_that_has_plotly_already_gets_not_modified(client):
    etag = client.get("/assets/plotly.min.js")["ETag"]

    response = client.get("/assets/plotly.min.js", headers={"if-none-match": etag})

    assert response.status_code == 304


@pytest.mark.django_db
def test_plotly_is_read_only(client):
    assert client.post("/assets/plotly.min.js").status_code == 405


def test_the_plotly_tag_points_at_the_served_file_with_the_package_version():
    html = Template("{% load haicang_web %}{% plotly_script %}").render(Context())

    assert html == (
        f'<script src="/assets/plotly.min.js?v={metadata.version("plotly")}" charset="utf-8"></script>'
    )
