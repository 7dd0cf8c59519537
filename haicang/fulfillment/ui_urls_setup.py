"""Pages: the work queues (the landing page of warehouse work) and setup — the box catalogue and the carriers'
pick-up times (docs/fulfillment.md, "Work queues", "Setup: boxes and pick-up times")."""

from django.urls import URLPattern, URLResolver, path

from haicang.fulfillment import views_queues, views_setup

urlpatterns: list[URLPattern | URLResolver] = [
    path("queues/", views_queues.queues, name="queues"),
    path("setup/boxes/", views_setup.box_list, name="boxes"),
    path("setup/boxes/new/", views_setup.box_create, name="box-create"),
    path("setup/boxes/<uuid:pk>/", views_setup.box_edit, name="box-edit"),
    path(
        "setup/boxes/<uuid:pk>/deactivate/",
        views_setup.box_activation,
        {"active": False},
        name="box-deactivate",
    ),
    path(
        "setup/boxes/<uuid:pk>/reactivate/",
        views_setup.box_activation,
        {"active": True},
        name="box-reactivate",
    ),
    path("setup/pickups/", views_setup.pickup_list, name="pickups"),
    path("setup/pickups/new/", views_setup.pickup_create, name="pickup-create"),
    path("setup/pickups/<uuid:pk>/", views_setup.pickup_edit, name="pickup-edit"),
    path("setup/pickups/<uuid:pk>/delete/", views_setup.pickup_delete, name="pickup-delete"),
]
