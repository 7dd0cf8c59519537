"""The app's side of the carrier interface: which adapter serves a network carrier, which of its services
stands for a network service, and the sandbox carrier's ledger kept in the database.

- :func:`adapter_for_carrier` — ``carriers.adapter_for`` for the carrier's code (``UPS``, ``Royal Mail``…);
  a carrier code no adapter knows (an operator's own, a demo's) is served by the generic ``sandbox`` carrier;
- :func:`sandbox_service_code` — the sandbox service standing for a network service: the one whose code the
  network service's code ends with (``UPS-GROUND`` → ``ground``), else the one of the right reach
  (domestic or international) whose transit days are nearest to the service's default, then the cheapest;
- :class:`DatabaseLedger` — the :class:`~haicang.fulfillment.carriers.base.SandboxLedger` of the app: serial
  numbers from the race-free document sequences (one per carrier), labels found on the parcels themselves.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence

from haicang.core.sequences import document_numbers_take
from haicang.fulfillment.carriers.base import (
    CarrierAdapter,
    CarrierCode,
    CarrierUnknown,
    SandboxLabel,
    adapter_for,
    carrier_code_normalise,
)
from haicang.fulfillment.carriers.sandbox import CARRIERS
from haicang.network.models import CarrierService

# The scope of the sandbox's serial counters in the document sequences (no party owns them).
SANDBOX_SCOPE = uuid.UUID("00000000-0000-7000-8000-00005a4db0c5")
SERIAL_YEAR = 2000  # the counters never restart with the year
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def adapter_code(carrier_code: str) -> str:
    """The adapter's code for a network carrier code: the known carrier, else ``sandbox``."""
    code = carrier_code_normalise(carrier_code)
    return code if code in CARRIERS else str(CarrierCode.SANDBOX)


def adapter_for_carrier(carrier_code: str) -> CarrierAdapter:
    try:
        return adapter_for(adapter_code(carrier_code), ledger=DatabaseLedger())
    except CarrierUnknown:  # pragma: no cover - adapter_code() only names known carriers
        return adapter_for(str(CarrierCode.SANDBOX), ledger=DatabaseLedger())


def sandbox_service_code(carrier_code: str, service: CarrierService, *, international: bool) -> str:
    """The sandbox service of ``carrier_code``'s adapter that stands for ``service`` (module docstring)."""
    spec = CARRIERS[adapter_code(carrier_code)]
    suffix = service.code.lower().replace("-", "_")
    for candidate in spec.services:
        if suffix.endswith(candidate.code):
            return candidate.code
    reach = [s for s in spec.services if not spec.home_country or s.international == international] or list(
        spec.services
    )
    days = service.transit_days_default or 3
    return min(reach, key=lambda s: (abs(s.transit_days - days), s.base, s.code)).code


class DatabaseLedger:
    """The sandbox carrier's counters and labels, in the database (see the module's docstring)."""

    def serials_next(self, carrier_code: str, count: int) -> int:
        prefix = ("SBX" + _NOT_ALNUM.sub("", carrier_code.upper()))[:12]
        numbers = document_numbers_take(scope=SANDBOX_SCOPE, prefix=prefix, year=SERIAL_YEAR, count=count)
        return int(numbers[0].rsplit("-", 1)[1])

    def labels_record(self, labels: Sequence[SandboxLabel]) -> None:
        """Nothing to do: the label service stores each tracking number on its parcel."""

    def label_get(self, carrier_code: str, tracking_number: str) -> SandboxLabel | None:
        from haicang.fulfillment.models import Parcel

        code = adapter_code(carrier_code)
        for parcel in Parcel.objects.filter(
            tracking_number=tracking_number, labelled_at__isnull=False
        ).select_related("carrier_service", "warehouse", "outbound__request"):
            if adapter_code(parcel.carrier_code) != code:
                continue
            international = parcel.warehouse.country.upper() != parcel.outbound.request.ship_country.upper()
            service = (
                sandbox_service_code(parcel.carrier_code, parcel.carrier_service, international=international)
                if parcel.carrier_service is not None
                else parcel.service_code
            )
            labelled_at = parcel.labelled_at or dt.datetime.now(dt.UTC)
            return SandboxLabel(code, service, parcel.tracking_number, labelled_at, international)
        return None
