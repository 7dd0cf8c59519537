"""What carriers say, mapped to the tracking vocabulary: the statuses, each carrier's code table, what the text may
refine, and the text rules (English and German). Pure: no Django. Used by ``tracking_rules.tracking_normalise``,
which documents how they combine (docs/fulfillment.md, "Tracking vocabulary").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class TrackingStatus(StrEnum):
    PENDING = "pending"
    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    ATTEMPT_FAILED = "attempt_failed"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"
    EXPIRED = "expired"


T = TrackingStatus


@dataclass(frozen=True)
class CodeRule:
    status: TrackingStatus
    refine: bool = False  # the text may say more, within REFINEMENTS
    customs_hold: bool = False
    refused_for_charges: bool = False


# What the text may turn a broad code into.
REFINEMENTS: Mapping[TrackingStatus, frozenset[TrackingStatus]] = MappingProxyType(
    {
        T.PENDING: frozenset(set(T) - {T.EXPIRED}),
        T.IN_TRANSIT: frozenset(set(T) - {T.PENDING, T.EXPIRED}),
        T.EXCEPTION: frozenset({T.ATTEMPT_FAILED, T.AVAILABLE_FOR_PICKUP, T.RETURNED_TO_SENDER}),
        T.ATTEMPT_FAILED: frozenset({T.EXCEPTION, T.AVAILABLE_FOR_PICKUP, T.RETURNED_TO_SENDER}),
        T.DELIVERED: frozenset({T.AVAILABLE_FOR_PICKUP, T.RETURNED_TO_SENDER}),
    }
)


def _table(entries: dict[str, CodeRule]) -> Mapping[str, CodeRule]:
    return MappingProxyType({code.upper(): rule for code, rule in entries.items()})


def _same(status: TrackingStatus, codes: Iterable[str], *, refine: bool = False) -> dict[str, CodeRule]:
    return dict.fromkeys(codes, CodeRule(status, refine=refine))


R = CodeRule
CODE_TABLES: Mapping[str, Mapping[str, CodeRule]] = MappingProxyType(
    {
        # UPS Tracking API activity status types.
        "ups": _table(
            {
                "M": R(T.INFO_RECEIVED),  # manifest: billing information received
                "P": R(T.IN_TRANSIT, refine=True),  # pickup
                "I": R(T.IN_TRANSIT, refine=True),  # in transit (out for delivery is told by the text)
                "X": R(T.EXCEPTION, refine=True),  # exception (a failed attempt is told by the text)
                "D": R(T.DELIVERED, refine=True),
                "RS": R(T.RETURNED_TO_SENDER),
            }
        ),
        # USPS event codes (a selection; others are read from their text).
        "usps": _table(
            {
                "MA": R(T.INFO_RECEIVED),  # manifest acknowledgement: label created, awaiting item
                **_same(
                    T.IN_TRANSIT, ("03", "07", "08", "10", "15"), refine=True
                ),  # accepted, arrival, processed
                "OF": R(T.OUT_FOR_DELIVERY),
                "01": R(T.DELIVERED),
                "17": R(T.DELIVERED),  # picked up at the post office
                "02": R(T.ATTEMPT_FAILED),  # notice left
                **_same(
                    T.ATTEMPT_FAILED, ("51", "52", "53", "54", "55", "56")
                ),  # notice left: receptacle, access
                "16": R(T.AVAILABLE_FOR_PICKUP),
                "04": R(T.EXCEPTION, refine=True),  # refused
                "05": R(T.EXCEPTION, refine=True),  # undeliverable as addressed
                **_same(
                    T.EXCEPTION, ("21", "22", "23", "24", "25", "26", "27", "28"), refine=True
                ),  # address
                "09": R(T.RETURNED_TO_SENDER),
            }
        ),
        # FedEx tracking status codes.
        "fedex": _table(
            {
                "OC": R(T.INFO_RECEIVED),  # shipment information sent to FedEx
                **_same(
                    T.IN_TRANSIT,
                    ("PU", "AR", "DP", "IT", "AF", "FD", "AA", "AD", "CC", "PM", "EP"),
                    refine=True,
                ),
                "OD": R(T.OUT_FOR_DELIVERY),
                "DL": R(T.DELIVERED),
                "DE": R(T.EXCEPTION, refine=True),  # delivery exception
                "SE": R(T.EXCEPTION, refine=True),  # shipment exception
                "DY": R(T.EXCEPTION, refine=True),  # delay
                "CA": R(T.EXCEPTION),  # shipment cancelled
                "CD": R(T.EXCEPTION, customs_hold=True),  # clearance delay
                "HL": R(T.AVAILABLE_FOR_PICKUP),  # hold at location
                "RS": R(T.RETURNED_TO_SENDER),
            }
        ),
        # DHL Shipment Tracking (unified API) statusCode.
        "dhl": _table(
            {
                "pre-transit": R(T.INFO_RECEIVED),
                "transit": R(T.IN_TRANSIT, refine=True),
                "delivered": R(T.DELIVERED, refine=True),
                "failure": R(T.EXCEPTION, refine=True),
                "unknown": R(T.PENDING, refine=True),
            }
        ),
        # Royal Mail tracking event codes (those publicly seen; others are read from their text).
        "royal_mail": _table(
            {
                **_same(T.IN_TRANSIT, ("EVNMI", "EVORI", "EVODO"), refine=True),
                "EVGPD": R(T.OUT_FOR_DELIVERY),  # due to be delivered today
                "EVKNA": R(T.ATTEMPT_FAILED),  # delivery attempted, no answer
                "EVNSR": R(T.ATTEMPT_FAILED),  # prepared for redelivery
                "EVNDA": R(T.AVAILABLE_FOR_PICKUP),  # available for redelivery or collection
                "EVKSP": R(T.DELIVERED),  # delivered and signed for
                "EVKSF": R(T.DELIVERED),  # delivered to a safe place
            }
        ),
        # DPD parcel life-cycle states.
        "dpd": _table(
            {
                **_same(
                    T.IN_TRANSIT,
                    ("ACCEPTED", "AT_SENDING_DEPOT", "ON_THE_ROAD", "AT_DELIVERY_DEPOT"),
                    refine=True,
                ),
                "DELIVERED": R(T.DELIVERED, refine=True),
            }
        ),
        # GLS tracking states.
        "gls": _table(
            {
                "PREADVICE": R(T.INFO_RECEIVED),
                "INTRANSIT": R(T.IN_TRANSIT, refine=True),
                "INWAREHOUSE": R(T.IN_TRANSIT, refine=True),
                "INDELIVERY": R(T.OUT_FOR_DELIVERY),
                "DELIVERED": R(T.DELIVERED, refine=True),
                "DELIVEREDPS": R(T.AVAILABLE_FOR_PICKUP),  # at a ParcelShop, waiting for the consignee
                "NOTDELIVERED": R(T.ATTEMPT_FAILED, refine=True),
                "CANCELED": R(T.EXCEPTION),
            }
        ),
        "hermes": _table({}),  # no public code list: text only
        "evri": _table({}),  # no public code list: text only
        # The sandbox carrier's own codes (haicang.fulfillment.carriers.sandbox_timeline).
        "sandbox": _table(
            {
                "LABEL": R(T.INFO_RECEIVED),
                **_same(T.IN_TRANSIT, ("PICKUP", "DEPART", "HUB", "ARRIVE", "CUSTOMS_CLEARED")),
                "CUSTOMS_HOLD": R(T.EXCEPTION, customs_hold=True),
                "OUT_FOR_DELIVERY": R(T.OUT_FOR_DELIVERY),
                "ATTEMPT": R(T.ATTEMPT_FAILED),
                "AT_PICKUP_POINT": R(T.AVAILABLE_FOR_PICKUP),
                "COLLECTED": R(T.DELIVERED),
                "EXCEPTION": R(T.EXCEPTION),
                "REFUSED_CHARGES": R(T.EXCEPTION, refused_for_charges=True),
                "ADDRESS_UNKNOWN": R(T.EXCEPTION),
                "RETURNED": R(T.RETURNED_TO_SENDER),
                "DELIVERED": R(T.DELIVERED),
            }
        ),
    }
)


# --- the text ----------------------------------------------------------------------------------------------


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_REFUSAL = _rx(r"refus|declin|rejected|verweiger|abgelehnt")
_CHARGES = _rx(r"charge|\bdut(y|ies)\b|\btax(es)?\b|\bfees?\b|payment|zoll|gebühr|entgelt|abgabe")
_CUSTOMS = _rx(r"customs|clearance|\bzoll|douane|aduana")
_HOLD = _rx(
    r"\bheld\b|\bhold|delay|detain|await|pending|inspect|examination|required|requested|missing|needed"
    r"|zurückgehalten|verzöger|prüfung"
)
_RELEASED = _rx(r"releas|cleared|complete|freigegeben|abgeschlossen|passed")
_CHARGES_DUE = _rx(
    r"fee to pay|charges? (are )?(due|to pay|outstanding|unpaid)|dut(y|ies)( and taxes)? (are )?(due|owed|outstanding)"
)


@dataclass(frozen=True)
class TextRule:
    name: str
    status: TrackingStatus
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None

    def matches(self, text: str) -> bool:
        return bool(self.pattern.search(text)) and not (self.unless and self.unless.search(text))


# First match wins: the order is part of the rules.
TEXT_RULES: tuple[TextRule, ...] = (
    TextRule(
        "returned",
        T.RETURNED_TO_SENDER,
        _rx(
            r"return(ed|ing)? to (the )?(sender|shipper|origin)|back to (the )?(sender|shipper)|rücksendung"
            r"|zurück an (den )?absender|an den absender zurück|retour"
        ),
    ),
    TextRule(
        "collected",
        T.DELIVERED,
        _rx(
            r"(picked up|collected) by (the )?(receiver|recipient|consignee|customer|addressee)"
            r"|(vom|durch den) empfänger abgeholt"
        ),
    ),
    TextRule(
        "pickup_point",
        T.AVAILABLE_FOR_PICKUP,
        _rx(
            r"ready (for|to) (pick ?-?up|collect)|available for (pick ?-?up|collection)|awaiting collection"
            r"|held (at|for) (pick|collection)|hold at location|zur abholung|abholbereit"
            r"|delivered (to|at) (the )?(\w+ )?(access point|parcel ?shop|paketshop|pick ?-?up point|packstation)"
        ),
    ),
    TextRule(
        "out_for_delivery",
        T.OUT_FOR_DELIVERY,
        _rx(
            r"out for delivery|vehicle for delivery|onto the delivery vehicle|with (the|your|our) (courier|driver)"
            r"|due to be delivered today|expected to be delivered (today|during the day)|in (der )?zustellung"
            r"|zustellfahrzeug"
        ),
    ),
    TextRule(
        "attempt",
        T.ATTEMPT_FAILED,
        _rx(
            r"attempt|not (available|at home|present|home)|(no ?one|nobody) (was )?(at )?(home|available|in)"
            r"|missed you|business (was )?closed|notice left|card left|could not be delivered|unable to deliver"
            r"|consignee was absent|nicht angetroffen|zustellversuch|nicht zugestellt"
        ),
    ),
    TextRule(
        "info_received",
        T.INFO_RECEIVED,
        _rx(
            r"label (created|printed)|shipping label|shipment information|information (has been |was )?(sent|received|transmitted)"
            r"|received your parcel information|electronic(ally)? (notif|announc|provided)|provided by the sender"
            r"|pre-?advice|order processed|awaiting item|sender preparing|not (yet )?received the package"
            r"|data was entered|elektronisch angekündigt|daten (übermittelt|erhalten)"
        ),
    ),
    TextRule(
        "delivered",
        T.DELIVERED,
        _rx(r"\bdelivered\b|\bzugestellt\b|\blivré"),
        unless=_rx(
            r"\b(not|be|being|will|to)\s+(be\s+)?delivered|undelivered|nicht\s+zugestellt|wird\s.{0,40}zugestellt"
        ),
    ),
    TextRule(
        "exception",
        T.EXCEPTION,
        _rx(
            r"exception|damage|\blost\b|missing|delay|refused|undeliverable|incorrect address|insufficient address"
            r"|address (is |was )?(incorrect|insufficient|unknown|incomplete|invalid|wrong)"
            r"|addressee (unknown|moved|gone away)|no such (number|address|street)"
            r"|(couldn'?t|could not|cannot|can'?t) find (the )?(delivery )?address"
            r"|beschädigt|verloren|verzögerung|adresse.{0,30}(unbekannt|unvollständig|fehlerhaft|falsch)"
        ),
    ),
    TextRule(
        "in_transit",
        T.IN_TRANSIT,
        _rx(
            r"transit|picked up|pickup scan|depart|arriv|process|received|origin scan|destination scan|sort"
            r"|\bhub\b|depot|facility|centre|center|on (its|the) way|accepted|acceptance|export|import|forward"
            r"|despatch|dispatch|handed over|got (your|the) parcel|customs|\bzoll|verlassen|eingetroffen|übergeben|bearbeitet"
            r"|unterwegs"
        ),
    ),
)


def customs_hold_in(text: str) -> bool:
    """Whether ``text`` says customs are holding the parcel (and not that they released it)."""
    if _CHARGES_DUE.search(text):
        return True
    return bool(_CUSTOMS.search(text) and _HOLD.search(text) and not _RELEASED.search(text))


def refused_for_charges_in(text: str) -> bool:
    """Whether ``text`` says the recipient refused the parcel over duties, taxes or fees."""
    return bool(_REFUSAL.search(text) and _CHARGES.search(text))
