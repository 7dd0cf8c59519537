"""Pages: setup (docs/fulfillment.md)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
