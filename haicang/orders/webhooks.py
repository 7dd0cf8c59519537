"""Order webhooks of the platforms: Shopify's ``orders/create`` (and ``orders/updated``, ``orders/cancelled``,
which carry the same order JSON).

``POST /api/v1/channel-webhooks/shopify/<channel account id>/orders/`` — the URL given to Shopify per store.
The body's HMAC (``X-Shopify-Hmac-Sha256``) is checked with the account's **sealed** webhook secret through
``haicang.channels.services.channel_webhook_verify`` before the body is even parsed; then the order is ingested
in one short transaction and the answer is 200 at once (Shopify waits 5 s and retries a non-2xx answer, so a
replay is expected and idempotent). No session, no API key, no CSRF token: the signature is the credential.

Answers: 200 ``{"order", "outcome"}``; 200 ``{"ignored": …}`` for another topic or a disabled account (so
Shopify stops retrying); 401 bad or missing signature (also when the account has no webhook secret); 404 no
such Shopify account; 400 a body that is not a Shopify order (``channels.payload_invalid``).
"""

from __future__ import annotations

import logging
import uuid

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haicang.channels.connectors import connector_for
from haicang.channels.connectors.base import load_json
from haicang.channels.models import AccountStatus, ChannelAccount
from haicang.channels.services import channel_webhook_verify
from haicang.core.actors import Actor
from haicang.core.api.problems import PROBLEM_CONTENT_TYPE, problem_body
from haicang.core.errors import DomainError
from haicang.orders.services import order_ingest

logger = logging.getLogger(__name__)
SHOPIFY_TOPICS = frozenset({"orders/create", "orders/updated", "orders/cancelled"})
WEBHOOK_ACTOR = Actor.system("channels.shopify-webhook")


def _problem(request: HttpRequest, status: int, code: str, title: str, detail: str) -> JsonResponse:
    body = problem_body(status=status, code=code, title=title, detail=detail, instance=request.path)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


@csrf_exempt
@require_POST
def shopify_order_webhook(request: HttpRequest, account_id: uuid.UUID) -> JsonResponse:
    account = ChannelAccount.objects.filter(pk=account_id, platform="shopify").first()
    if account is None:
        return _problem(request, 404, "not_found", "Not found", "no Shopify channel account with this id")
    raw = request.body
    if not channel_webhook_verify(account=account, headers=request.headers, raw_body=raw):
        logger.warning("shopify webhook for account %s: signature rejected", account.pk)
        return _problem(
            request,
            401,
            "orders.webhook_rejected",
            "Signature rejected",
            "the HMAC of the body does not match",
        )
    topic = request.headers.get("X-Shopify-Topic", "orders/create")
    if topic not in SHOPIFY_TOPICS:
        return JsonResponse({"ignored": f"topic {topic}"})
    if account.status != AccountStatus.ACTIVE:
        return JsonResponse({"ignored": "the channel account is disabled"})
    try:
        normalised = connector_for("shopify").parse_order(load_json(raw))
        result = order_ingest(
            actor=WEBHOOK_ACTOR, account=account, normalised=normalised, source="webhook:shopify"
        )
    except DomainError as exc:
        logger.warning("shopify webhook for account %s: %s", account.pk, exc.code)
        return _problem(request, exc.status, exc.code, str(exc.title), exc.detail)
    except ValueError:
        return _problem(request, 400, "channels.payload_invalid", "Not JSON", "the body is not JSON")
    return JsonResponse({"order": str(result.order.pk), "outcome": result.outcome})
