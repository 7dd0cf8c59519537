"""The inventory app's tables: the ledger's (``ledger``) and the cycle counts' (``counts``)."""

from haicang.inventory.models.counts import (
    CountLine,
    CountPolicy,
    CountTask,
    CountTaskKind,
    CountTaskStatus,
)
from haicang.inventory.models.ledger import Balance, Lot, Move, Reservation, ReservationStatus, StockCounter

__all__ = [
    "Balance",
    "CountLine",
    "CountPolicy",
    "CountTask",
    "CountTaskKind",
    "CountTaskStatus",
    "Lot",
    "Move",
    "Reservation",
    "ReservationStatus",
    "StockCounter",
]
