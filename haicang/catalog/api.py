"""``/api/v1/skus/`` and ``/api/v1/products/``: thin views that parse, call one service and serialise.

Scoped with ``resource = "catalog"``: sellers read and (owner, planner) write their own catalogue; operators
read the catalogues of the sellers they have an agreement with, without the sellers' commercial data.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters import rest_framework as django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.catalog import serializers as s
from haicang.catalog import services
from haicang.catalog.errors import CatalogErrorCode, CatalogInvalid, ImportRejected, KitInvalid
from haicang.catalog.exporting import catalog_export
from haicang.catalog.identifiers import barcode_key
from haicang.catalog.importing import catalog_import
from haicang.catalog.models import Product, Sku, SkuStatusChoices
from haicang.catalog.selectors import WRITE, product_search, products_visible, sku_detail_queryset, sku_search
from haicang.catalog.sku_fields import DANGEROUS_GOODS, TRACKING
from haicang.core.api.auth import request_actor
from haicang.core.api.problems import PROBLEM_CONTENT_TYPE, problem_body
from haicang.parties.api.base import ScopedModelViewSet
from haicang.parties.models import Seller
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope


def acting_seller(scope: Scope) -> Seller:
    """The seller whose catalogue the request writes; 403 for anyone else."""
    if scope.party_kind is not PartyKind.SELLER or scope.party_id is None:
        raise AccessDenied("only a seller writes its catalogue", permission=WRITE)
    return Seller.objects.get(pk=scope.party_id)


class SkuFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Words in the code, names or style code, or a barcode."
    )
    status = django_filters.ChoiceFilter(choices=SkuStatusChoices.choices)
    is_kit = django_filters.BooleanFilter()
    dangerous = django_filters.BooleanFilter(method="any_dangerous", label="Has any dangerous-goods flag.")
    barcode = django_filters.CharFilter(
        method="by_barcode", label="Carries this barcode (a GTIN in any length)."
    )
    product = django_filters.UUIDFilter(field_name="product_id")
    seller = django_filters.UUIDFilter(field_name="seller_id")
    lithium_battery = django_filters.BooleanFilter()
    liquid = django_filters.BooleanFilter()
    magnet = django_filters.BooleanFilter()
    aerosol = django_filters.BooleanFilter()
    flammable = django_filters.BooleanFilter()
    powder = django_filters.BooleanFilter()
    track_lot = django_filters.BooleanFilter()
    track_expiry = django_filters.BooleanFilter()
    track_serial = django_filters.BooleanFilter()

    class Meta:
        model = Sku
        fields: list[str] = []

    def search(self, queryset: QuerySet[Sku], name: str, value: str) -> QuerySet[Sku]:
        return sku_search(queryset, value)

    def any_dangerous(self, queryset: QuerySet[Sku], name: str, value: bool | None) -> QuerySet[Sku]:
        from haicang.catalog.selectors import sku_filter

        return sku_filter(queryset, dangerous=value)

    def by_barcode(self, queryset: QuerySet[Sku], name: str, value: str) -> QuerySet[Sku]:
        return queryset.filter(barcodes__key=barcode_key(value)) if value else queryset


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Words in the style code, names or brand.")
    brand = django_filters.CharFilter()
    category = django_filters.CharFilter()

    class Meta:
        model = Product
        fields: list[str] = []

    def search(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return product_search(queryset, value)


assert set(DANGEROUS_GOODS) | set(TRACKING) <= set(SkuFilter.base_filters)  # noqa: S101 - kept in step


class CsvRenderer(JSONRenderer):
    """Lets ``?format=csv`` through content negotiation: the export answers the file itself, and any error
    (a problem) is still rendered as JSON by the JSON renderer this extends."""

    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(JSONRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


def _write_body(serializer: type[s.SkuWriteSerializer], request: Request, scope: Scope) -> dict[str, Any]:
    body = serializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = dict(body.validated_data)
    if "product" in data:
        data["product"] = _product(scope, data["product"])
    return data


def _product(scope: Scope, pk: Any) -> Product | None:
    if pk is None:
        return None
    product = products_visible(scope, permission=WRITE).filter(pk=pk).first()
    if product is None:
        raise CatalogInvalid(
            f"no product with id {pk}", field="product", code=CatalogErrorCode.PRODUCT_UNKNOWN
        )
    return product


@extend_schema_view(
    list=extend_schema(
        summary="List SKUs", description="Search with `q`, filter, order and page through SKUs."
    ),
    retrieve=extend_schema(summary="Read one SKU"),
)
class SkuViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    resource = "catalog"
    queryset = sku_detail_queryset(Sku.objects.select_related("product", "seller"))
    serializer_class = s.SkuSerializer
    filterset_class = SkuFilter
    ordering_fields = ["code", "name_en", "status", "created_at", "updated_at"]
    ordering = ["code"]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "scope": self.scope}

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        fmt = request.query_params.get("format")
        if self.action == "export" and not force and fmt not in (None, "csv", "xlsx"):
            raise CatalogInvalid(
                "format is csv or xlsx", field="format", code=CatalogErrorCode.CHOICE_INVALID
            )
        return super().perform_content_negotiation(request, force)

    def _render(self, sku: Sku, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = sku_detail_queryset(Sku.objects.select_related("product", "seller")).get(pk=sku.pk)
        return Response(s.SkuSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(summary="Create a SKU", request=s.SkuCreateSerializer, responses={201: s.SkuSerializer})
    def create(self, request: Request) -> Response:
        data = _write_body(s.SkuCreateSerializer, request, self.scope)
        seller = acting_seller(self.scope)
        with transaction.atomic():
            sku = services.sku_create(actor=request_actor(request), seller=seller, **data)
        return self._render(sku, code=status.HTTP_201_CREATED)

    @extend_schema(summary="Change a SKU", request=s.SkuWriteSerializer, responses=s.SkuSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        sku = self.get_object()  # first: another party's SKU is a 404 whatever the body
        data = _write_body(s.SkuWriteSerializer, request, self.scope)
        if "barcodes" in data:
            raise CatalogInvalid(
                "barcodes are added and removed at /barcodes/",
                field="barcodes",
                code=CatalogErrorCode.FIELD_UNKNOWN,
            )
        services.sku_update(actor=request_actor(request), sku=sku, **data)
        return self._render(sku)

    @extend_schema(summary="Discontinue a SKU", request=None, responses=s.SkuSerializer)
    @action(detail=True, methods=["post"])
    def discontinue(self, request: Request, pk: Any = None) -> Response:
        sku = services.sku_discontinue(actor=request_actor(request), sku=self.get_object())
        return self._render(sku)

    @extend_schema(summary="Reactivate a discontinued SKU", request=None, responses=s.SkuSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: Any = None) -> Response:
        sku = services.sku_reactivate(actor=request_actor(request), sku=self.get_object())
        return self._render(sku)

    @extend_schema(
        methods=["POST"],
        summary="Add a barcode",
        request=s.BarcodeAddSerializer,
        responses={201: s.SkuSerializer},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a barcode",
        request=None,
        responses={204: None},
        parameters=[
            OpenApiParameter("value", OpenApiTypes.STR, required=True, description="The barcode to remove.")
        ],
    )
    @action(detail=True, methods=["post", "delete"])
    def barcodes(self, request: Request, pk: Any = None) -> Response:
        sku = self.get_object()  # first: another party's SKU is a 404 whatever the body
        if request.method == "DELETE":
            value = request.query_params.get("value", "")
            if not value:
                raise CatalogInvalid(
                    "give the barcode as ?value=", field="value", code=CatalogErrorCode.FIELD_REQUIRED
                )
            services.barcode_remove(actor=request_actor(request), sku=sku, value=value)
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = s.BarcodeAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.barcode_add(actor=request_actor(request), sku=sku, value=body.validated_data["value"])
        return self._render(sku, code=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="A kit's components",
        request=None,
        responses=s.KitComponentSerializer(many=True),
    )
    @extend_schema(
        methods=["PUT"],
        summary="Set a kit's components",
        request=s.ComponentsSerializer,
        responses=s.KitComponentSerializer(many=True),
    )
    @action(detail=True, methods=["get", "put"])
    def components(self, request: Request, pk: Any = None) -> Response:
        kit = self.get_object()
        if request.method == "PUT":
            body = s.ComponentsSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            wanted = body.validated_data["components"]
            visible = self.get_queryset()
            ids = [c["sku"] for c in wanted if c.get("sku")]
            codes = [c["sku_code"] for c in wanted if not c.get("sku")]
            by_id = {sku.pk: sku for sku in visible.filter(pk__in=ids)}
            by_code = {sku.code: sku for sku in visible.filter(seller_id=kit.seller_id, code__in=codes)}
            components = []
            for item in wanted:
                found = by_id.get(item["sku"]) if item.get("sku") else by_code.get(item["sku_code"])
                if found is None:
                    raise KitInvalid(
                        f"no SKU {item.get('sku') or item.get('sku_code')}",
                        code=CatalogErrorCode.KIT_COMPONENT_UNKNOWN,
                    )
                components.append((found, item["quantity"]))
            services.kit_set_components(actor=request_actor(request), kit=kit, components=components)
        rows = kit.components.select_related("component").order_by("id")
        return Response(s.KitComponentSerializer(rows, many=True).data)

    @extend_schema(
        summary="Import a catalogue file",
        description=(
            "All or nothing: every row is checked first; on any problem the answer is a 400 problem whose "
            "`errors` list every one with its `row` (the header is row 1) and `column`, and nothing is written."
        ),
        request={"multipart/form-data": s.ImportRequestSerializer},
        responses={
            200: s.ImportResultSerializer,
            400: OpenApiResponse(
                s.ImportProblemSerializer, description="The file was rejected; nothing written."
            ),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        body = s.ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        seller = acting_seller(self.scope)
        dry_run = body.validated_data["dry_run"]
        try:
            result = catalog_import(
                actor=request_actor(request),
                seller=seller,
                file=upload,
                format=body.validated_data.get("format"),
                filename=upload.name or "",
                dry_run=dry_run,
            )
        except ImportRejected as exc:
            problem = problem_body(
                status=400,
                code=exc.code,
                title=exc.title,
                detail=exc.detail,
                instance=request.path,
                errors=[p.as_dict() for p in exc.problems],
            )
            return Response(problem, status=400, content_type=PROBLEM_CONTENT_TYPE)
        return Response({**result.as_dict(), "dry_run": dry_run})

    @extend_schema(
        summary="Export SKUs as a file",
        description="The listed SKUs (same search and filters as the list) with the import's columns.",
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "xlsx"], default="csv")],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XlsxRenderer.media_type): OpenApiTypes.BINARY,
        },
    )
    @action(detail=False, methods=["get"], renderer_classes=[CsvRenderer, XlsxRenderer, JSONRenderer])
    def export(self, request: Request) -> HttpResponse:
        fmt = request.query_params.get("format") or "csv"
        skus = self.filter_queryset(self.get_queryset())
        exported = catalog_export(scope=self.scope, format=fmt, skus=skus)
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response


@extend_schema_view(
    list=extend_schema(summary="List products (styles)"),
    retrieve=extend_schema(summary="Read a product with its variants", responses=s.ProductDetailSerializer),
)
class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    resource = "catalog"
    queryset = Product.objects.select_related("seller")
    serializer_class = s.ProductSerializer
    ordering_fields = ["style_code", "name_en", "created_at"]
    ordering = ["style_code"]
    filterset_class = ProductFilter

    def get_serializer_class(self) -> Any:
        return s.ProductDetailSerializer if self.action == "retrieve" else s.ProductSerializer

    @extend_schema(
        summary="Create a product",
        request=s.ProductCreateSerializer,
        responses={201: s.ProductDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        body = s.ProductCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = services.product_create(
            actor=request_actor(request), seller=acting_seller(self.scope), **body.validated_data
        )
        return Response(s.ProductDetailSerializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a product", request=s.ProductWriteSerializer, responses=s.ProductDetailSerializer
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        product = self.get_object()
        body = s.ProductWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = services.product_update(
            actor=request_actor(request), product=product, **body.validated_data
        )
        return Response(s.ProductDetailSerializer(product).data)
