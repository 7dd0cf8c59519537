"""Pages: outbound work, waves and picking (docs/fulfillment.md)."""

from django.urls import URLPattern, URLResolver, path

from haicang.fulfillment import views_picking as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("outbound/", v.outbound_home, name="outbound"),
    path(
        "outbound/requests/<uuid:pk>/accept/", v.request_answer, {"answer": "accept"}, name="request-accept"
    ),
    path(
        "outbound/requests/<uuid:pk>/reject/", v.request_answer, {"answer": "reject"}, name="request-reject"
    ),
    path(
        "outbound/requests/<uuid:pk>/cancellation/",
        v.request_answer,
        {"answer": "cancellation"},
        name="request-cancellation",
    ),
    path(
        "outbound/<uuid:pk>/hand-back/", v.outbound_action, {"action": "hand-back"}, name="outbound-hand-back"
    ),
    path("outbound/<uuid:pk>/requeue/", v.outbound_action, {"action": "requeue"}, name="outbound-requeue"),
    path("outbound/shorts/<uuid:pk>/resolve/", v.short_resolve, name="short-resolve"),
    path("waves/", v.wave_list, name="waves"),
    path("waves/plan/", v.waves_plan, name="waves-plan"),
    path("waves/release-planned/", v.waves_release_planned, name="waves-release-planned"),
    path("waves/<uuid:pk>/", v.wave_detail, name="wave"),
    path("waves/<uuid:pk>/release/", v.wave_action, {"action": "release"}, name="wave-release"),
    path("waves/<uuid:pk>/cancel/", v.wave_action, {"action": "cancel"}, name="wave-cancel"),
    path("pick/", v.pick_lists, name="pick-lists"),
    path("pick/<uuid:pk>/", v.pick_page, name="pick"),
]
