"""The putaway pages, included by the project under ``/putaway/`` (namespace ``putaway``)."""

from django.urls import path

from haicang.inbound import putaway_views

app_name = "putaway"

urlpatterns = [
    path("", putaway_views.putaway_queue, name="queue"),
    path("<uuid:sku>/<uuid:location>/", putaway_views.putaway_item, name="item"),
]
