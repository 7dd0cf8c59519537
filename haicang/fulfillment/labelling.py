"""Labels: buy a packed parcel's label from its carrier and keep it as PDF and ZPL; void it before it ships
(docs/fulfillment.md, "Labels").

- :func:`parcel_label` — through ``carriers.adapter_for`` (``carrier_ledger.adapter_for_carrier``: a carrier no
  adapter knows is served by the sandbox carrier) for the service rate shopping chose: the tracking number, then
  the 4×6 in label drawn by ``label_pdf`` and ``label_zpl`` (or the carrier's own files). The ship-to is read
  from the request's sealed fields (an audited read, purpose "shipping label"). A label holds the customer's
  name and address, so both formats are stored **sealed** (AES-GCM, bound to the parcel): the PDF through
  Django's default storage (``Parcel.label_pdf``, ``labels/<year>/<month>/<parcel>.pdf.sealed``), the ZPL in
  ``Parcel.label_zpl`` (``sealed:`` + base64). The parcel becomes ``labelled``;
- :func:`parcel_label_document` — the label in clear for a download or a printer (every read is audited);
- :func:`parcel_label_void` — the carrier cancels the label (refused once the carrier has scanned the parcel):
  the parcel becomes ``voided``, its label is deleted and its units are to pack again (the outbound goes back
  to ``picked`` when no live parcel is left);
- :func:`parcels_void` — every live parcel of an outbound being cancelled (a cancellation accepted once it was
  packed): labels cancelled with the carrier, parcels ``voided``; refused when one has left.
"""

from __future__ import annotations

import base64
import datetime as dt
from functools import partial
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.crypto import seal, unseal
from haicang.core.files import file_delete, file_read, file_store
from haicang.fulfillment import progress
from haicang.fulfillment.carrier_ledger import adapter_code, adapter_for_carrier, sandbox_service_code
from haicang.fulfillment.carriers.base import LabelFormat, LabelRequest
from haicang.fulfillment.carriers.base import Parcel as CarrierParcel
from haicang.fulfillment.errors import LabelMissing, LabelRefused, NoServiceFits
from haicang.fulfillment.label_pdf import shipping_labels_pdf
from haicang.fulfillment.label_zpl import shipping_labels_zpl
from haicang.fulfillment.models import Outbound, OutboundStatus, Parcel, ParcelStatus
from haicang.fulfillment.outbound import require
from haicang.fulfillment.shipping_label import shipping_labels
from haicang.network.models import Warehouse
from haicang.orders.fulfilment import request_contact_read
from haicang.orders.models_fulfilment import FulfillmentRequest

SEALED_PREFIX = "sealed:"
FORMATS = (LabelFormat.PDF, LabelFormat.ZPL)


def _context(parcel: Parcel, fmt: str) -> bytes:
    return f"fulfillment.parcel:{parcel.pk}:label_{fmt}".encode("ascii")


def _sender(warehouse: Warehouse) -> str:
    lines = [
        warehouse.name,
        warehouse.address_line1,
        warehouse.address_line2,
        " ".join(p for p in (warehouse.postcode, warehouse.city) if p),
        warehouse.country,
    ]
    return "\n".join(line for line in lines if line)


def _recipient(actor: Actor, request: FulfillmentRequest) -> str:
    contact = request_contact_read(actor=actor, request=request, purpose="shipping label")
    lines = [
        contact.name,
        contact.company,
        *contact.street_lines,
        " ".join(p for p in (request.ship_postcode, request.ship_city, request.ship_region) if p),
        request.ship_country,
    ]
    return "\n".join(line for line in lines if line)


def shipment_for(actor: Actor, parcel: Parcel, outbound: Outbound) -> LabelRequest:
    """The parcel as its carrier sees it (reads the sealed ship-to: an audited read)."""
    service = parcel.carrier_service
    assert service is not None  # noqa: S101 - checked by the caller
    request = outbound.request
    return LabelRequest(
        carrier_code=adapter_code(service.carrier.code),
        service_code=sandbox_service_code(
            service.carrier.code,
            service,
            international=outbound.warehouse.country.upper() != request.ship_country.upper(),
        ),
        sender=_sender(outbound.warehouse),
        recipient=_recipient(actor, request),
        parcels=(CarrierParcel(parcel.weight_g, parcel.length_mm, parcel.width_mm, parcel.height_mm),),
        reference=request.order_number,
        origin_country=outbound.warehouse.country,
        destination_country=request.ship_country,
        destination_postcode=request.ship_postcode,
    )


def _labellable(parcel: Parcel) -> tuple[Outbound, Parcel]:
    """Lock the parcel (pick lists → outbound → parcel) and check it can be labelled."""
    outbound = progress.outbound_lock(parcel.outbound)
    parcel = (
        Parcel.objects.select_for_update(of=("self",))
        .select_related("carrier_service__carrier")
        .get(pk=parcel.pk)
    )
    if parcel.status != ParcelStatus.PACKED:
        raise LabelRefused(
            f"{parcel.number} is {parcel.status}: only a packed parcel without a label is labelled",
            field="status",
            status=parcel.status,
        )
    require(outbound, OutboundStatus.PACKED, action="label its parcels")
    if parcel.carrier_service is None:
        raise NoServiceFits(
            f"{parcel.number} has no carrier service: {parcel.rate_reason or 'rate it first'}",
            field="service",
        )
    return outbound, parcel


def parcel_label(*, actor: Actor, parcel: Parcel, now: dt.datetime | None = None) -> Parcel:
    """Buy the label of a packed, rated parcel and store it (module docstring). Raises LabelRefused
    (``label.refused``) for a parcel already labelled, shipped or voided, NoServiceFits when it has no
    service, and the carrier's errors (``carrier.*``).

    The carrier is called and the label drawn **outside** the database transaction (no lock is held while a
    carrier answers or a PDF is drawn); the parcel is then locked and checked again — when it changed meanwhile
    (labelled by someone else, re-rated), the label just bought is voided with the carrier and the call refused.
    """
    now = now or timezone.now()
    with transaction.atomic():
        outbound, parcel = _labellable(parcel)
        outbound = Outbound.objects.select_related("warehouse", "request").get(pk=outbound.pk)
        shipment = shipment_for(actor, parcel, outbound)  # the audited read of the ship-to
    service = parcel.carrier_service
    assert service is not None  # noqa: S101 - checked by _labellable
    version = parcel.version
    adapter = adapter_for_carrier(service.carrier.code)
    result = adapter.label(shipment, service_code=shipment.service_code)
    [tracking_number] = result.tracking_numbers
    try:
        local = now.astimezone(ZoneInfo(outbound.warehouse.time_zone)).date()
        labels = shipping_labels(shipment, result, carrier_name=service.carrier.name, ship_date=local)
        pdf = result.documents.get(LabelFormat.PDF) or shipping_labels_pdf(labels, title=parcel.number)
        zpl = result.documents.get(LabelFormat.ZPL) or shipping_labels_zpl(labels).encode()
        sealed_pdf = seal(pdf, context=_context(parcel, "pdf"))
        sealed_zpl = SEALED_PREFIX + base64.b64encode(seal(zpl, context=_context(parcel, "zpl"))).decode()
    except Exception:
        adapter.cancel(tracking_number)  # nothing will name this label
        raise
    path = f"labels/{now:%Y}/{now:%m}/{parcel.number}.pdf.sealed"
    name = file_store(actor=actor, path=path, content=sealed_pdf)
    try:
        with transaction.atomic():
            outbound, parcel = _labellable(parcel)
            if parcel.version != version:
                raise LabelRefused(
                    f"{parcel.number} changed while its label was bought: try again", field="parcel"
                )
            parcel.label_pdf.name, parcel.label_zpl = name, sealed_zpl
            parcel.status, parcel.tracking_number, parcel.labelled_at = (
                ParcelStatus.LABELLED,
                tracking_number,
                now,
            )
            parcel.version += 1
            parcel.save()
            audit_record(
                actor=actor,
                action="parcel.labelled",
                subject=parcel,
                before={"status": ParcelStatus.PACKED},
                after={
                    "status": parcel.status,
                    "carrier": parcel.carrier_code,
                    "service": parcel.service_code,
                    "carrier_service": result.service_code,
                    "tracking_number": tracking_number,
                    "sandbox": result.is_sandbox,
                },
                occurred_at=now,
            )
    except Exception:
        file_delete(actor=actor, path=name)  # the row that would name it is not written
        adapter.cancel(tracking_number)
        raise
    return parcel


def parcel_label_document(*, actor: Actor, parcel: Parcel, fmt: str) -> bytes:
    """The parcel's label in clear (``pdf`` or ``zpl``), for a download or a printer; the read is audited."""
    if fmt not in FORMATS:
        raise LabelMissing(f"labels come as {', '.join(FORMATS)}, not {fmt!r}", field="format")
    if parcel.status not in (ParcelStatus.LABELLED, ParcelStatus.SHIPPED) or not parcel.tracking_number:
        raise LabelMissing(f"{parcel.number} has no label", field="parcel")
    if fmt == LabelFormat.PDF:
        if not parcel.label_pdf:
            raise LabelMissing(f"{parcel.number} has no PDF label", field="parcel")
        plain = unseal(file_read(path=str(parcel.label_pdf.name)), context=_context(parcel, "pdf"))
    else:
        if not parcel.label_zpl.startswith(SEALED_PREFIX):
            raise LabelMissing(f"{parcel.number} has no ZPL label", field="parcel")
        sealed = base64.b64decode(parcel.label_zpl[len(SEALED_PREFIX) :])
        plain = unseal(sealed, context=_context(parcel, "zpl"))
    with transaction.atomic():
        audit_record(actor=actor, action="parcel.label_read", subject=parcel, after={"format": fmt})
    return plain


def parcel_label_void(
    *, actor: Actor, parcel: Parcel, reason: str = "", now: dt.datetime | None = None
) -> Parcel:
    """Cancel a labelled parcel's label with its carrier (module docstring). Raises LabelRefused when the
    parcel has no label, has shipped, or the carrier refuses (``already_in_transit``)."""
    now = now or timezone.now()
    with transaction.atomic():
        outbound = progress.outbound_lock(parcel.outbound)
        parcel = (
            Parcel.objects.select_for_update(of=("self",))
            .select_related("carrier_service__carrier")
            .get(pk=parcel.pk)
        )
        if parcel.status != ParcelStatus.LABELLED:
            raise LabelRefused(
                f"{parcel.number} is {parcel.status}: only a label not yet shipped can be voided",
                field="status",
                status=parcel.status,
            )
        answer = adapter_for_carrier(parcel.carrier_code).cancel(parcel.tracking_number)
        if not answer.cancelled:
            raise LabelRefused(
                f"the carrier refused to void {parcel.tracking_number}: {answer.reason}",
                field="parcel",
                carrier_reason=answer.reason,
            )
        stored = parcel.label_pdf.name if parcel.label_pdf else ""
        parcel.status = ParcelStatus.VOIDED
        parcel.label_pdf.name, parcel.label_zpl = "", ""
        parcel.version += 1
        parcel.save()
        if stored:
            transaction.on_commit(lambda: file_delete(actor=actor, path=stored))
        previous = outbound.status
        if not outbound.parcels.exclude(status=ParcelStatus.VOIDED).exists():
            outbound.status, outbound.packed_at = OutboundStatus.PICKED, None
            outbound.version += 1
            outbound.save(update_fields=["status", "packed_at", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="parcel.label_voided",
            subject=parcel,
            before={"status": ParcelStatus.LABELLED, "tracking_number": parcel.tracking_number},
            after={"status": parcel.status, "outbound": outbound.status, "reason": reason.strip()[:300]},
            summary=reason.strip()[:200],
            occurred_at=now,
        )
        if previous != outbound.status:
            audit_record(
                actor=actor,
                action="outbound.unpacked",
                subject=outbound,
                before={"status": previous},
                after={"status": outbound.status},
                occurred_at=now,
            )
        return parcel


def parcels_void(
    *, actor: Actor, outbound: Outbound, reason: str, now: dt.datetime | None = None
) -> list[Parcel]:
    """Void every live parcel of ``outbound``, which is being cancelled (the caller holds its lock and closes
    it): a labelled parcel's label is cancelled with its carrier and its files deleted, a packed one without a
    label is simply voided. The outbound's status is the caller's. Refused (``label.refused``, nothing changed
    here) when a parcel was confirmed shipped or a carrier refuses (it has scanned the parcel already)."""
    now = now or timezone.now()
    parcels = list(
        Parcel.objects.select_for_update(of=("self",))
        .filter(outbound_id=outbound.pk)
        .exclude(status=ParcelStatus.VOIDED)
        .order_by("number")
    )
    shipped = [p.number for p in parcels if p.status == ParcelStatus.SHIPPED]
    if shipped:
        raise LabelRefused(
            f"{', '.join(shipped)} left with the carrier already: it cannot be cancelled here",
            field="parcel",
            status=ParcelStatus.SHIPPED,
        )
    for parcel in parcels:
        previous = parcel.status
        if previous == ParcelStatus.LABELLED:
            answer = adapter_for_carrier(parcel.carrier_code).cancel(parcel.tracking_number)
            if not answer.cancelled:
                raise LabelRefused(
                    f"the carrier refused to void {parcel.tracking_number}: {answer.reason}",
                    field="parcel",
                    carrier_reason=answer.reason,
                )
        stored = parcel.label_pdf.name if parcel.label_pdf else ""
        parcel.status = ParcelStatus.VOIDED
        parcel.label_pdf.name, parcel.label_zpl = "", ""
        parcel.version += 1
        parcel.save()
        if stored:
            transaction.on_commit(partial(file_delete, actor=actor, path=stored))
        audit_record(
            actor=actor,
            action="parcel.label_voided" if previous == ParcelStatus.LABELLED else "parcel.voided",
            subject=parcel,
            before={"status": previous, "tracking_number": parcel.tracking_number},
            after={"status": parcel.status, "reason": reason.strip()[:300]},
            summary=reason.strip()[:200],
            occurred_at=now,
        )
    return parcels
