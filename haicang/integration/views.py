"""The webhook pages: subscriptions (list, create, detail with test event, secret rotation, on/off and recent
deliveries), the dead-letter list with replay, and the event catalogue.

Every read goes through the request's scope (``scope_for_request``; resource ``integration``): another party's
subscription answers 404, a role without ``integration:read`` 403, a write without ``integration:write`` 403.
Writes call :mod:`haicang.integration.services` with the signed-in user as the actor. Secrets are shown once,
on the answer to the create or rotate POST (``Cache-Control: no-store``), never again.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from haicang.core.actors import Actor
from haicang.core.errors import DomainError
from haicang.integration import selectors, services
from haicang.integration.catalogue import ENVELOPE_SCHEMA, event_types
from haicang.integration.forms import RotateForm, SubscriptionForm
from haicang.integration.labels import error_message, event_description
from haicang.integration.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from haicang.integration.relay import relay_attempt_now
from haicang.integration.selectors import READ, WRITE
from haicang.parties.access import scope_for_request
from haicang.parties.models import Operator, Seller
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope, scoped_get
from haicang.web.pages import scoped_page

RECENT_DELIVERIES = 50
DEAD_LETTERS_SHOWN = 200
EXCERPT_SHOWN = 60  # characters of the receiver's answer in a table cell (the full excerpt on hover)


def _party(scope: Scope, permission: str) -> Seller | Operator:
    """The party the request acts for, when it holds ``permission``; 403 otherwise."""
    scope.require(permission)
    if scope.party_kind is PartyKind.SELLER and scope.party_id is not None:
        return Seller.objects.get(pk=scope.party_id)
    if scope.party_kind is PartyKind.OPERATOR and scope.party_id is not None:
        return Operator.objects.get(pk=scope.party_id)
    raise AccessDenied("webhooks belong to a seller or an operator: act for one", permission=permission)


def _can_write(scope: Scope) -> bool:
    return scope.party_id is not None and scope.can(WRITE)


def _subscription(scope: Scope, pk: Any, permission: str = READ) -> WebhookSubscription:
    return scoped_get(WebhookSubscription.objects.all(), scope, permission=permission, pk=pk)


def _uuids(values: list[str]) -> list[uuid.UUID]:
    """The well-formed ids among ``values`` (a tampered form simply chooses fewer)."""
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(value))
        except ValueError:
            continue
    return out


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user)


def _secret_page(
    request: HttpRequest, subscription: WebhookSubscription, secret: str, *, rotated: bool
) -> HttpResponse:
    context = {"subscription": subscription, "secret": secret, "rotated": rotated}
    response = render(request, "integration/secret_shown.html", context)
    response["Cache-Control"] = "no-store"
    return response


# --- subscriptions -----------------------------------------------------------------------------------------
@scoped_page
@require_GET
def subscription_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    context = {
        "subscriptions": list(selectors.subscriptions(scope)),
        "can_write": _can_write(scope),
        "tab": "subscriptions",
    }
    return render(request, "integration/subscription_list.html", context)


@scoped_page
def subscription_create(request: HttpRequest) -> HttpResponse:
    """The form (GET); on POST the new subscription's secret is shown once, on this response only."""
    scope = scope_for_request(request)
    party = _party(scope, WRITE)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.webhook_subscription_create(
                actor=_actor(request),
                party=party,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                description=form.cleaned_data["description"],
            )
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(error_message(exc)))
        else:
            return _secret_page(request, subscription, secret, rotated=False)
    context = {"form": form, "tab": "subscriptions"}
    return render(
        request, "integration/subscription_form.html", context, status=400 if form.is_bound else 200
    )


def _delivery_rows(deliveries: list[WebhookDelivery]) -> list[dict[str, Any]]:
    return [
        {
            "delivery": d,
            "waiting": d.status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED),
            "answer": d.last_response_excerpt or d.last_error,
        }
        for d in deliveries
    ]


@scoped_page
@require_GET
def subscription_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    subscription = _subscription(scope, pk)
    recent = list(
        selectors.deliveries(scope)
        .filter(subscription=subscription)
        .order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
    )
    now = timezone.now()
    expires = subscription.previous_secret_expires_at
    context = {
        "subscription": subscription,
        "event_rows": [
            {
                "name": name,
                "description": next((event_description(e) for e in event_types() if e.name == name), ""),
            }
            for name in subscription.event_types
        ],
        "rows": _delivery_rows(recent),
        "shown": RECENT_DELIVERIES,
        "excerpt_chars": EXCERPT_SHOWN,
        "can_write": _can_write(scope),
        "previous_live_until": expires if expires is not None and expires > now else None,
        "next": request.get_full_path(),
        "tab": "subscriptions",
    }
    return render(request, "integration/subscription_detail.html", context)


@scoped_page
@require_POST
def subscription_test(request: HttpRequest, pk: Any) -> HttpResponse:
    """Queue a ``webhook.test`` event through the outbox for this subscription and try it at once.

    The delivery is the relay's like any other (claimed under a lease, signed, recorded); only its first
    attempt is made here, so the page can show the answer. A failed attempt goes on the normal retry schedule.
    """
    scope = scope_for_request(request)
    _party(scope, WRITE)
    subscription = _subscription(scope, pk, WRITE)
    try:
        delivery = services.webhook_test_send(actor=_actor(request), subscription=subscription)
    except DomainError as exc:
        messages.error(request, str(error_message(exc)))
        return redirect("integration:webhook-detail", pk=subscription.pk)
    delivery = relay_attempt_now(delivery)
    if delivery.status == DeliveryStatus.DELIVERED:
        messages.success(
            request,
            _("The test event was delivered: the receiver answered %(code)s.")
            % {"code": delivery.last_status_code},
        )
    elif delivery.status == DeliveryStatus.DEAD:
        messages.error(request, _("The test event failed for good: see its answer below."))
    elif delivery.attempts:
        messages.warning(request, _("The test event failed; it will be retried on the usual schedule."))
    else:
        messages.success(request, _("The test event is queued; the relay sends it within a minute."))
    return redirect("integration:webhook-detail", pk=subscription.pk)


@scoped_page
def subscription_rotate(request: HttpRequest, pk: Any) -> HttpResponse:
    """The rotation form (GET); on POST the new secret is shown once, the current one stays live as chosen."""
    scope = scope_for_request(request)
    _party(scope, WRITE)
    subscription = _subscription(scope, pk, WRITE)
    form = RotateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.webhook_secret_rotate(
                actor=_actor(request),
                subscription=subscription,
                keep_old_until=timezone.now() + form.keep_old_duration(),
            )
        except DomainError as exc:
            form.add_error(None, str(error_message(exc)))
        else:
            return _secret_page(request, subscription, secret, rotated=True)
    context = {"subscription": subscription, "form": form, "tab": "subscriptions"}
    return render(request, "integration/rotate.html", context, status=400 if form.is_bound else 200)


@scoped_page
@require_POST
def subscription_active(request: HttpRequest, pk: Any) -> HttpResponse:
    """Turn the subscription on (clearing its failures and its notice) or off."""
    scope = scope_for_request(request)
    _party(scope, WRITE)
    subscription = _subscription(scope, pk, WRITE)
    turn_on = request.POST.get("is_active") == "1"
    services.webhook_subscription_update(actor=_actor(request), subscription=subscription, is_active=turn_on)
    if turn_on:
        messages.success(request, _("The subscription is on again; deliveries waiting for it go out now."))
    else:
        messages.success(request, _("The subscription is off: no events are sent to it."))
    return redirect("integration:webhook-detail", pk=subscription.pk)


@scoped_page
@require_POST
def subscription_acknowledge(request: HttpRequest, pk: Any) -> HttpResponse:
    """Dismiss the notice that the relay turned the subscription off (it stays off)."""
    scope = scope_for_request(request)
    _party(scope, WRITE)
    subscription = _subscription(scope, pk, WRITE)
    services.webhook_disabled_acknowledge(actor=_actor(request), subscription=subscription)
    messages.success(request, _("Noted. The subscription stays off until you turn it on again."))
    return redirect("integration:webhook-detail", pk=subscription.pk)


# --- dead letters ------------------------------------------------------------------------------------------
@scoped_page
def dead_letter_list(request: HttpRequest) -> HttpResponse:
    """The dead letters of the party's subscriptions (GET); POST replays the chosen ones, or all of them."""
    scope = scope_for_request(request)
    if request.method == "POST":
        _party(scope, WRITE)
        chosen = selectors.dead_letters(scope)
        if request.POST.get("all") != "1":
            chosen = chosen.filter(pk__in=_uuids(request.POST.getlist("delivery")))
        picked = list(chosen)
        if not picked:
            messages.error(request, _("Choose the dead letters to replay."))
            return redirect("integration:dead-letters")
        count = services.webhook_deliveries_replay(actor=_actor(request), deliveries=picked)
        messages.success(
            request,
            ngettext(
                "%(count)s dead letter is queued again; the relay sends it within a minute.",
                "%(count)s dead letters are queued again; the relay sends them within a minute.",
                count,
            )
            % {"count": count},
        )
        return redirect("integration:dead-letters")
    scope.require(READ)
    dead = selectors.dead_letters(scope)
    total = dead.count()
    context = {
        "rows": _delivery_rows(list(dead[:DEAD_LETTERS_SHOWN])),
        "total": total,
        "shown": DEAD_LETTERS_SHOWN,
        "excerpt_chars": EXCERPT_SHOWN,
        "can_write": _can_write(scope),
        "next": request.get_full_path(),
        "tab": "dead-letters",
    }
    return render(request, "integration/dead_letters.html", context)


@scoped_page
@require_POST
def delivery_replay(request: HttpRequest, pk: Any) -> HttpResponse:
    """Replay one dead letter; back to the page it was replayed from."""
    scope = scope_for_request(request)
    _party(scope, WRITE)
    delivery = scoped_get(WebhookDelivery.objects.all(), scope, permission=WRITE, pk=pk)
    try:
        services.webhook_delivery_replay(actor=_actor(request), delivery=delivery)
    except DomainError as exc:
        messages.error(request, str(error_message(exc)))
    else:
        messages.success(request, _("The dead letter is queued again; the relay sends it within a minute."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = reverse("integration:dead-letters")
    return redirect(back)


# --- the event catalogue -----------------------------------------------------------------------------------
def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@login_required
@require_GET
def event_catalogue(request: HttpRequest) -> HttpResponse:
    """Every event type with its version, the JSON schema of its data and an example body, pretty-printed."""
    rows = []
    for event in event_types():
        example = {
            "id": "01936f2e-7a40-7c1e-9a3b-000000000abc",
            "type": event.name,
            "schema_version": event.schema_version,
            "occurred_at": "2026-03-02T15:04:05.123456Z",
            "subject": {"type": event.subject_type, "id": "…", "version": 42},
            "data": dict(event.example),
        }
        rows.append(
            {
                "event": event,
                "description": event_description(event),
                "schema": _pretty(dict(event.data_schema)),
                "example": _pretty(example),
            }
        )
    scope = scope_for_request(request)
    context = {
        "rows": rows,
        "envelope_schema": _pretty(ENVELOPE_SCHEMA),
        "can_read_webhooks": scope.can(READ),
        "tab": "events",
    }
    return render(request, "integration/event_catalogue.html", context)
