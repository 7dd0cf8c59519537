"""The built-in sandbox carrier: rates, labels, voids and tracking without a carrier account. Pure: no Django.

One :class:`SandboxCarrier` stands in for each real carrier (``SandboxCarrier("ups", ledger=…)``) and for the
generic ``sandbox`` carrier. It

- **rates** a shipment with each of the carrier's sandbox services (:data:`CARRIERS`, :mod:`.sandbox_services`): base price + price per
  started kilogram of the billable weight (the larger of the actual and the dimensional weight), domestic
  services for the carrier's home country and international ones elsewhere. These are demo prices; rate
  shopping proper uses the operator's rate cards (``haicang.network.rates``);
- **labels** a shipment: one tracking number per parcel, well formed in the real carrier's format with its check
  digit (:mod:`.formats`): UPS ``1Z…``, USPS 22-digit IMpb or S10 ``…US``, FedEx 12 digits, DHL 10 (Express)
  or 12 (Paket) digits, Royal Mail S10 ``…GB``, Evri 16 characters, Hermes 14 digits, DPD 14 digits, GLS 12
  digits. A number is a function of the carrier, the service and a serial the :class:`SandboxLedger` hands out,
  so it is the same for the same serial (deterministic) and never repeats (unique) while the ledger's counter
  does not; a format that runs out of serials raises ``carrier.serials_exhausted``. The shipper account, mailer
  ID and depot parts are the sandbox's own (``SANDBOX_ACCOUNT``);
- **voids** a label until the parcel's first scan by the carrier (then ``already_in_transit``);
- **tracks** a parcel with a plausible timeline that starts at the label time and is the same every time for
  one tracking number (:mod:`.sandbox_timeline`), cut at the adapter's clock.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

from haicang.core.money import Money
from haicang.fulfillment.carriers import formats
from haicang.fulfillment.carriers.base import (
    CARRIER_NAMES,
    CancelReason,
    CancelResult,
    CarrierUnknown,
    LabelFormat,
    LabelledParcel,
    LabelRequest,
    LabelResult,
    RateResult,
    RawTrackingEvent,
    SandboxLabel,
    SandboxLedger,
    SerialsExhausted,
    ServiceKind,
    ServiceUnknown,
    ShipmentInvalid,
    carrier_code_normalise,
)
from haicang.fulfillment.carriers.formats import tracking_number_format, tracking_number_valid
from haicang.fulfillment.carriers.sandbox_services import (
    CARRIERS,
    SANDBOX_ACCOUNT,
    SandboxCarrierSpec,
    SandboxService,
)
from haicang.fulfillment.carriers.sandbox_timeline import sandbox_timeline

__all__ = [
    "CARRIERS",
    "SANDBOX_ACCOUNT",
    "MemoryLedger",
    "SandboxCarrier",
    "SandboxCarrierSpec",
    "SandboxService",
    "tracking_number_format",
    "tracking_number_issue",
    "tracking_number_valid",
]


def tracking_number_issue(carrier_code: str, service: SandboxService, serial: int) -> str:
    """The sandbox tracking number of ``serial`` for ``service`` of ``carrier_code``. Raises SerialsExhausted
    when the format has no room for ``serial``."""
    kind, _, part = service.number.partition(":")
    country = {"usps": "US", "royal_mail": "GB", "dhl": "DE"}.get(carrier_code, "GB")
    builders: dict[str, Callable[[], str]] = {
        "ups": lambda: formats.ups_number(SANDBOX_ACCOUNT["ups_shipper"], part, serial),
        "impb": lambda: formats.usps_impb(part, SANDBOX_ACCOUNT["usps_mailer_id"], serial),
        "s10": lambda: formats.s10_number(part, serial, country),
        "fedex": lambda: formats.fedex_number(serial),
        "dhl_express": lambda: formats.dhl_express_number(serial),
        "dhl_paket": lambda: formats.dhl_paket_number(serial),
        "gls": lambda: formats.gls_number(int(SANDBOX_ACCOUNT["gls_depot"]), int(part), serial),
        "hermes": lambda: formats.hermes_number(serial),
        "dpd": lambda: formats.dpd_number(SANDBOX_ACCOUNT["dpd_depot"], serial),
        "evri": lambda: formats.evri_number(SANDBOX_ACCOUNT["evri_client"], serial),
        "sandbox": lambda: formats.sandbox_number(serial),
    }
    try:
        return builders[kind]()
    except ValueError as exc:
        raise SerialsExhausted(
            f"the {service.name} format has no tracking number for serial {serial}", serial=serial
        ) from exc


def billable_weight_g(weight_g: int, volume_mm3: int, dim_divisor: int) -> int:
    """max(actual, dimensional) weight; dimensional = volume / divisor rounded up to a gram (0 without one)."""
    dimensional = -(-volume_mm3 // dim_divisor) if dim_divisor and volume_mm3 else 0
    return max(weight_g, dimensional)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SandboxCarrier:
    """The sandbox stand-in for one carrier (see the module's docstring)."""

    is_sandbox = True

    def __init__(
        self, carrier_code: str, *, ledger: SandboxLedger, clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        code = carrier_code_normalise(carrier_code)
        if code not in CARRIERS:
            raise CarrierUnknown(
                f"the sandbox does not imitate carrier {carrier_code!r}", field="carrier_code"
            )
        self._code = code
        self.spec = CARRIERS[code]
        self.name = CARRIER_NAMES[code]
        self._ledger = ledger
        self._clock = clock or _utc_now

    @property
    def carrier_code(self) -> str:
        return self._code

    def _serves(self, service: SandboxService, shipment: LabelRequest) -> bool:
        home, destination = self.spec.home_country, shipment.destination_country.upper()
        if not home or not destination:
            return True
        return service.international == (destination != home)

    def rate(self, shipment: LabelRequest) -> list[RateResult]:
        results = []
        for service in self.spec.services:
            if not self._serves(service, shipment) or not shipment.parcels:
                continue
            if any(p.weight_g <= 0 or p.weight_g > service.max_weight_g for p in shipment.parcels):
                continue
            billable = [
                billable_weight_g(p.weight_g, p.volume_mm3, service.dim_divisor) for p in shipment.parcels
            ]
            price = Money.zero(self.spec.currency)
            for grams in billable:
                price += Money.of(service.base, self.spec.currency)
                price += Money.of(service.per_kg, self.spec.currency) * math.ceil(grams / 1000)
            results.append(
                RateResult(
                    carrier_code=self._code,
                    service_code=service.code,
                    service_name=service.name,
                    service_kind=service.kind,
                    price=price,
                    billable_weight_g=sum(billable),
                    transit_days=service.transit_days,
                    is_sandbox=True,
                )
            )
        return sorted(results, key=lambda r: (r.price.amount, r.transit_days, r.service_code))

    def _check(self, shipment: LabelRequest, service_code: str) -> SandboxService:
        if carrier_code_normalise(shipment.carrier_code) != self._code:
            raise ShipmentInvalid(
                f"the shipment is for {shipment.carrier_code!r}, not {self._code!r}", field="carrier_code"
            )
        service = self.spec.service(service_code)
        if service is None:
            known = ", ".join(s.code for s in self.spec.services)
            raise ServiceUnknown(
                f"{self.name} has no service {service_code!r}; known: {known}", field="service_code"
            )
        if not self._serves(service, shipment):
            where = "international" if service.international else "domestic"
            raise ShipmentInvalid(
                f"{service.name} is a {where} service; it does not go to {shipment.destination_country}",
                field="service_code",
            )
        if not shipment.sender.strip() or not shipment.recipient.strip():
            raise ShipmentInvalid(
                "the label needs the sender's and the recipient's address", field="recipient"
            )
        if not shipment.parcels:
            raise ShipmentInvalid("the shipment has no parcel", field="parcels")
        for number, parcel in enumerate(shipment.parcels, start=1):
            if not 0 < parcel.weight_g <= service.max_weight_g:
                raise ShipmentInvalid(
                    f"parcel {number} weighs {parcel.weight_g} g; {service.name} takes 1 to "
                    f"{service.max_weight_g} g",
                    field="parcels",
                )
        return service

    def label(self, shipment: LabelRequest, *, service_code: str) -> LabelResult:
        service = self._check(shipment, service_code)
        count = len(shipment.parcels)
        first = self._ledger.serials_next(self._code, count)
        numbers = [tracking_number_issue(self._code, service, first + i) for i in range(count)]
        labelled_at = self._clock()
        self._ledger.labels_record(
            [
                SandboxLabel(self._code, service.code, number, labelled_at, shipment.is_international)
                for number in numbers
            ]
        )
        return LabelResult(
            carrier_code=self._code,
            service_code=service.code,
            service_name=service.name,
            parcels=tuple(
                LabelledParcel(tracking_number=number, barcode=number, weight_g=parcel.weight_g)
                for number, parcel in zip(numbers, shipment.parcels, strict=True)
            ),
            labelled_at=labelled_at,
            formats=(LabelFormat.PDF, LabelFormat.ZPL),
            is_sandbox=True,
        )

    def _timeline(self, tracking_number: str) -> list[RawTrackingEvent] | None:
        number = formats.tracking_number_tidy(tracking_number)
        label = self._ledger.label_get(self._code, number)
        if label is None:
            return None
        service = self.spec.service(label.service_code)
        kind = service.kind if service else ServiceKind.EXPRESS
        days = service.transit_days if service else 3
        return sandbox_timeline(label, kind=kind, transit_days=days)

    def cancel(self, tracking_number: str) -> CancelResult:
        timeline = self._timeline(tracking_number)
        if timeline is None:
            return CancelResult(tracking_number, cancelled=False, reason=CancelReason.UNKNOWN_TRACKING_NUMBER)
        first_scan = timeline[1].at if len(timeline) > 1 else None  # [0] is the label itself
        if first_scan is not None and first_scan <= self._clock():
            return CancelResult(tracking_number, cancelled=False, reason=CancelReason.ALREADY_IN_TRANSIT)
        return CancelResult(tracking_number, cancelled=True)

    def track(self, tracking_number: str) -> list[RawTrackingEvent]:
        timeline = self._timeline(tracking_number) or []
        now = self._clock()
        return [event for event in timeline if event.at <= now]


class MemoryLedger:
    """A :class:`SandboxLedger` in memory: for tests, the demo and one-off scripts (counters restart with the
    process, so numbers repeat across runs; the app keeps its ledger in the database)."""

    def __init__(self, *, start: int = 1) -> None:
        self._start = start
        self._next: dict[str, int] = {}
        self._labels: dict[tuple[str, str], SandboxLabel] = {}

    def serials_next(self, carrier_code: str, count: int) -> int:
        first = self._next.get(carrier_code, self._start)
        self._next[carrier_code] = first + count
        return first

    def labels_record(self, labels: Sequence[SandboxLabel]) -> None:
        for label in labels:
            self._labels[(label.carrier_code, label.tracking_number)] = label

    def label_get(self, carrier_code: str, tracking_number: str) -> SandboxLabel | None:
        return self._labels.get((carrier_code, tracking_number))
