"""The carrier interface and the sandbox carrier, pure: tracking-number formats and check digits (against the
carriers' public test numbers), labels that are well formed, deterministic and unique, rates, voids, and
tracking timelines that start at the label time and normalise without gaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from haicang.core.money import Money
from haicang.fulfillment.carriers import formats
from haicang.fulfillment.carriers.base import (
    CARRIER_NAMES,
    CancelReason,
    CarrierCode,
    CarrierLiveUnavailable,
    CarrierUnknown,
    LabelFormat,
    LabelRequest,
    Parcel,
    SandboxLabel,
    SerialsExhausted,
    ServiceKind,
    ServiceUnknown,
    ShipmentInvalid,
    adapter_for,
    adapter_register,
    carrier_code_normalise,
    service_kind_of,
)
from haicang.fulfillment.carriers.sandbox import (
    CARRIERS,
    MemoryLedger,
    SandboxCarrier,
    tracking_number_format,
    tracking_number_issue,
    tracking_number_valid,
)
from haicang.fulfillment.carriers.sandbox_timeline import (
    STAGES,
    Scenario,
    Stage,
    sandbox_timeline,
    scenario_of,
)
from haicang.fulfillment.tracking_rules import MatchedBy, TrackingStatus, tracking_normalise

T = TrackingStatus
LABEL_TIME = dt.datetime(2026, 3, 2, 14, 30, tzinfo=dt.UTC)

# Public test numbers: the carriers' examples as collected by the open tracking_number_data project, UPU S10's
# worked example, and paketda.de's examples of the German carriers' check digits.
VALID = [
    ("ups", "1Z5R89390357567127"),
    ("ups", "1Z879E930346834440"),
    ("ups", "1Z410E7W0392751591"),
    ("ups", "1Z8V92A70367203024"),
    ("ups", "1Z999AA10123456784"),
    ("ups", "1z 999 aa1 01 2345 6784"),  # as people type it
    ("usps", "9400 1112 0108 0805 4830 16"),
    ("usps", "9361 2898 7870 0317 6337 95"),
    ("usps", "9405803699300124287899"),
    ("usps", "9505 5110 6960 5048 6006 24"),
    ("usps", "0307 1790 0005 2348 3741"),
    ("usps", "4201002334249200190132607600833457"),
    ("usps", "EA123456785US"),
    ("fedex", "986578788855"),
    ("fedex", "477179081230"),
    ("fedex", "799531274483"),
    ("fedex", "0414 4176 0228 964"),
    ("fedex", "9611020987654312345672"),
    ("dhl", "3318810025"),
    ("dhl", "8487135506"),
    ("dhl", "73891051146"),
    ("dhl", "201298452277"),
    ("dhl", "00340433836442636597"),
    ("royal_mail", "AA473124829GB"),
    ("royal_mail", "AA123456785GB"),
    ("royal_mail", "FQ087430672GB"),
    ("hermes", "09133131530724"),
    ("dpd", "01015026003653"),
    ("dpd", "0081827099800000200333502 76C"),
    ("dpd", "008182709980000020045327276N"),
    ("evri", "H01HYA0004753285"),
]
INVALID = [
    ("ups", "1Z5R89390357567128"),  # check digit off by one
    ("ups", "2Z5R89390357567127"),
    ("ups", "1Z1111111111111111"),
    ("usps", "0307 1790 0005 2348 3742"),
    ("usps", "9200000000000000000000"),
    ("usps", "AA473124829GB"),  # an S10 of another post
    ("fedex", "996578788855"),
    ("dhl", "3318810010"),
    ("dhl", "201298452278"),
    ("royal_mail", "AA473124828GB"),
    ("royal_mail", "AA47312482GB"),
    ("hermes", "09133131530725"),
    ("dpd", "008182709980000020033350276A"),
    ("dpd", "0101502600365"),
    ("gls", "601000000016"),
    ("evri", "H01HYA000475328"),
    ("sandbox", "SBX000000000018"),
    ("no_such_carrier", "1Z999AA10123456784"),
]


@pytest.mark.parametrize(("carrier", "number"), VALID)
def test_public_test_numbers_are_valid(carrier, number):
    assert tracking_number_valid(carrier, number), tracking_number_format(carrier, number)


@pytest.mark.parametrize(("carrier", "number"), INVALID)
def test_malformed_numbers_and_wrong_check_digits_are_refused(carrier, number):
    assert not tracking_number_valid(carrier, number)


def test_check_digit_algorithms_match_their_worked_examples():
    assert formats.s10_check_digit("47312482") == 9  # UPU S10: 200 mod 11 = 2 → 9
    assert formats.s10_check_digit("12345678") == 5
    assert formats.ups_check_digit("999AA1012345678") == 4
    assert formats.gs1_check_digit("940011120108080548301") == 6
    assert formats.fedex_check_digit("98657878885") == 5
    assert formats.mod7_check_digit("331881002") == 5
    assert formats.dhl_paket_check_digit("20129845227") == 7
    assert formats.mod37_36_check_character("008182709980000020033350276") == "C"


def test_an_s10_serial_whose_remainder_is_0_or_1_gets_check_digit_5_or_0():
    # given serials whose weighted sums leave 0 and 1 modulo 11 (11 - 0 = 11 → 5, 11 - 1 = 10 → 0)
    by_remainder: dict[int, str] = {}
    for serial in range(2000):
        digits = f"{serial:08d}"
        total = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
        by_remainder.setdefault(total % 11, digits)
    # then
    assert formats.s10_check_digit(by_remainder[0]) == 5
    assert formats.s10_check_digit(by_remainder[1]) == 0


def _request(carrier: str, service: str, *, destination: str | None = None, parcels=None) -> LabelRequest:
    spec = CARRIERS[carrier]
    home = spec.home_country or "GB"
    chosen = spec.service(service)
    assert chosen is not None
    if destination is None:
        destination = ("FR" if home != "FR" else "DE") if chosen.international else home
    return LabelRequest(
        carrier_code=carrier,
        service_code=service,
        sender="Haicang FRA1\nLogistikstraße 1\n60549 Frankfurt\nDE",
        recipient="张伟 Zhang Wei\n12 Acacia Avenue\nCoventry CV6 4QJ\nGB",
        parcels=parcels or (Parcel(1_250, 300, 200, 100), Parcel(800, 200, 150, 100)),
        reference="ORD-2026-000123",
        origin_country=home,
        destination_country=destination,
        destination_postcode="CV6 4QJ",
    )


def _adapter(
    carrier: str, ledger: MemoryLedger | None = None, now: dt.datetime = LABEL_TIME
) -> SandboxCarrier:
    adapter = adapter_for(carrier, ledger=ledger or MemoryLedger(), clock=lambda: now)
    assert isinstance(adapter, SandboxCarrier)
    return adapter


ALL_SERVICES = [(carrier, service.code) for carrier, spec in CARRIERS.items() for service in spec.services]


@pytest.mark.parametrize(("carrier", "service"), ALL_SERVICES)
def test_every_sandbox_service_issues_numbers_in_its_carriers_format(carrier, service):
    # given the sandbox of a carrier
    adapter = _adapter(carrier)

    # when a two-parcel shipment is labelled
    result = adapter.label(_request(carrier, service), service_code=service)

    # then each parcel has its own well-formed number of that carrier, and the label can be had as PDF and ZPL
    assert len(result.tracking_numbers) == 2 and len(set(result.tracking_numbers)) == 2
    assert all(tracking_number_valid(carrier, number) for number in result.tracking_numbers)
    assert result.is_sandbox and result.formats == (LabelFormat.PDF, LabelFormat.ZPL) and not result.documents
    assert [p.weight_g for p in result.parcels] == [1_250, 800]
    assert result.labelled_at == LABEL_TIME and result.service_code == service


def test_the_formats_are_the_real_carriers_shapes():
    ledger = MemoryLedger()
    issued = {
        (carrier, service): _adapter(carrier, ledger)
        .label(_request(carrier, service, parcels=(Parcel(500),)), service_code=service)
        .tracking_numbers[0]
        for carrier, service in ALL_SERVICES
    }
    assert issued["ups", "ground"].startswith("1ZHC58X103") and len(issued["ups", "ground"]) == 18
    assert issued["ups", "next_day_air"][8:10] == "01"  # the service inside the number
    assert len(issued["usps", "priority_mail"]) == 22 and issued["usps", "priority_mail"].startswith("94055")
    assert issued["usps", "priority_mail_international"].endswith("US")
    assert len(issued["fedex", "ground"]) == 12
    assert len(issued["dhl", "express_worldwide"]) == 10 and len(issued["dhl", "paket"]) == 12
    assert issued["royal_mail", "tracked_48"].endswith("GB") and len(issued["royal_mail", "tracked_48"]) == 13
    assert len(issued["evri", "standard"]) == 16 and len(issued["hermes", "paket"]) == 14
    assert len(issued["dpd", "next_day"]) == 14 and issued["gls", "express_parcel"][2:4] == "85"
    assert issued["sandbox", "standard"].startswith("SBX")


def test_numbers_are_deterministic_per_serial_and_unique_across_labels():
    # given two ledgers counting from the same start
    first, second = MemoryLedger(), MemoryLedger()

    # when each labels the same 150 shipments of two parcels
    numbers_one = [
        n
        for _ in range(150)
        for n in _adapter("ups", first)
        .label(_request("ups", "ground"), service_code="ground")
        .tracking_numbers
    ]
    numbers_two = [
        n
        for _ in range(150)
        for n in _adapter("ups", second)
        .label(_request("ups", "ground"), service_code="ground")
        .tracking_numbers
    ]

    # then the numbers are the same sequence, and no number repeats
    assert numbers_one == numbers_two
    assert len(set(numbers_one)) == 300


CHECKED_SERVICES = [  # Evri and DPD parcel numbers have no public check digit
    (carrier, service.code)
    for carrier, spec in CARRIERS.items()
    for service in spec.services
    if service.number not in {"evri", "dpd"}
]


@pytest.mark.parametrize(("carrier", "service"), CHECKED_SERVICES)
def test_a_wrong_check_digit_on_an_issued_number_is_caught(carrier, service):
    spec = CARRIERS[carrier]
    chosen = spec.service(service)
    assert chosen is not None
    number = tracking_number_issue(carrier, chosen, 4_321)
    format_name = tracking_number_format(carrier, number)
    position = 10 if format_name == "s10" else len(number) - 1
    wrong = str((int(number[position]) + 1) % 10)
    assert not tracking_number_valid(carrier, number[:position] + wrong + number[position + 1 :])


def test_a_format_that_runs_out_of_serials_says_so():
    ledger = MemoryLedger(start=10**7)  # UPS package numbers have 7 digits
    with pytest.raises(SerialsExhausted) as raised:
        _adapter("ups", ledger).label(_request("ups", "ground"), service_code="ground")
    assert raised.value.code == "carrier.serials_exhausted"


def test_rates_are_the_services_of_the_route_cheapest_first_with_dimensional_weight():
    adapter = _adapter("ups")

    domestic = adapter.rate(_request("ups", "ground", parcels=(Parcel(1_000, 400, 300, 200),)))
    abroad = adapter.rate(_request("ups", "ground", destination="DE", parcels=(Parcel(1_000),)))

    assert [r.service_code for r in domestic] == [
        "ground",
        "three_day_select",
        "second_day_air",
        "next_day_air",
    ]
    ground = domestic[0]
    # 400 × 300 × 200 mm / 5000 = 4800 g billable: 9.50 + 5 started kg × 1.10
    assert ground.billable_weight_g == 4_800 and ground.price == Money.of("15.00", "USD")
    assert ground.service_kind is ServiceKind.EXPRESS and ground.is_sandbox
    assert [r.service_code for r in abroad] == ["worldwide_express"]


def test_a_service_without_dimensional_weight_rates_the_actual_weight_and_skips_overweight_parcels():
    adapter = _adapter("royal_mail")

    rates = adapter.rate(_request("royal_mail", "tracked_48", parcels=(Parcel(1_500, 600, 400, 400),)))
    heavy = adapter.rate(_request("royal_mail", "tracked_48", parcels=(Parcel(25_000),)))

    tracked_48 = next(r for r in rates if r.service_code == "tracked_48")
    assert tracked_48.billable_weight_g == 1_500 and tracked_48.price == Money.of(Decimal("4.05"), "GBP")
    assert heavy == []


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"service": "teleport"}, ServiceUnknown, "service_code"),
        ({"carrier_code": "fedex"}, ShipmentInvalid, "carrier_code"),
        ({"parcels": (Parcel(80_000),)}, ShipmentInvalid, "parcels"),
        ({"parcels": (Parcel(0),)}, ShipmentInvalid, "parcels"),
        ({"parcels": ()}, ShipmentInvalid, "parcels"),
        ({"recipient": "  "}, ShipmentInvalid, "recipient"),
        ({"destination_country": "DE"}, ShipmentInvalid, "service_code"),  # ground is domestic
    ],
)
def test_a_label_the_carrier_cannot_issue_is_refused_with_the_field(change, error, field):
    request = _request("ups", "ground")
    service = change.pop("service", "ground")
    request = LabelRequest(**{**request.__dict__, **change})
    with pytest.raises(error) as raised:
        _adapter("ups").label(request, service_code=service)
    assert raised.value.field == field


def test_a_label_is_void_until_the_first_scan():
    ledger = MemoryLedger()
    result = _adapter("dpd", ledger).label(_request("dpd", "next_day"), service_code="next_day")
    number = result.tracking_numbers[0]
    timeline = _adapter("dpd", ledger).track(number)  # at label time: only the label itself
    assert [e.code for e in timeline] == [STAGES["dpd"][Stage.LABEL][0]]

    right_away = _adapter("dpd", ledger).cancel(number)
    next_week = _adapter("dpd", ledger, now=LABEL_TIME + dt.timedelta(days=7)).cancel(number)
    unknown = _adapter("dpd", ledger).cancel("09959999999999")

    assert right_away.cancelled
    assert not next_week.cancelled and next_week.reason == CancelReason.ALREADY_IN_TRANSIT
    assert not unknown.cancelled and unknown.reason == CancelReason.UNKNOWN_TRACKING_NUMBER


def test_tracking_starts_at_the_label_time_is_cut_at_the_clock_and_is_the_same_every_time():
    ledger = MemoryLedger()
    number = (
        _adapter("fedex", ledger)
        .label(_request("fedex", "ground"), service_code="ground")
        .tracking_numbers[0]
    )

    two_days = _adapter("fedex", ledger, now=LABEL_TIME + dt.timedelta(days=2)).track(number)
    month = _adapter("fedex", ledger, now=LABEL_TIME + dt.timedelta(days=30)).track(number)
    again = _adapter("fedex", ledger, now=LABEL_TIME + dt.timedelta(days=30)).track(
        f" {number[:6]} {number[6:]} "
    )

    assert month == again
    assert two_days == month[: len(two_days)] and len(two_days) < len(month)
    assert month[0].at == LABEL_TIME and all(e.at <= LABEL_TIME + dt.timedelta(days=2) for e in two_days)
    assert [e.at for e in month] == sorted(e.at for e in month)
    assert tracking_normalise("fedex", month[0].code, month[0].text).status is T.INFO_RECEIVED
    assert _adapter("fedex", ledger).track("799531274483") == []  # a number the sandbox never issued


def test_every_carriers_stage_table_names_every_stage_and_normalises_to_its_status():
    expected = {
        Stage.LABEL: T.INFO_RECEIVED,
        Stage.PICKUP: T.IN_TRANSIT,
        Stage.DEPART: T.IN_TRANSIT,
        Stage.HUB: T.IN_TRANSIT,
        Stage.ARRIVE: T.IN_TRANSIT,
        Stage.CUSTOMS_CLEARED: T.IN_TRANSIT,
        Stage.CUSTOMS_HOLD: T.EXCEPTION,
        Stage.OUT_FOR_DELIVERY: T.OUT_FOR_DELIVERY,
        Stage.ATTEMPT: T.ATTEMPT_FAILED,
        Stage.AT_PICKUP_POINT: T.AVAILABLE_FOR_PICKUP,
        Stage.COLLECTED: T.DELIVERED,
        Stage.EXCEPTION: T.EXCEPTION,
        Stage.REFUSED_CHARGES: T.EXCEPTION,
        Stage.ADDRESS_UNKNOWN: T.EXCEPTION,
        Stage.RETURNED: T.RETURNED_TO_SENDER,
        Stage.DELIVERED: T.DELIVERED,
    }
    assert set(STAGES) == set(CARRIERS)
    for carrier, table in STAGES.items():
        assert set(table) == set(Stage), carrier
        for stage, (code, text) in table.items():
            normalised = tracking_normalise(carrier, code, text)
            assert normalised.status is expected[stage], (carrier, stage, normalised)
            assert normalised.is_customs_hold == (stage is Stage.CUSTOMS_HOLD), (carrier, stage)
            assert normalised.is_refused_for_charges == (stage is Stage.REFUSED_CHARGES), (carrier, stage)
            assert normalised.matched_by is not MatchedBy.DEFAULT, (carrier, stage)


def test_timelines_follow_every_scenario_in_time_order_and_end_where_the_scenario_ends():
    # given many international parcels of one carrier (international: every scenario can happen)
    seen: set[Scenario] = set()
    for serial in range(1, 400):
        number = formats.gls_number(60, 10, serial)
        scenario = scenario_of("gls", number, international=True)
        seen.add(scenario)
        label = SandboxLabel("gls", "euro_business_parcel", number, LABEL_TIME, is_international=True)

        # when its timeline is drawn
        events = sandbox_timeline(label, kind=ServiceKind.EXPRESS, transit_days=4)

        # then the scans go forward in time, are never quiet for more than two and a half days on the way (a
        # parcel held in customs or waiting at a pick-up point may wait longer), and end where they should
        statuses = [tracking_normalise("gls", e.code, e.text).status for e in events]
        times = [e.at for e in events]
        assert times == sorted(times) and len(set(times)) == len(times)
        for (before, status), after in zip(zip(times, statuses, strict=True), times[1:], strict=False):
            waiting = status in (T.EXCEPTION, T.AVAILABLE_FOR_PICKUP)
            assert after - before <= dt.timedelta(days=4 if waiting else 2.5), (scenario, statuses)
        final = {
            Scenario.STALLED: T.IN_TRANSIT,
            Scenario.ADDRESS_UNKNOWN: T.RETURNED_TO_SENDER,
            Scenario.REFUSED_CHARGES: T.RETURNED_TO_SENDER,
        }.get(scenario, T.DELIVERED)
        assert statuses[0] is T.INFO_RECEIVED and statuses[-1] is final, (scenario, statuses)
    assert seen == set(Scenario)


def test_domestic_parcels_never_meet_customs():
    for serial in range(1, 300):
        number = formats.hermes_number(serial)
        label = SandboxLabel("hermes", "paket", number, LABEL_TIME)
        stages = {e.text for e in sandbox_timeline(label, kind=ServiceKind.EXPRESS, transit_days=3)}
        assert not stages & {
            STAGES["hermes"][Stage.CUSTOMS_HOLD][1],
            STAGES["hermes"][Stage.CUSTOMS_CLEARED][1],
        }


def test_the_registry_knows_every_carrier_by_its_usual_names_and_refuses_others():
    ledger = MemoryLedger()
    assert set(CARRIER_NAMES) == {str(code) for code in CarrierCode} == set(CARRIERS)
    assert adapter_for("Royal Mail", ledger=ledger).carrier_code == "royal_mail"
    assert adapter_for("hermes-uk", ledger=ledger).carrier_code == "evri"
    assert adapter_for(" UPS ", ledger=ledger).is_sandbox
    assert carrier_code_normalise("DHL Express") == "dhl"
    assert service_kind_of("usps") is ServiceKind.POSTAL and service_kind_of("gls") is ServiceKind.EXPRESS
    with pytest.raises(CarrierUnknown):
        adapter_for("pigeon_post", ledger=ledger)
    with pytest.raises(CarrierLiveUnavailable):
        adapter_for("gls", ledger=ledger, live=True)


def test_a_registered_live_adapter_is_used_when_asked_for(monkeypatch):
    from haicang.fulfillment.carriers import base

    sentinel = SandboxCarrier("gls", ledger=MemoryLedger())
    monkeypatch.setattr(base, "_LIVE", {})
    adapter_register("GLS", lambda: sentinel)

    assert adapter_for("gls", ledger=MemoryLedger(), live=True) is sentinel
    assert adapter_for("gls", ledger=MemoryLedger()) is not sentinel  # the sandbox stays the default
