"""The secrets carriers sign an operator's tracking webhooks with (docs/fulfillment.md, "Tracking": "Webhook
signing").

One secret per operator and carrier code (``TrackingWebhookSecret``), **sealed** at rest (AES-GCM under the
data keyring, bound to the row: context ``tracking-webhook-secret:<id>``) and shown once, when issued. Issuing
again rotates it: the previous secret stays valid for 24 hours by default (at most 7 days; ``keep_old_until``)
so the carrier can switch over. The scheme is Haicang's own webhook signature
(``haicang.integration.signing``): ``Haicang-Timestamp`` (Unix seconds) and ``Haicang-Signature: v1=<hex>``,
the hex HMAC-SHA256 with the secret over ``<timestamp>.<raw body>``; a timestamp more than 5 minutes from
Haicang's clock is refused (replays).
"""

from __future__ import annotations

import datetime as dt
import secrets as secrets_module
import uuid

from django.db import transaction
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.crypto import UnsealError, seal, unseal
from haicang.fulfillment.carriers.base import carrier_code_normalise
from haicang.fulfillment.errors import TrackingCarrierUnknown, TrackingInvalid
from haicang.fulfillment.models import TrackingWebhookSecret
from haicang.fulfillment.tracking import carrier_known
from haicang.integration.signing import SignatureRejected, signature_verify
from haicang.parties.models import Operator

SECRET_PREFIX = "trksec_"  # noqa: S105 - a prefix, not a secret
DEFAULT_OVERLAP = dt.timedelta(hours=24)
MAX_OVERLAP = dt.timedelta(days=7)


def seal_context(row: TrackingWebhookSecret) -> bytes:
    return f"tracking-webhook-secret:{row.pk}".encode("ascii")


def _open(row: TrackingWebhookSecret, sealed: bytes | memoryview) -> str:
    return unseal(bytes(sealed), context=seal_context(row)).decode()


def live_secrets(row: TrackingWebhookSecret, *, now: dt.datetime | None = None) -> list[str]:
    """The secrets a webhook may be signed with: the current one, and the previous one until it expires."""
    now = now or timezone.now()
    live = [_open(row, row.secret_sealed)]
    previous, expires = row.previous_secret_sealed, row.previous_secret_expires_at
    if previous and expires is not None and expires > now:
        live.append(_open(row, previous))
    return live


def tracking_webhook_secret_issue(
    *, actor: Actor, operator: Operator, carrier_code: str, keep_old_until: dt.datetime | None = None
) -> tuple[TrackingWebhookSecret, str]:
    """A new secret for the operator's webhooks of ``carrier_code`` (shown this once). A secret already there
    is rotated: it stays valid until ``keep_old_until`` (default 24 h, at most 7 days; now: at once). Raises
    TrackingCarrierUnknown, TrackingInvalid."""
    code = carrier_code_normalise(carrier_code)
    if not carrier_known(operator.pk, code):
        raise TrackingCarrierUnknown(f"no carrier {carrier_code!r} is known", field="carrier_code")
    now = timezone.now()
    until = now + DEFAULT_OVERLAP if keep_old_until is None else keep_old_until
    if timezone.is_naive(until):
        raise TrackingInvalid("the time the old secret expires needs a time zone", field="keep_old_until")
    if until > now + MAX_OVERLAP:
        raise TrackingInvalid("the old secret may stay valid for at most 7 days", field="keep_old_until")
    secret = SECRET_PREFIX + secrets_module.token_urlsafe(32)
    with transaction.atomic():
        row = (
            TrackingWebhookSecret.objects.select_for_update()
            .filter(operator=operator, carrier_code=code)
            .first()
        )
        if row is None:
            row = TrackingWebhookSecret(operator=operator, carrier_code=code, secret_created_at=now)
            row.secret_sealed = seal(
                secret.encode(), context=seal_context(row)
            )  # the id is set on construction
            row.save(force_insert=True)
            action, after = "tracking.webhook_secret_issued", {"carrier_code": code}
        else:
            row.previous_secret_sealed = row.secret_sealed  # sealed to the same row
            row.previous_secret_expires_at = max(until, now)
            row.secret_sealed = seal(secret.encode(), context=seal_context(row))
            row.secret_created_at = now
            row.save()
            action = "tracking.webhook_secret_rotated"
            after = {
                "carrier_code": code,
                "previous_secret_expires_at": row.previous_secret_expires_at.isoformat(),
            }
        audit_record(actor=actor, action=action, subject=row, after=after, summary=f"{operator.code}: {code}")
    return row, secret


def tracking_webhook_secret_delete(*, actor: Actor, row: TrackingWebhookSecret) -> None:
    """Stop accepting the carrier's webhooks (every call is refused until a new secret is issued)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="tracking.webhook_secret_deleted",
            subject=row,
            before={"carrier_code": row.carrier_code},
        )
        row.delete()


def tracking_webhook_verify(
    *,
    operator_id: uuid.UUID,
    carrier_code: str,
    body: bytes,
    timestamp: str,
    signature: str,
    now: dt.datetime | None = None,
) -> TrackingWebhookSecret:
    """The operator's secret row for the carrier if ``signature`` signs ``timestamp.body`` with one of its live
    secrets within the replay window; else SignatureRejected (also when no secret was issued)."""
    row = TrackingWebhookSecret.objects.filter(
        operator_id=operator_id, carrier_code=carrier_code_normalise(carrier_code)
    ).first()
    if row is None:
        raise SignatureRejected("no webhook secret is issued for this carrier")
    moment = now or timezone.now()
    try:
        live = live_secrets(row, now=moment)
    except UnsealError:
        raise SignatureRejected("the secret cannot be opened") from None
    signature_verify(
        body=body, timestamp=timestamp, signature=signature, secrets=live, now=moment.timestamp()
    )
    return row


def register_sealed_fields() -> None:
    """``haicang rotate-keys`` re-seals both secret columns (called from ``FulfillmentConfig.ready()``)."""
    from haicang.core.sealing import sealed_field_register

    for column in ("secret_sealed", "previous_secret_sealed"):
        sealed_field_register(TrackingWebhookSecret, column, context=seal_context)
