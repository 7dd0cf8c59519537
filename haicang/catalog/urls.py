"""API routes of the catalogue, included under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from haicang.catalog.api import ProductViewSet, SkuViewSet

router = SimpleRouter()
router.register("skus", SkuViewSet, basename="sku")
router.register("products", ProductViewSet, basename="product")

urlpatterns = router.urls
