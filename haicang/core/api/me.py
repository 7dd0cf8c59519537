"""``/api/v1/me/``: who the API thinks the caller is — the first call an integrator makes."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haicang.core.api.auth import authentication_method


class MeSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    language = serializers.CharField(help_text="Language the API answers this caller in (`en`, `zh-hans`).")
    is_staff = serializers.BooleanField()
    authenticated_by = serializers.CharField(
        help_text="How the call was authenticated: `session` or `api_key`."
    )


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The signed-in caller", responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "username": user.get_username(),
            "language": translation.get_language() or "en",
            "is_staff": bool(getattr(user, "is_staff", False)),
            "authenticated_by": authentication_method(request),
        }
        return Response(MeSerializer(data).data)
