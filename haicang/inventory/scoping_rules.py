"""How each party sees the ledger: a seller its own stock everywhere; an operator the stock of its sellers in
its own warehouses."""

from django.db.models import Q

from haicang.inventory.models import Balance, CountTask, Move, Reservation, StockCounter
from haicang.parties.scoping import register_scoped

register_scoped(
    Move,
    seller=lambda party: Q(owner_id=party),
    operator=lambda party: (
        Q(from_location__warehouse__operator_id=party) | Q(to_location__warehouse__operator_id=party)
    ),
)
register_scoped(
    Balance,
    seller=lambda party: Q(owner_id=party),
    operator=lambda party: Q(location__warehouse__operator_id=party),
)
for _model in (StockCounter, Reservation):
    register_scoped(
        _model, seller=lambda party: Q(owner_id=party), operator=lambda party: Q(warehouse__operator_id=party)
    )
# Cycle counts are the operator's work in its own warehouses; sellers see their results as moves (document
# type ``cycle_count``) in their move history, not the tasks.
register_scoped(CountTask, operator=lambda party: Q(warehouse__operator_id=party))
