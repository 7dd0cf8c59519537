"""One interface for every carrier: rate, label, cancel, track. Pure: no Django.

A carrier is reached through a :class:`CarrierAdapter`. Its inputs and outputs are plain dataclasses so the
services can build them from the database and tests can build them by hand:

- :class:`LabelRequest` — the shipment: carrier and service codes, the sender's and the recipient's addresses
  as plain text (one line each, name first; names may be Chinese or Latin), the parcels (:class:`Parcel`:
  measured weight and outer dimensions), the reference printed on the label (the order number), and the
  origin and destination country and postcode the services are rated on;
- :class:`RateResult` — one service's price for the shipment, its billable weight and transit days;
- :class:`LabelResult` — one tracking number per parcel (:class:`LabelledParcel`), the label time and the
  label formats. A live carrier returns its own label files (``documents``); for the sandbox Haicang draws the
  4×6 in label itself (``label_pdf``, ``label_zpl``) and ``documents`` is empty;
- :class:`CancelResult` — whether a label was voided, and if not why (a stable reason code);
- :class:`RawTrackingEvent` — one carrier scan with its raw code and text, normalised by
  ``haicang.fulfillment.tracking_rules``.

**Registry.** :func:`adapter_for` gives the adapter of a carrier code (``ups``, ``usps``, ``fedex``, ``dhl``,
``royal_mail``, ``evri``, ``hermes``, ``dpd``, ``gls``, ``sandbox``; :func:`carrier_code_normalise` accepts the
usual spellings). Today every code is served by the built-in sandbox carrier, which issues well-formed tracking
numbers in that carrier's own format (``haicang.fulfillment.carriers.sandbox``); a live API adapter is
registered with :func:`adapter_register` and asked for with ``live=True``. The sandbox keeps what it issued in a
:class:`SandboxLedger` the caller gives it (a database-backed one in the app, :class:`~.sandbox.MemoryLedger` in
tests), so its numbers are unique across processes and its tracking timelines start at the label time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar, Protocol

from haicang.core.errors import Conflict, ValidationFailed
from haicang.core.money import Money


class CarrierCode(StrEnum):
    UPS = "ups"
    USPS = "usps"
    FEDEX = "fedex"
    DHL = "dhl"
    ROYAL_MAIL = "royal_mail"
    EVRI = "evri"
    HERMES = "hermes"
    DPD = "dpd"
    GLS = "gls"
    SANDBOX = "sandbox"


CARRIER_NAMES: Mapping[str, str] = MappingProxyType(
    {
        CarrierCode.UPS: "UPS",
        CarrierCode.USPS: "USPS",
        CarrierCode.FEDEX: "FedEx",
        CarrierCode.DHL: "DHL",
        CarrierCode.ROYAL_MAIL: "Royal Mail",
        CarrierCode.EVRI: "Evri",
        CarrierCode.HERMES: "Hermes",
        CarrierCode.DPD: "DPD",
        CarrierCode.GLS: "GLS",
        CarrierCode.SANDBOX: "Haicang Sandbox",
    }
)

_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "royalmail": CarrierCode.ROYAL_MAIL,
        "rm": CarrierCode.ROYAL_MAIL,
        "hermes_uk": CarrierCode.EVRI,
        "hermes_de": CarrierCode.HERMES,
        "dhl_express": CarrierCode.DHL,
        "dhl_paket": CarrierCode.DHL,
        "dhl_parcel": CarrierCode.DHL,
        "united_states_postal_service": CarrierCode.USPS,
        "federal_express": CarrierCode.FEDEX,
        "fed_ex": CarrierCode.FEDEX,
    }
)


class ServiceKind(StrEnum):
    """How a service is run, which decides when a parcel without scans counts as expired (DOMAIN.md)."""

    EXPRESS = "express"  # couriers and integrators: 30 days without a scan
    POSTAL = "postal"  # national posts: 60 days


POSTAL_CARRIERS = frozenset({CarrierCode.USPS, CarrierCode.ROYAL_MAIL})


class LabelFormat(StrEnum):
    PDF = "pdf"  # 4×6 in page, any printer
    ZPL = "zpl"  # ZPL II for 203 dpi thermal printers


# --- errors ------------------------------------------------------------------------------------------------


class CarrierUnknown(ValidationFailed):
    code: ClassVar[str] = "carrier.unknown"
    title = "Unknown carrier"


class CarrierLiveUnavailable(Conflict):
    code: ClassVar[str] = "carrier.live_unavailable"
    title = "No live connection to this carrier"


class ServiceUnknown(ValidationFailed):
    code: ClassVar[str] = "carrier.service_unknown"
    title = "The carrier has no such service"


class ShipmentInvalid(ValidationFailed):
    code: ClassVar[str] = "carrier.shipment_invalid"
    title = "The carrier cannot take this shipment"


class SerialsExhausted(Conflict):
    code: ClassVar[str] = "carrier.serials_exhausted"
    title = "The sandbox carrier has no tracking numbers left in this format"


# --- inputs ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parcel:
    """One parcel as packed: measured weight (g) and outer dimensions (mm; 0 when not measured)."""

    weight_g: int
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0

    @property
    def volume_mm3(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class LabelRequest:
    """A shipment as a carrier sees it. ``sender`` and ``recipient`` are plain text, one line per address line,
    the name first. ``service_code`` is the service pre-selected for the shipment (``label`` is told which
    service to buy); ``reference`` is printed on the label and sent as the customer reference."""

    carrier_code: str
    service_code: str
    sender: str
    recipient: str
    parcels: tuple[Parcel, ...]
    reference: str = ""
    origin_country: str = ""
    destination_country: str = ""
    destination_postcode: str = ""

    @property
    def weight_g(self) -> int:
        return sum(parcel.weight_g for parcel in self.parcels)

    @property
    def is_international(self) -> bool:
        return bool(self.origin_country and self.destination_country) and (
            self.origin_country.upper() != self.destination_country.upper()
        )


# --- outputs -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateResult:
    carrier_code: str
    service_code: str
    service_name: str
    service_kind: ServiceKind
    price: Money
    billable_weight_g: int
    transit_days: int
    is_sandbox: bool


@dataclass(frozen=True)
class LabelledParcel:
    tracking_number: str
    barcode: str  # what the label's barcode encodes (the tracking number unless the carrier says otherwise)
    weight_g: int


@dataclass(frozen=True)
class LabelResult:
    carrier_code: str
    service_code: str
    service_name: str
    parcels: tuple[LabelledParcel, ...]
    labelled_at: dt.datetime
    formats: tuple[LabelFormat, ...]
    is_sandbox: bool
    # Label files returned by a live carrier, by format; empty when Haicang draws the label (the sandbox).
    documents: Mapping[LabelFormat, bytes] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def tracking_numbers(self) -> tuple[str, ...]:
        return tuple(parcel.tracking_number for parcel in self.parcels)


class CancelReason(StrEnum):
    UNKNOWN_TRACKING_NUMBER = "unknown_tracking_number"
    ALREADY_IN_TRANSIT = "already_in_transit"


@dataclass(frozen=True)
class CancelResult:
    tracking_number: str
    cancelled: bool
    reason: str = ""  # a CancelReason when not cancelled


@dataclass(frozen=True)
class RawTrackingEvent:
    """One scan as the carrier reports it: its own code and text, kept as they came."""

    carrier_code: str
    tracking_number: str
    at: dt.datetime
    code: str
    text: str
    location: str = ""


# --- the interface -----------------------------------------------------------------------------------------


class CarrierAdapter(Protocol):
    """What Haicang asks of a carrier. Every method raises a DomainError subclass on refusal."""

    @property
    def carrier_code(self) -> str: ...

    @property
    def is_sandbox(self) -> bool: ...

    def rate(self, shipment: LabelRequest) -> list[RateResult]:
        """The services that can carry ``shipment``, cheapest first."""
        ...

    def label(self, shipment: LabelRequest, *, service_code: str) -> LabelResult:
        """Buy the label of ``shipment`` with ``service_code``: one tracking number per parcel."""
        ...

    def cancel(self, tracking_number: str) -> CancelResult:
        """Void a label that has not been handed over yet."""
        ...

    def track(self, tracking_number: str) -> list[RawTrackingEvent]:
        """The carrier's scans of one parcel, oldest first."""
        ...


@dataclass(frozen=True)
class SandboxLabel:
    """What the sandbox carrier remembers of a label it issued."""

    carrier_code: str
    service_code: str
    tracking_number: str
    labelled_at: dt.datetime
    is_international: bool = False


class SandboxLedger(Protocol):
    """Where the sandbox carrier keeps its counters and labels (the database in the app)."""

    def serials_next(self, carrier_code: str, count: int) -> int:
        """Reserve ``count`` consecutive serial numbers for ``carrier_code``; return the first."""
        ...

    def labels_record(self, labels: Sequence[SandboxLabel]) -> None:
        """Remember labels just issued (a database ledger may find them on its parcels instead)."""
        ...

    def label_get(self, carrier_code: str, tracking_number: str) -> SandboxLabel | None: ...


def carrier_code_normalise(code: str) -> str:
    """``"Royal Mail"`` → ``royal_mail``, ``"UPS"`` → ``ups``, ``"hermes-uk"`` → ``evri``. Unknown codes come
    back tidied, not refused (see :func:`adapter_for`)."""
    tidy = "_".join(code.strip().lower().replace("-", " ").replace("_", " ").split())
    return str(_ALIASES.get(tidy, tidy))


def service_kind_of(carrier_code: str) -> ServiceKind:
    """Postal for the national posts (USPS, Royal Mail), express for couriers and integrators."""
    return (
        ServiceKind.POSTAL if carrier_code_normalise(carrier_code) in POSTAL_CARRIERS else ServiceKind.EXPRESS
    )


LiveFactory = Callable[[], CarrierAdapter]
_LIVE: dict[str, LiveFactory] = {}


def adapter_register(carrier_code: str, factory: LiveFactory) -> None:
    """Register the live API adapter of a carrier (none yet: live adapters are for later)."""
    _LIVE[carrier_code_normalise(carrier_code)] = factory


def adapter_for(
    carrier_code: str,
    *,
    ledger: SandboxLedger,
    live: bool = False,
    clock: Callable[[], dt.datetime] | None = None,
) -> CarrierAdapter:
    """The adapter for ``carrier_code``: the sandbox carrier in that carrier's formats, or with ``live=True``
    the registered live adapter. Raises CarrierUnknown, CarrierLiveUnavailable."""
    code = carrier_code_normalise(carrier_code)
    if code not in CARRIER_NAMES:
        known = ", ".join(sorted(CARRIER_NAMES))
        raise CarrierUnknown(f"unknown carrier {carrier_code!r}; known: {known}", field="carrier_code")
    if live:
        factory = _LIVE.get(code)
        if factory is None:
            raise CarrierLiveUnavailable(
                f"no live {CARRIER_NAMES[code]} adapter is installed; use the sandbox carrier",
                field="carrier_code",
            )
        return factory()
    from haicang.fulfillment.carriers.sandbox import SandboxCarrier

    return SandboxCarrier(code, ledger=ledger, clock=clock)
