"""The import API routes; the project includes them under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from haicang.exchange.api import ImportJobViewSet, MappingProfileViewSet

router = SimpleRouter()
router.register("imports/profiles", MappingProfileViewSet, basename="mapping-profile")
router.register("imports", ImportJobViewSet, basename="import-job")

urlpatterns = router.urls
