"""The channels API routes; the project includes them under ``/api/v1/``."""

from rest_framework.routers import DefaultRouter

from haicang.channels.api import (
    ChannelAccountViewSet,
    ChannelSkuMapViewSet,
    ChannelStockLevelViewSet,
    StockShareRuleViewSet,
)


class Router(DefaultRouter):
    include_format_suffixes = False
    include_root_view = False


router = Router()
router.register("channel-accounts", ChannelAccountViewSet, basename="channel-account")
router.register("channel-sku-maps", ChannelSkuMapViewSet, basename="channel-sku-map")
router.register("stock-share-rules", StockShareRuleViewSet, basename="stock-share-rule")
router.register("channel-stock", ChannelStockLevelViewSet, basename="channel-stock-level")

urlpatterns = router.urls
