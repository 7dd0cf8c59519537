"""Available-to-sell per channel account: a seller's stock of one SKU shared between its channel accounts.
Pure: no Django.

Each account serves from some warehouses (``AccountShare.warehouses``) and has one rule for the SKU (its
per-SKU rule, else its default, else :data:`DEFAULT_RULE`): a share — a **fixed** quantity of units or a
**percent** of the pool — and a **safety buffer** of units held back from it.

The pool is shared **warehouse by warehouse**, so every unit of a warehouse goes to at most one account: the sum
over accounts never exceeds what is available, and neither does the sum over any group of accounts exceed what
is available in the warehouses they serve (no combination of orders within the published quantities can
oversell). At each warehouse ``W`` (available ``A_W``, negatives count as 0):

1. **Fixed rules first.** A fixed account's quantity is split over its warehouses in proportion to what they
   hold (largest remainder, :func:`haicang.core.allocation.allocate_units`). When the fixed claims on ``W``
   add up to more than ``A_W``, ``A_W`` is split between them in proportion to their claims (largest
   remainder) instead.
2. **Then percents of the remainder** ``R_W = A_W − fixed units taken at W``. With the percents of the
   accounts serving ``W`` adding up to ``P``: when ``P ≤ 100`` the units handed out are
   ``floor(R_W × P / 100)``, split in proportion to the percents by largest remainder (an account may get the
   one unit its floor lost; the sum stays within ``R_W``); when ``P > 100`` all of ``R_W`` is split in
   proportion to the percents (they are scaled down to 100). So two accounts without rules (100 % each) share
   a warehouse half and half.
3. **The account's quantity** is the sum of its parts over its warehouses **minus its safety buffer**, never
   below 0. The buffer's units are held back (they go to nobody), so each channel keeps a margin against the
   sales it makes before the next update reaches it; an account alone on its warehouses at 100 % gets
   exactly ``available − buffer``.

Every step is deterministic: accounts in the order of their keys, warehouses in the order of theirs.

**Kits** (:func:`kit_quantities`) hold no stock of their own: a kit's quantity on an account is
``min over its components of floor(the account's quantity of the component / units of it per kit)`` — computed
from the component quantities :func:`share_stock` gave **that account** (its share, after its buffer), never from
the whole pool. A rule set on the kit SKU itself only shapes that figure downwards (a percent of it, at most a
fixed number, minus its buffer); the account's default rule is not applied twice. Since each account's kits fit in
its own component shares, the accounts' kits together never exceed ``min over components of floor(available /
units per kit)``, and no group of accounts gets more kits than the stock of the warehouses they serve makes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from haicang.core.allocation import allocate_units

HUNDRED = Decimal(100)


class ShareMode(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


@dataclass(frozen=True)
class ShareRule:
    """``value``: a percent from 0 to 100 (``Decimal`` or int) for PERCENT, a whole number of units for FIXED."""

    mode: ShareMode = ShareMode.PERCENT
    value: Decimal | int = HUNDRED
    buffer: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.buffer, bool) or not isinstance(self.buffer, int) or self.buffer < 0:
            raise ValueError("a safety buffer is a whole number of units, 0 or more")
        if isinstance(self.value, bool) or not isinstance(self.value, int | Decimal):
            raise ValueError("a share is an int or a Decimal, never a float")
        if self.mode == ShareMode.FIXED:
            if not isinstance(self.value, int) or self.value < 0:
                raise ValueError("a fixed share is a whole number of units, 0 or more")
        elif not (0 <= self.value <= HUNDRED) or (
            isinstance(self.value, Decimal) and not self.value.is_finite()
        ):
            raise ValueError("a percent share is from 0 to 100")


DEFAULT_RULE = (
    ShareRule()
)  # no rule: 100 % of the pool (shared equally with other accounts without rules), no buffer


@dataclass(frozen=True)
class AccountShare:
    account: Hashable
    warehouses: frozenset[Hashable]
    rule: ShareRule = DEFAULT_RULE


@dataclass(frozen=True)
class Allocation:
    quantities: dict[Any, int]  # per account: what it may sell (buffer taken off)
    parts: dict[tuple[Any, Any], int] = field(
        default_factory=dict
    )  # (account, warehouse): units before buffer


def _key(value: Any) -> str:
    return str(value)


def _split(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    if total <= 0 or not any(weights):
        return [0] * len(weights)
    return allocate_units(total, weights)


def share_stock(available: Mapping[Any, int], accounts: Sequence[AccountShare]) -> Allocation:
    """Split ``available`` (per warehouse) between ``accounts`` by their rules; see the module's docstring."""
    stock = {w: max(int(q), 0) for w, q in available.items()}
    ordered = sorted(accounts, key=lambda a: _key(a.account))
    if len({_key(a.account) for a in ordered}) != len(ordered):
        raise ValueError("each account appears once")
    warehouses = sorted(stock, key=_key)
    parts: dict[tuple[Any, Any], int] = {}

    # 1. Fixed claims per warehouse (a fixed account's quantity over its warehouses, in proportion to stock).
    claims: dict[Any, list[tuple[Any, int]]] = {w: [] for w in warehouses}
    for share in ordered:
        if share.rule.mode != ShareMode.FIXED:
            continue
        own = [w for w in warehouses if w in share.warehouses]
        for w, claim in zip(own, _split(int(share.rule.value), [stock[w] for w in own]), strict=True):
            if claim:
                claims[w].append((share.account, claim))
    remainder: dict[Any, int] = {}
    for w in warehouses:
        asked = [claim for _, claim in claims[w]]
        given = asked if sum(asked) <= stock[w] else _split(stock[w], asked)
        for (account, _), units in zip(claims[w], given, strict=True):
            parts[(account, w)] = parts.get((account, w), 0) + units
        remainder[w] = stock[w] - sum(given)

    # 2. Percents of what is left at each warehouse.
    for w in warehouses:
        serving = [
            s for s in ordered if s.rule.mode == ShareMode.PERCENT and w in s.warehouses and s.rule.value > 0
        ]
        if not serving or remainder[w] <= 0:
            continue
        percents = [Decimal(s.rule.value) for s in serving]
        total = sum(percents, Decimal(0))
        handed = remainder[w] if total >= HUNDRED else int(Fraction(remainder[w]) * Fraction(total) / 100)
        for share, units in zip(serving, _split(handed, percents), strict=True):
            parts[(share.account, w)] = parts.get((share.account, w), 0) + units

    # 3. Sum per account, minus its buffer.
    quantities: dict[Any, int] = {}
    for share in ordered:
        gross = sum(parts.get((share.account, w), 0) for w in warehouses)
        quantities[share.account] = max(gross - share.rule.buffer, 0)
    return Allocation(quantities=quantities, parts={k: v for k, v in parts.items() if v})


def kit_quantity(derived: int, rule: ShareRule | None) -> int:
    """A kit's own rule applied to ``derived`` (what its components allow on the account): a percent takes
    ``floor(derived × percent / 100)``, a fixed share at most its quantity; then the buffer comes off. Never more
    than ``derived``, never below 0. No rule: ``derived``."""
    derived = max(int(derived), 0)
    if rule is None:
        return derived
    if rule.mode == ShareMode.FIXED:
        shaped = min(derived, int(rule.value))
    else:
        shaped = int(Fraction(derived) * Fraction(Decimal(rule.value)) / 100)
    return max(shaped - rule.buffer, 0)


def kit_quantities(
    components: Mapping[Any, Mapping[Any, int]],
    recipe: Mapping[Any, int],
    kit_rules: Mapping[Any, ShareRule] | None = None,
) -> dict[Any, int]:
    """Per account, the units of a kit it may sell; see the module's docstring.

    ``components``: per component, the quantity each account may sell of it (what :func:`share_stock` gave);
    ``recipe``: units of each component in one kit (each at least 1); ``kit_rules``: the rule an account set on
    the kit SKU itself, if any. An account missing from a component's quantities has 0 of it; a kit without
    components is never available."""
    if any(int(units) < 1 for units in recipe.values()):
        raise ValueError("a kit holds at least one unit of each of its components")
    accounts = sorted({a for quantities in components.values() for a in quantities}, key=_key)
    rules = kit_rules or {}
    out: dict[Any, int] = {}
    for account in accounts:
        if not recipe:
            out[account] = 0
            continue
        derived = min(
            max(int(components.get(component, {}).get(account, 0)), 0) // int(units)
            for component, units in recipe.items()
        )
        out[account] = kit_quantity(derived, rules.get(account))
    return out
