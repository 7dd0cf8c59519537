"""The catalogue's pages: SKU list (search as you type, filters, pages through HTMX), detail, create and edit
forms, import with row-numbered problems, export. Every read goes through the request's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicang.catalog import services
from haicang.catalog.errors import CatalogErrorCode, CatalogInvalid, ImportRejected, Problem
from haicang.catalog.exporting import catalog_export
from haicang.catalog.forms import ERROR_FIELDS, ImportForm, ProductForm, SkuForm, sku_initial
from haicang.catalog.identifiers import barcode_key, kit_components_parse
from haicang.catalog.importing import catalog_import
from haicang.catalog.labels import problem_reason
from haicang.catalog.models import Product, Sku, SkuStatusChoices
from haicang.catalog.selectors import (
    WRITE,
    kit_components,
    kit_dangerous_goods,
    kits_containing,
    product_get,
    product_search,
    product_variants,
    products_visible,
    sku_filter,
    sku_get,
    sku_search,
    skus_visible,
)
from haicang.core.errors import DomainError, NotFound
from haicang.parties.access import scope_for_request
from haicang.parties.models import Seller
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope

PAGE_SIZE = 50


def catalog_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; a missing permission is a 403 page, an object out of scope a 404 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except AccessDenied as exc:
            raise PermissionDenied(exc.detail) from exc
        except NotFound as exc:
            raise Http404(exc.detail) from exc

    return login_required(wrapped)


def _seller(scope: Scope) -> Seller:
    scope.require(WRITE)
    if scope.party_kind is not PartyKind.SELLER or scope.party_id is None:
        raise AccessDenied("only a seller writes its catalogue", permission=WRITE)
    return Seller.objects.get(pk=scope.party_id)


def _can_write(scope: Scope) -> bool:
    return scope.party_kind is PartyKind.SELLER and scope.can(WRITE)


@dataclass(frozen=True)
class ListFilters:
    q: str
    status: str
    kit: str
    dangerous: bool

    @classmethod
    def from_query(cls, query: Any) -> ListFilters:
        status = query.get("status", "")
        kit = query.get("kit", "")
        return cls(
            q=query.get("q", "").strip()[:200],
            status=status if status in SkuStatusChoices.values else "",
            kit=kit if kit in ("yes", "no") else "",
            dangerous=query.get("dangerous") == "1",
        )

    def apply(self, skus: QuerySet[Sku]) -> QuerySet[Sku]:
        return sku_filter(
            sku_search(skus, self.q),
            status=self.status or None,
            is_kit={"yes": True, "no": False}.get(self.kit),
            dangerous=True if self.dangerous else None,
        )

    def query(self) -> str:
        pairs = {
            "q": self.q,
            "status": self.status,
            "kit": self.kit,
            "dangerous": "1" if self.dangerous else "",
        }
        return urlencode({k: v for k, v in pairs.items() if v})


@catalog_page
def sku_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    filters = ListFilters.from_query(request.GET)
    skus = filters.apply(skus_visible(scope)).prefetch_related("barcodes").order_by("code")
    page = Paginator(skus, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query": filters.query(),
        "statuses": SkuStatusChoices.choices,
        "can_write": _can_write(scope),
        "several_sellers": scope.party_kind is PartyKind.OPERATOR,
    }
    if getattr(request, "htmx", False):
        return render(request, "catalog/_sku_results.html", context)
    return render(request, "catalog/sku_list.html", context)


@catalog_page
def sku_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    sku = sku_get(scope, pk)
    context = {
        "sku": sku,
        "barcodes": list(sku.barcodes.order_by("created_at")),
        "components": kit_components(sku),
        "kits": kits_containing(sku),
        "kit_dangerous_goods": kit_dangerous_goods(sku) if sku.is_kit else [],
        "can_write": _can_write(scope) and scope.seller_id == sku.seller_id,
        "show_commercial": scope.party_kind is PartyKind.SELLER,
    }
    return render(request, "catalog/sku_detail.html", context)


def _product_by_style(seller: Seller, style_code: str) -> Product | None:
    if not style_code:
        return None
    product = Product.objects.filter(seller=seller, style_code=style_code).first()
    if product is None:
        raise CatalogInvalid(
            f"no product with style code {style_code}", field="product", code=CatalogErrorCode.PRODUCT_UNKNOWN
        )
    return product


def _components(seller: Seller, text: str) -> list[tuple[Sku, int]]:
    wanted = kit_components_parse(text, field="components")
    found = {s.code: s for s in Sku.objects.filter(seller=seller, code__in=[code for code, _q in wanted])}
    unknown = [code for code, _q in wanted if code not in found]
    if unknown:
        raise CatalogInvalid(
            f"no SKU {', '.join(unknown)}", field="components", code=CatalogErrorCode.KIT_COMPONENT_UNKNOWN
        )
    return [(found[code], quantity) for code, quantity in wanted]


def _save(form: SkuForm, *, scope: Scope, seller: Seller, sku: Sku | None) -> Sku:
    data = form.cleaned_data
    fields = form.sku_fields()
    product = _product_by_style(seller, data.get("style_code") or "")
    if sku is None:
        name_en = fields.pop("name_en")
        sku = services.sku_create(
            actor=scope.actor,
            seller=seller,
            code=data["code"],
            name_en=name_en,
            product=product,
            barcodes=form.barcode_lines(),
            **fields,
        )
    else:
        services.sku_update(actor=scope.actor, sku=sku, code=data["code"], product=product, **fields)
        wanted = form.barcode_lines()
        keys = {barcode_key(v) for v in wanted}
        for barcode in list(sku.barcodes.all()):
            if barcode.key not in keys:
                services.barcode_remove(actor=scope.actor, sku=sku, value=barcode.value)
        for value in wanted:
            services.barcode_add(actor=scope.actor, sku=sku, value=value)
    kit_text = form.kit_text()
    if kit_text or sku.is_kit:
        services.kit_set_components(actor=scope.actor, kit=sku, components=_components(seller, kit_text))
    return sku


def _sku_form(request: HttpRequest, pk: Any = None) -> HttpResponse:
    scope = scope_for_request(request)
    seller = _seller(scope)
    sku = sku_get(scope, pk, permission=WRITE) if pk else None
    if request.method == "POST":
        form = SkuForm(request.POST, base_currency=seller.base_currency)
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = _save(form, scope=scope, seller=seller, sku=sku)
            except DomainError as exc:
                name = ERROR_FIELDS.get(exc.field or "", exc.field or "")
                form.add_error(name if name in form.fields else None, exc.detail)
            else:
                messages.success(request, _("SKU %(code)s saved.") % {"code": saved.code})
                return redirect("catalog:sku-detail", pk=saved.pk)
    else:
        initial = sku_initial(sku) if sku else {}
        form = SkuForm(initial=initial, base_currency=seller.base_currency)
    return render(request, "catalog/sku_form.html", {"form": form, "sku": sku})


@catalog_page
def sku_create(request: HttpRequest) -> HttpResponse:
    return _sku_form(request)


@catalog_page
def sku_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    return _sku_form(request, pk)


@catalog_page
@require_POST
def sku_status(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    _seller(scope)
    sku = sku_get(scope, pk, permission=WRITE)
    if request.POST.get("status") == SkuStatusChoices.DISCONTINUED:
        services.sku_discontinue(actor=scope.actor, sku=sku)
        messages.success(request, _("SKU %(code)s is discontinued.") % {"code": sku.code})
    else:
        services.sku_reactivate(actor=scope.actor, sku=sku)
        messages.success(request, _("SKU %(code)s is active again.") % {"code": sku.code})
    return redirect("catalog:sku-detail", pk=sku.pk)


@dataclass(frozen=True)
class ShownProblem:
    row: int | None
    column: str | None
    reason: str
    detail: str
    code: str


def _shown(problems: list[Problem]) -> list[ShownProblem]:
    return [ShownProblem(p.row, p.column, str(problem_reason(p.code)), p.detail, p.code) for p in problems]


@catalog_page
def catalog_import_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    seller = _seller(scope)
    problems: list[ShownProblem] = []
    checked = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = form.cleaned_data["dry_run"]
            try:
                result = catalog_import(
                    actor=scope.actor, seller=seller, file=upload, filename=upload.name or "", dry_run=dry_run
                )
            except ImportRejected as exc:
                problems = _shown(exc.problems)
            else:
                counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
                if dry_run:
                    checked = counts
                else:
                    messages.success(
                        request,
                        _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                        % counts,
                    )
                    return redirect("catalog:sku-list")
    else:
        form = ImportForm()
    return render(
        request,
        "catalog/import.html",
        {"form": form, "problems": problems, "checked": checked, "seller": seller},
    )


@catalog_page
def catalog_export_file(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Unknown file format."))
    skus = skus_visible(scope)
    skus = skus.none() if request.GET.get("template") else ListFilters.from_query(request.GET).apply(skus)
    exported = catalog_export(scope=scope, format=fmt, skus=skus)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


# --- products ----------------------------------------------------------------------------------------------
@catalog_page
def product_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    q = request.GET.get("q", "").strip()[:200]
    products = product_search(products_visible(scope), q).order_by("style_code")
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "can_write": _can_write(scope)}
    if getattr(request, "htmx", False):
        return render(request, "catalog/_product_results.html", context)
    return render(request, "catalog/product_list.html", context)


@catalog_page
def product_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    product = product_get(scope, pk)
    context = {
        "product": product,
        "colours": product_variants(product),
        "can_write": _can_write(scope) and scope.seller_id == product.seller_id,
    }
    return render(request, "catalog/product_detail.html", context)


def _product_form(request: HttpRequest, pk: Any = None) -> HttpResponse:
    scope = scope_for_request(request)
    seller = _seller(scope)
    product = product_get(scope, pk, permission=WRITE) if pk else None
    if request.method == "POST":
        form = ProductForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    if product is None:
                        product = services.product_create(
                            actor=scope.actor, seller=seller, **form.cleaned_data
                        )
                    else:
                        product = services.product_update(
                            actor=scope.actor, product=product, **form.cleaned_data
                        )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
            else:
                messages.success(request, _("Product %(code)s saved.") % {"code": product.style_code})
                return redirect("catalog:product-detail", pk=product.pk)
    else:
        initial = (
            {n: getattr(product, n) for n in ("style_code", "name_en", "name_zh", "brand", "category")}
            if product
            else {}
        )
        form = ProductForm(initial=initial)
    return render(request, "catalog/product_form.html", {"form": form, "product": product})


@catalog_page
def product_create(request: HttpRequest) -> HttpResponse:
    return _product_form(request)


@catalog_page
def product_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    return _product_form(request, pk)
