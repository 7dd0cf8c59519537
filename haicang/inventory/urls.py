"""The stock ledger's API routes; the project includes them under ``/api/v1/``."""

from rest_framework.routers import DefaultRouter

from haicang.inventory.api import CorrectionViewSet, MoveViewSet, ReservationViewSet, StockViewSet
from haicang.inventory.count_api import CountTaskViewSet
from haicang.inventory.count_policy_api import CountPolicyViewSet


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("stock", StockViewSet, basename="stock")
router.register("moves", MoveViewSet, basename="move")
router.register("reservations", ReservationViewSet, basename="reservation")
router.register("corrections", CorrectionViewSet, basename="correction")
router.register("count-tasks", CountTaskViewSet, basename="count-task")
router.register("count-policies", CountPolicyViewSet, basename="count-policy")

urlpatterns = router.urls
