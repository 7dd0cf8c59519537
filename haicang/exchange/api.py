"""``/api/v1/imports/``: upload a file, follow its validation, read the preview and problems, confirm or
discard; ``/api/v1/imports/kinds/`` and ``/api/v1/imports/profiles/``.

Scoped with ``resource = "imports"``: a party sees its own imports and profiles (another party's answer 404);
reading needs ``imports:read`` and the kind's read permission, writing ``imports:write`` and the kind's own
permission (``catalog:write`` for the catalogue).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.exchange import serializers as s
from haicang.exchange import services
from haicang.exchange.models import ImportJob, MappingProfile
from haicang.exchange.selectors import (
    import_jobs_visible,
    import_kind_require,
    import_kinds_for,
    mapping_profiles_visible,
)
from haicang.parties.api.base import ScopedViewSetMixin
from haicang.parties.models import Operator, Seller
from haicang.parties.scoping import AccessDenied, Scope

UUID_REGEX = "[0-9a-fA-F-]{36}"


def acting_party(scope: Scope) -> Seller | Operator:
    if scope.seller_id is not None:
        return Seller.objects.get(pk=scope.seller_id)
    if scope.operator_id is not None:
        return Operator.objects.get(pk=scope.operator_id)
    raise AccessDenied("imports belong to a seller or an operator: act for one", permission="imports:write")


def _bounded(request: Request, name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = request.query_params.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = minimum - 1
    if not minimum <= value <= maximum:
        raise ValidationError({name: [f"give a whole number from {minimum} to {maximum}"]})
    return value


def kinds_data(scope: Scope) -> list[dict[str, Any]]:
    return [
        {
            "kind": i.kind,
            "label": str(i.label),
            "description": str(i.description),
            "permission": i.permission,
            "contains_personal_data": i.personal,
            "columns": [
                {
                    "name": c.name,
                    "required": c.required,
                    "description": str(c.description),
                    "synonyms": list(c.synonyms),
                    "personal": c.personal,
                }
                for c in i.columns
            ],
            "options": [
                {"name": o.name, "required": o.required, "description": str(o.description)} for o in i.options
            ],
        }
        for i in import_kinds_for(scope)
    ]


@extend_schema_view(
    list=extend_schema(summary="List the party's imports, newest first"),
    retrieve=extend_schema(
        summary="Read an import: status, progress, preview and a page of its problems",
        parameters=[
            OpenApiParameter("problems_offset", OpenApiTypes.INT, description="From 0."),
            OpenApiParameter("problems_limit", OpenApiTypes.INT, description="1–500, default 50."),
        ],
        responses=s.ImportJobDetailSerializer,
    ),
)
class ImportJobViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    resource = "imports"
    queryset = ImportJob.objects.all()
    serializer_class = s.ImportJobSerializer
    lookup_value_regex = UUID_REGEX
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[ImportJob]:
        return import_jobs_visible(self.scope).order_by("-created_at")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        context = {
            "problems_offset": _bounded(request, "problems_offset", 0, minimum=0, maximum=10**6),
            "problems_limit": _bounded(request, "problems_limit", 50, minimum=1, maximum=500),
        }
        return Response(s.ImportJobDetailSerializer(job, context=context).data)

    @extend_schema(
        summary="Upload a file to import (it is checked in the background)",
        request={"multipart/form-data": s.ImportUploadSerializer},
        responses={202: s.ImportJobSerializer},
    )
    def create(self, request: Request) -> Response:
        body = s.ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        import_kind_require(self.scope, data["kind"])
        profile = None
        if data.get("profile"):
            profile = mapping_profiles_visible(self.scope).filter(pk=data["profile"]).first()
            if profile is None:
                raise ValidationError({"profile": ["no such mapping profile"]})
        upload = data["file"]
        job = services.import_job_create(
            actor=self.scope.actor,
            owner=acting_party(self.scope),
            kind=data["kind"],
            content=upload.read(),
            filename=upload.name or "",
            file_format=data.get("format"),
            profile=profile,
            options=data.get("options") or {},
        )
        return Response(s.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Confirm a previewed import: it is applied in the background, all or nothing",
                   request=None, responses={202: s.ImportJobSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        import_kind_require(self.scope, job.kind)
        job = services.import_job_confirm(actor=self.scope.actor, job=job)
        return Response(s.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Discard an import that was not applied (its file is deleted)",
                   request=None, responses={200: s.ImportJobSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        import_kind_require(self.scope, job.kind)
        job = services.import_job_discard(actor=self.scope.actor, job=job)
        return Response(s.ImportJobSerializer(job).data)

    @extend_schema(summary="The import kinds this party may use, with their columns",
                   responses={200: s.ImportKindSerializer(many=True)})  # fmt: skip
    @action(detail=False, methods=["get"])
    def kinds(self, request: Request) -> Response:
        return Response(s.ImportKindSerializer(kinds_data(self.scope), many=True).data)


@extend_schema_view(
    list=extend_schema(summary="List the party's mapping profiles"),
    retrieve=extend_schema(summary="Read a mapping profile"),
    destroy=extend_schema(summary="Delete a mapping profile (imports keep the mapping they used)"),
)
class MappingProfileViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin
):
    resource = "imports"
    queryset = MappingProfile.objects.all()
    serializer_class = s.MappingProfileSerializer
    lookup_value_regex = UUID_REGEX
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[MappingProfile]:
        queryset = mapping_profiles_visible(self.scope).order_by("kind", "partner")
        kind = self.request.query_params.get("kind")
        return queryset.filter(kind=kind) if kind else queryset

    @extend_schema(summary="Create a mapping profile", request=s.MappingProfileWriteSerializer,
                   responses={201: s.MappingProfileSerializer})  # fmt: skip
    def create(self, request: Request) -> Response:
        body = s.MappingProfileWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        import_kind_require(self.scope, data["kind"])
        profile = services.mapping_profile_create(
            actor=self.scope.actor,
            owner=acting_party(self.scope),
            kind=data["kind"],
            partner=data["partner"],
            mapping=data["mapping"],
            defaults=data.get("defaults") or {},
        )
        return Response(s.MappingProfileSerializer(profile).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Change a mapping profile", request=s.MappingProfileWriteSerializer,
                   responses={200: s.MappingProfileSerializer})  # fmt: skip
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        profile = self.get_object()
        import_kind_require(self.scope, profile.kind)
        body = s.MappingProfileWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        profile = services.mapping_profile_update(
            actor=self.scope.actor,
            profile=profile,
            partner=data.get("partner"),
            mapping=data.get("mapping"),
            defaults=data.get("defaults"),
        )
        return Response(s.MappingProfileSerializer(profile).data)

    def perform_destroy(self, instance: MappingProfile) -> None:
        import_kind_require(self.scope, instance.kind)
        services.mapping_profile_delete(actor=self.scope.actor, profile=instance)
