"""The sharing rules (pure): fixed first, percents of the rest, buffers held back; never more than available."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicang.channels.stock_share_rules import (
    AccountShare,
    ShareMode,
    ShareRule,
    kit_quantities,
    kit_quantity,
    share_stock,
)

W1, W2, W3 = "w1", "w2", "w3"


def percent(value: int | str, buffer: int = 0) -> ShareRule:
    return ShareRule(mode=ShareMode.PERCENT, value=Decimal(value), buffer=buffer)


def fixed(value: int, buffer: int = 0) -> ShareRule:
    return ShareRule(mode=ShareMode.FIXED, value=value, buffer=buffer)


def test_one_account_alone_gets_available_minus_its_buffer() -> None:
    # given one account serving one warehouse with 100 available and a buffer of 5
    # when the stock is shared
    result = share_stock({W1: 100}, [AccountShare("a", frozenset({W1}), percent(100, buffer=5))])
    # then it may sell 95
    assert result.quantities == {"a": 95}


def test_accounts_without_rules_share_a_warehouse_equally() -> None:
    result = share_stock({W1: 11}, [AccountShare("a", frozenset({W1})), AccountShare("b", frozenset({W1}))])
    # largest remainder: the odd unit goes to the first account (by key), nothing is lost or doubled
    assert result.quantities == {"a": 6, "b": 5}


def test_fixed_first_then_percent_of_the_remainder() -> None:
    # given 100 units: a fixed 30, b 50 % and c 25 % of what is left
    accounts = [
        AccountShare("a", frozenset({W1}), fixed(30)),
        AccountShare("b", frozenset({W1}), percent(50)),
        AccountShare("c", frozenset({W1}), percent(25)),
    ]
    result = share_stock({W1: 100}, accounts)
    # then a 30, b 35, c 17 or 18 (75 % of 70 = 52.5 → 52 handed out), 18 units held back
    assert result.quantities["a"] == 30
    assert result.quantities["b"] + result.quantities["c"] == 52
    assert result.quantities["b"] == 35


def test_fixed_claims_above_the_stock_are_scaled_down() -> None:
    accounts = [AccountShare("a", frozenset({W1}), fixed(30)), AccountShare("b", frozenset({W1}), fixed(10))]
    assert share_stock({W1: 20}, accounts).quantities == {"a": 15, "b": 5}


def test_percents_above_100_are_scaled_to_the_whole_remainder() -> None:
    accounts = [
        AccountShare("a", frozenset({W1}), percent(100)),
        AccountShare("b", frozenset({W1}), percent(50)),
    ]
    assert share_stock({W1: 30}, accounts).quantities == {"a": 20, "b": 10}


def test_an_account_gets_nothing_from_a_warehouse_it_does_not_serve() -> None:
    accounts = [AccountShare("a", frozenset({W1})), AccountShare("b", frozenset({W1, W2}))]
    result = share_stock({W1: 10, W2: 7}, accounts)
    assert result.quantities == {"a": 5, "b": 12}


def test_negative_availability_counts_as_zero_and_the_buffer_never_goes_below_zero() -> None:
    result = share_stock({W1: -4}, [AccountShare("a", frozenset({W1}), percent(100, buffer=3))])
    assert result.quantities == {"a": 0}


def test_rules_refuse_floats_and_out_of_range_values() -> None:
    with pytest.raises(ValueError, match="float"):
        ShareRule(mode=ShareMode.PERCENT, value=50.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="0 to 100"):
        percent(101)
    with pytest.raises(ValueError, match="buffer"):
        percent(10, buffer=-1)
    with pytest.raises(ValueError, match="fixed"):
        ShareRule(mode=ShareMode.FIXED, value=Decimal("2.5"))


# --- properties ----------------------------------------------------------------------------------------------

WAREHOUSES = [W1, W2, W3]
rules = st.one_of(
    st.builds(
        ShareRule,
        mode=st.just(ShareMode.PERCENT),
        value=st.decimals(min_value=0, max_value=100, places=2),
        buffer=st.integers(0, 50),
    ),
    st.builds(ShareRule, mode=st.just(ShareMode.FIXED), value=st.integers(0, 500), buffer=st.integers(0, 50)),
)
account_lists = st.lists(
    st.tuples(st.frozensets(st.sampled_from(WAREHOUSES), min_size=0, max_size=3), rules),
    min_size=1,
    max_size=6,
)
availabilities = st.fixed_dictionaries({w: st.integers(-20, 1000) for w in WAREHOUSES})


@settings(max_examples=400, deadline=None)
@given(available=availabilities, specs=account_lists)
def test_property_never_more_than_available_never_negative_deterministic(
    available: dict[str, int], specs: list[tuple[frozenset[str], ShareRule]]
) -> None:
    accounts = [AccountShare(f"acct-{i:02d}", ws, rule) for i, (ws, rule) in enumerate(specs)]
    result = share_stock(available, accounts)
    stock = {w: max(q, 0) for w, q in available.items()}

    # every value ≥ 0 and every account answered
    assert set(result.quantities) == {a.account for a in accounts}
    assert all(q >= 0 for q in result.quantities.values())
    # the sum over all accounts never exceeds what is available
    assert sum(result.quantities.values()) <= sum(stock.values())
    # per warehouse, the units handed out stay within its stock, and only to accounts serving it
    for w in WAREHOUSES:
        assert sum(units for (_, wh), units in result.parts.items() if wh == w) <= stock[w]
    by_account = {a.account: a for a in accounts}
    for (account, wh), units in result.parts.items():
        assert wh in by_account[account].warehouses and units > 0
    # any group of accounts gets at most what the warehouses they serve hold (no combination oversells)
    for size in (1, 2):
        for group in combinations(accounts, size):
            served = {str(w) for a in group for w in a.warehouses}
            assert sum(result.quantities[a.account] for a in group) <= sum(stock[w] for w in served)
    # a buffer is always held back from the account's own part
    for a in accounts:
        gross = sum(units for (acct, _), units in result.parts.items() if acct == a.account)
        assert result.quantities[a.account] == max(gross - a.rule.buffer, 0)
    # a fixed account never gets more than its quantity
    for a in accounts:
        if a.rule.mode == ShareMode.FIXED:
            assert result.quantities[a.account] <= a.rule.value
    # deterministic: same answer again, and whatever order the accounts come in
    assert share_stock(available, accounts) == result
    assert share_stock(dict(reversed(list(available.items()))), list(reversed(accounts))) == result


@settings(max_examples=200, deadline=None)
@given(available=st.integers(0, 10_000), value=st.decimals(min_value=0, max_value=100, places=2))
def test_property_an_account_alone_gets_at_most_its_percent(available: int, value: Decimal) -> None:
    result = share_stock({W1: available}, [AccountShare("a", frozenset({W1}), percent(str(value)))])
    assert result.quantities["a"] <= available * value / 100
    assert result.quantities["a"] >= available * value / 100 - 1


# --- kits ----------------------------------------------------------------------------------------------------


def test_a_kit_is_the_minimum_over_its_components_of_the_accounts_own_share() -> None:
    # given two accounts sharing a warehouse half and half: 10 cups → 5 each, 7 saucers → 4 and 3
    accounts = [AccountShare("a", frozenset({W1})), AccountShare("b", frozenset({W1}))]
    cups = share_stock({W1: 10}, accounts).quantities
    saucers = share_stock({W1: 7}, accounts).quantities
    assert (cups, saucers) == ({"a": 5, "b": 5}, {"a": 4, "b": 3})

    # when a set of 2 cups and 1 saucer is computed
    kits = kit_quantities({"cup": cups, "saucer": saucers}, {"cup": 2, "saucer": 1})

    # then each account gets min(floor(cups / 2), saucers) of its own share: together no more than 5 sets
    assert kits == {"a": 2, "b": 2}
    assert sum(kits.values()) <= min(10 // 2, 7 // 1)


def test_a_missing_component_or_an_empty_recipe_makes_no_kit() -> None:
    assert kit_quantities({"cup": {"a": 8}, "saucer": {}}, {"cup": 1, "saucer": 1}) == {"a": 0}
    assert kit_quantities({"cup": {"a": 8}}, {}) == {"a": 0}
    with pytest.raises(ValueError, match="at least one unit"):
        kit_quantities({"cup": {"a": 8}}, {"cup": 0})


def test_a_rule_on_the_kit_itself_only_lowers_what_the_components_allow() -> None:
    assert kit_quantity(10, None) == 10
    assert kit_quantity(10, percent(50, buffer=1)) == 4
    assert kit_quantity(10, fixed(3)) == 3
    assert kit_quantity(2, fixed(30)) == 2  # a fixed share never raises it
    assert kit_quantity(3, percent(100, buffer=5)) == 0
    kits = kit_quantities({"cup": {"a": 9, "b": 9}}, {"cup": 3}, {"b": fixed(1)})
    assert kits == {"a": 3, "b": 1}


COMPONENTS = ["C1", "C2", "C3"]
kit_specs = st.lists(
    st.tuples(
        st.frozensets(st.sampled_from(WAREHOUSES), min_size=0, max_size=3),
        st.fixed_dictionaries(dict.fromkeys(COMPONENTS, rules)),  # the account's rule per component
        st.one_of(st.none(), rules),  # its rule on the kit itself
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(
    stock=st.fixed_dictionaries(dict.fromkeys(COMPONENTS, availabilities)),
    recipe=st.dictionaries(st.sampled_from(COMPONENTS), st.integers(1, 5), min_size=1, max_size=3),
    specs=kit_specs,
)
def test_property_kits_included_the_sum_over_channels_never_exceeds_what_is_available(
    stock: dict[str, dict[str, int]],
    recipe: dict[str, int],
    specs: list[tuple[frozenset[str], dict[str, ShareRule], ShareRule | None]],
) -> None:
    names = [f"acct-{i:02d}" for i in range(len(specs))]
    shares = {
        c: share_stock(
            stock[c],
            [
                AccountShare(n, ws, by_component[c])
                for n, (ws, by_component, _) in zip(names, specs, strict=False)
            ],
        ).quantities
        for c in COMPONENTS
    }
    kit_rules = {n: rule for n, (_, _, rule) in zip(names, specs, strict=False) if rule is not None}
    kits = kit_quantities({c: shares[c] for c in recipe}, recipe, kit_rules)
    pool = {c: {w: max(q, 0) for w, q in stock[c].items()} for c in COMPONENTS}

    # every channel SKU, a plain component or the kit: the sum over the accounts stays within what is available
    for c in COMPONENTS:
        assert sum(shares[c].values()) <= sum(pool[c].values())
    kits_available = min(sum(pool[c].values()) // units for c, units in recipe.items())
    assert all(q >= 0 for q in kits.values())
    assert sum(kits.get(n, 0) for n in names) <= kits_available
    # each account's kits fit in its own share of every component
    for n in names:
        for c, units in recipe.items():
            assert kits.get(n, 0) * units <= shares[c][n]
    # no group of accounts gets more kits than the warehouses they serve can make
    for size in (1, 2):
        for group in combinations(range(len(names)), size):
            served = {w for i in group for w in specs[i][0]}
            can_make = min(sum(pool[c][w] for w in served) // units for c, units in recipe.items())
            assert sum(kits.get(names[i], 0) for i in group) <= can_make
    # a rule on the kit never raises what the components allow
    plain = kit_quantities({c: shares[c] for c in recipe}, recipe)
    assert all(kits[n] <= plain[n] for n in kits)
