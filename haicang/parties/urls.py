"""API routes of the parties registry, included under ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from haicang.parties.api.views import (
    AgreementViewSet,
    ApiKeyViewSet,
    MembershipViewSet,
    OperatorViewSet,
    ScopeView,
    SellerViewSet,
)

router = SimpleRouter()
router.register("sellers", SellerViewSet, basename="seller")
router.register("operators", OperatorViewSet, basename="operator")
router.register("members", MembershipViewSet, basename="member")
router.register("api-keys", ApiKeyViewSet, basename="api-key")
router.register("agreements", AgreementViewSet, basename="agreement")

urlpatterns = [path("scope/", ScopeView.as_view(), name="scope"), *router.urls]
