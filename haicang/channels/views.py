"""The channel account pages: list, add, edit (with disable/enable). Reads go through the request's scope
(resource ``orders``); writes call :mod:`haicang.channels.services` with the signed-in user as the actor.
Credentials are write-only: the pages say which names are set, never their values."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haicang.catalog.models import Sku
from haicang.channels import selectors, services, stock_sync
from haicang.channels.forms import AccountWarehousesForm, ChannelAccountForm, StockShareRuleForm
from haicang.channels.labels import error_message
from haicang.channels.models import AccountStatus, ChannelAccount, StockShareRule
from haicang.channels.selectors import READ, WRITE
from haicang.core.actors import Actor
from haicang.core.errors import DomainError
from haicang.parties.access import scope_for_request
from haicang.parties.models import Seller
from haicang.parties.scoping import AccessDenied, Scope, scoped_get
from haicang.web.pages import scoped_page


def _seller(scope: Scope) -> Seller:
    scope.require(WRITE)
    if scope.seller_id is None:
        raise AccessDenied("channel accounts belong to a seller: act for one", permission=WRITE)
    return Seller.objects.get(pk=scope.seller_id)


def _can_write(scope: Scope) -> bool:
    return scope.seller_id is not None and scope.can(WRITE)


def _account(scope: Scope, pk: Any, permission: str = READ) -> ChannelAccount:
    return scoped_get(ChannelAccount.objects.all(), scope, permission=permission, pk=pk)


def _form_error(form: ChannelAccountForm, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(error_message(exc)))


@scoped_page
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    accounts = list(selectors.channel_accounts(scope))
    rows = [
        {"account": a, "credential_names": sorted(services.channel_account_credentials(a))} for a in accounts
    ]
    return render(request, "channels/account_list.html", {"rows": rows, "can_write": _can_write(scope)})


@scoped_page
def account_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    seller = _seller(scope)
    form = ChannelAccountForm(request.POST or None, initial={"currency": seller.base_currency})
    if request.method == "POST" and form.is_valid():
        changes = form.service_changes()
        try:
            account = services.channel_account_create(
                actor=Actor.for_user(request.user),
                seller=seller,
                platform=form.cleaned_data["platform"],
                **changes,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Channel account “%(name)s” added.") % {"name": account.name})
            return redirect("channels:account-list")
    status = 400 if form.is_bound else 200
    return render(request, "channels/account_form.html", {"form": form, "account": None}, status=status)


@scoped_page
def account_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    account = _account(scope, pk)
    can_write = _can_write(scope)
    initial = {
        "name": account.name,
        "currency": account.currency,
        "external_shop_id": account.external_shop_id,
        "region": account.region,
    }
    form = ChannelAccountForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST":
        scope.require(WRITE)
        if form.is_valid():
            try:
                services.channel_account_update(
                    actor=Actor.for_user(request.user), account=account, **form.service_changes()
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Channel account saved."))
                return redirect("channels:account-list")
    context = {
        "form": form,
        "account": account,
        "can_write": can_write,
        "credential_names": sorted(services.channel_account_credentials(account)),
        **_stock_context(scope, account),
    }
    return render(request, "channels/account_form.html", context, status=400 if form.is_bound else 200)


STOCK_ROWS = 200


def _stock_context(
    scope: Scope,
    account: ChannelAccount,
    *,
    warehouses_form: AccountWarehousesForm | None = None,
    rule_form: StockShareRuleForm | None = None,
) -> dict[str, Any]:
    """The account page's stock sync part: its warehouses, its sharing rules and what it may sell per SKU."""
    levels = selectors.channel_stock_levels(scope).filter(account=account)
    return {
        "warehouses": account.warehouses.order_by("code"),
        "warehouses_form": warehouses_form
        or AccountWarehousesForm(
            initial={"warehouses": list(account.warehouses.all())},
            choices=stock_sync.seller_warehouses(account.seller_id),
        ),
        "share_rules": selectors.stock_share_rules(scope).filter(account=account),
        "rule_form": rule_form or StockShareRuleForm(initial={"mode": "percent", "buffer": 0}),
        "stock_levels": levels[:STOCK_ROWS],
        "stock_level_count": levels.count(),
        "stock_rows": STOCK_ROWS,
    }


def _render_account(
    request: HttpRequest, scope: Scope, account: ChannelAccount, **forms: Any
) -> HttpResponse:
    context = {
        "form": ChannelAccountForm(
            initial={
                "name": account.name,
                "currency": account.currency,
                "external_shop_id": account.external_shop_id,
                "region": account.region,
            },
            editing=True,
        ),
        "account": account,
        "can_write": _can_write(scope),
        "credential_names": sorted(services.channel_account_credentials(account)),
        **_stock_context(scope, account, **forms),
    }
    return render(request, "channels/account_form.html", context, status=400)


@scoped_page
@require_POST
def account_warehouses(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    account = _account(scope, pk, permission=WRITE)
    form = AccountWarehousesForm(request.POST, choices=stock_sync.seller_warehouses(account.seller_id))
    if form.is_valid():
        try:
            stock_sync.channel_account_warehouses_set(
                actor=Actor.for_user(request.user),
                account=account,
                warehouses=list(form.cleaned_data["warehouses"]),
            )
        except DomainError as exc:
            form.add_error(None, str(error_message(exc)))
        else:
            messages.success(request, _("Warehouses saved; the channel stock was recomputed."))
            return redirect("channels:account-edit", pk=account.pk)
    return _render_account(request, scope, account, warehouses_form=form)


@scoped_page
@require_POST
def share_rule_set(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    account = _account(scope, pk, permission=WRITE)
    form = StockShareRuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        sku = None
        if data["sku_code"].strip():
            sku = Sku.objects.filter(seller_id=account.seller_id, code=data["sku_code"].strip()).first()
            if sku is None:
                form.add_error("sku_code", _("You have no SKU with this code."))
        if not form.errors:
            fixed = data["mode"] == "fixed"
            try:
                stock_sync.stock_share_rule_set(
                    actor=Actor.for_user(request.user),
                    account=account,
                    sku=sku,
                    mode=data["mode"],
                    percent=None if fixed else data["value"],
                    quantity=data["value"] if fixed else None,
                    buffer=data["buffer"] or 0,
                )
            except DomainError as exc:
                field = {"percent": "value", "quantity": "value", "sku": "sku_code"}.get(
                    exc.field or "", exc.field
                )
                form.add_error(field if field in form.fields else None, str(error_message(exc)))
            else:
                messages.success(request, _("Sharing rule saved; the channel stock was recomputed."))
                return redirect("channels:account-edit", pk=account.pk)
    return _render_account(request, scope, account, rule_form=form)


@scoped_page
@require_POST
def share_rule_delete(request: HttpRequest, pk: Any, rule_id: Any) -> HttpResponse:
    scope = scope_for_request(request)
    account = _account(scope, pk, permission=WRITE)
    rule = scoped_get(StockShareRule.objects.filter(account=account), scope, permission=WRITE, pk=rule_id)
    stock_sync.stock_share_rule_delete(actor=Actor.for_user(request.user), rule=rule)
    messages.success(request, _("Sharing rule removed."))
    return redirect("channels:account-edit", pk=account.pk)


@scoped_page
@require_POST
def account_status(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    account = _account(scope, pk, permission=WRITE)
    actor = Actor.for_user(request.user)
    if request.POST.get("status") == AccountStatus.DISABLED:
        services.channel_account_disable(actor=actor, account=account)
        messages.success(request, _("Channel account disabled."))
    else:
        services.channel_account_enable(actor=actor, account=account)
        messages.success(request, _("Channel account enabled."))
    return redirect("channels:account-edit", pk=account.pk)
