"""``/orders/settings/``: the seller's order settings — whether routing may split an order across warehouses.

Everyone of the seller with ``orders:read`` sees them; a member with ``orders:write`` (owner, order manager)
changes them through :func:`haicang.orders.routing.order_settings_set` (audited ``order_settings.changed``).
Operators have none (403)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haicang.orders.routing import order_settings_of, order_settings_set
from haicang.orders.selectors import READ, WRITE
from haicang.orders.settings_api import seller_of
from haicang.parties.access import scope_for_request
from haicang.web.pages import scoped_page


@scoped_page
@require_http_methods(["GET", "POST"])
def order_settings(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    seller_id = seller_of(scope)
    can_write = scope.can(WRITE)
    if request.method == "POST":
        scope.require(WRITE)
        allow_split = request.POST.get("allow_split") == "1"
        order_settings_set(actor=scope.actor, seller_id=seller_id, allow_split=allow_split)
        messages.success(request, _("Order settings saved."))
        return redirect("orders:order-settings")
    context = {"settings": order_settings_of(seller_id), "can_write": can_write}
    return render(request, "orders/settings.html", context)
