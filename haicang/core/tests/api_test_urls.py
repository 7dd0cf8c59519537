"""A test-only URLconf: views that raise each kind of error, and a small list endpoint.

Used with ``@pytest.mark.urls("haicang.core.tests.api_test_urls")``. Everything is mounted under ``/api/``
so that Django's error handlers answer problem JSON, plus the UI (and one failing page) to show that UI pages keep their HTML error pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework import exceptions, generics, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haicang.core.errors import DomainError
from haicang.urls import urlpatterns as root_urlpatterns

handler400 = "haicang.core.api.errorpages.bad_request"
handler403 = "haicang.core.api.errorpages.permission_denied"
handler404 = "haicang.core.api.errorpages.page_not_found"
handler500 = "haicang.core.api.errorpages.server_error"


class InsufficientStock(DomainError):
    code = "stock.insufficient"
    status = 409
    title = "Not enough stock"


class LineSerializer(serializers.Serializer[Any]):
    sku = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1)


class OrderSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(max_length=10)
    lines = LineSerializer(many=True)
    tags = serializers.ListField(child=serializers.IntegerField(), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["reference"] == "DUP":
            raise serializers.ValidationError("An order with this reference exists.", code="duplicate")
        return attrs


class OpenView(APIView):
    permission_classes = [AllowAny]


class ValidateView(OpenView):
    def post(self, request: Request) -> Response:
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class DomainErrorView(OpenView):
    def get(self, request: Request) -> Response:
        raise InsufficientStock(
            "Only 3 units of SKU-1 are available.", field="quantity", sku="SKU-1", wanted=4, available=3
        )


class DomainErrorWithoutFieldView(OpenView):
    def get(self, request: Request) -> Response:
        raise InsufficientStock("Nothing left.")


class Http404View(OpenView):
    def get(self, request: Request) -> Response:
        raise Http404("No Secret matches the given query.")


class DoesNotExistView(OpenView):
    def get(self, request: Request) -> Response:
        get_user_model().objects.get(username="nobody-by-this-name")
        return Response({})


class DjangoValidationView(OpenView):
    def get(self, request: Request) -> Response:
        raise DjangoValidationError({"currency": ["Unknown currency XYZ."]})


class DjangoPermissionView(OpenView):
    def get(self, request: Request) -> Response:
        raise DjangoPermissionDenied


class DrfPermissionView(OpenView):
    def get(self, request: Request) -> Response:
        raise exceptions.PermissionDenied


class SessionOnlyView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({})


class ChallengingAuthentication(SessionAuthentication):
    """Session authentication that can challenge, as the API-key class will."""

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ChallengingView(SessionOnlyView):
    authentication_classes = [ChallengingAuthentication]


class GetOnlyView(OpenView):
    def get(self, request: Request) -> Response:
        return Response({})


class ThrottledView(OpenView):
    def get(self, request: Request) -> Response:
        raise exceptions.Throttled(wait=30)


class BoomView(OpenView):
    def get(self, request: Request) -> Response:
        raise RuntimeError("secret internals: password=hunter2")


def html_boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom in a UI page")


class UsernameSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()


class UserListView(generics.ListAPIView[Any]):
    permission_classes = [AllowAny]
    serializer_class = UsernameSerializer
    ordering_fields = ["username"]
    ordering = ["username"]

    def get_queryset(self) -> QuerySet[Any]:
        return get_user_model().objects.all()


api_patterns = [
    path("validate/", ValidateView.as_view()),
    path("domain-error/", DomainErrorView.as_view()),
    path("domain-error-without-field/", DomainErrorWithoutFieldView.as_view()),
    path("http404/", Http404View.as_view()),
    path("does-not-exist/", DoesNotExistView.as_view()),
    path("django-validation/", DjangoValidationView.as_view()),
    path("django-permission/", DjangoPermissionView.as_view()),
    path("drf-permission/", DrfPermissionView.as_view()),
    path("session-only/", SessionOnlyView.as_view()),
    path("challenging/", ChallengingView.as_view()),
    path("get-only/", GetOnlyView.as_view()),
    path("throttled/", ThrottledView.as_view()),
    path("boom/", BoomView.as_view()),
    path("users/", UserListView.as_view()),
]

urlpatterns = [
    path("api/test/", include(api_patterns)),
    path("page/boom/", html_boom),
    *root_urlpatterns,  # the UI's error pages link to its views
]
