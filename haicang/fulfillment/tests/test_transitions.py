"""A table of every illegal transition of the outbound, wave, pick-list and request operations: each is refused
with its stable code and leaves the states as they were."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from haicang.core.errors import DomainError
from haicang.fulfillment.models import (
    ExceptionStatus,
    Outbound,
    OutboundStatus,
    PickException,
    PickList,
    PickListStatus,
    PickTask,
    PickTaskStatus,
    Wave,
    WaveStatus,
)
from haicang.fulfillment.outbound import (
    outbound_accept,
    outbound_cancellation_answer,
    outbound_ensure,
    outbound_hand_back,
    outbound_reject,
    outbound_requeue,
)
from haicang.fulfillment.picking import pick_exception_resolve, pick_list_start, pick_scan, pick_short
from haicang.fulfillment.tests.picking_factories import MONDAY_8, make_floor
from haicang.fulfillment.waves import wave_cancel, wave_plan, wave_release
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest, RequestStatus
from haicang.orders.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db
TRANSITION = "fulfillment.transition_invalid"
CANCELLATION = "fulfillment.cancellation_invalid"

R, OB, W, L, T, E = "request", "outbound", "wave", "pick_list", "task", "exception"
ALL_REQUEST = [s.value for s in RequestStatus]
ALL_OUTBOUND = [s.value for s in OutboundStatus]
ALL_WAVE = [s.value for s in WaveStatus]
ALL_LIST = [s.value for s in PickListStatus]
ALL_TASK = [s.value for s in PickTaskStatus]


@dataclass
class World:
    request: FulfillmentRequest  # released: in progress, with an outbound, a wave, a pick list and a task
    spare: FulfillmentRequest  # another request, with no outbound
    outbound: Outbound
    wave: Wave
    pick_list: PickList
    task: PickTask
    exception: PickException

    BASE = {
        R: RequestStatus.IN_PROGRESS,
        OB: OutboundStatus.PICKING,
        W: WaveStatus.RELEASED,
        L: PickListStatus.IN_PROGRESS,
        T: PickTaskStatus.OPEN,
        E: ExceptionStatus.OPEN,
    }

    def force(self, **states: str) -> None:
        """Put every object in its base state, then the named ones in theirs (``cancellation`` for the
        request's cancellation state, ``spare`` for the request without an outbound)."""
        values = {**self.BASE, **states}
        FulfillmentRequest.objects.filter(pk=self.request.pk).update(
            status=values[R], cancellation=states.get("cancellation", "")
        )
        FulfillmentRequest.objects.filter(pk=self.spare.pk).update(
            status=states.get("spare", RequestStatus.SUBMITTED)
        )
        Outbound.objects.filter(pk=self.outbound.pk).update(status=values[OB])
        Wave.objects.filter(pk=self.wave.pk).update(status=values[W])
        PickList.objects.filter(pk=self.pick_list.pk).update(status=values[L])
        PickTask.objects.filter(pk=self.task.pk).update(status=values[T])
        PickException.objects.filter(pk=self.exception.pk).update(status=values[E])

    def snapshot(self) -> tuple[str, ...]:
        return (
            FulfillmentRequest.objects.get(pk=self.request.pk).status,
            FulfillmentRequest.objects.get(pk=self.spare.pk).status,
            Outbound.objects.get(pk=self.outbound.pk).status,
            Wave.objects.get(pk=self.wave.pk).status,
            PickList.objects.get(pk=self.pick_list.pk).status,
            PickTask.objects.get(pk=self.task.pk).status,
            PickException.objects.get(pk=self.exception.pk).status,
            str(Outbound.objects.count()),
        )


@pytest.fixture
def world() -> World:
    floor = make_floor()
    tee = floor.sku("TEE", barcode="4006381333931")
    floor.receive(tee, "A-01-01-1-1", 10)
    request = floor.request((tee, 2))
    [wave] = wave_plan(actor=SYSTEM, warehouse=floor.warehouse, now=MONDAY_8)
    wave_release(actor=SYSTEM, wave=wave, now=MONDAY_8)
    outbound = Outbound.objects.get(request=request)
    task = PickTask.objects.get(outbound=outbound)
    exception = PickException.objects.create(
        task=task, outbound=outbound, warehouse=floor.warehouse, quantity=1, raised_at=timezone.now()
    )
    spare = floor.request((tee, 1), accept=False)
    return World(request, spare, outbound, wave, task.pick_list, task, exception)


Op = Callable[[World], Any]
OPERATIONS: dict[str, Op] = {
    "accept": lambda w: outbound_accept(actor=SYSTEM, request=w.spare),
    "reject": lambda w: outbound_reject(actor=SYSTEM, request=w.spare, reason="no"),
    "ensure": lambda w: outbound_ensure(actor=SYSTEM, request=w.spare),
    "answer cancellation (accept)": lambda w: outbound_cancellation_answer(
        actor=SYSTEM, request=w.request, accept=True
    ),
    "answer cancellation (refuse)": lambda w: outbound_cancellation_answer(
        actor=SYSTEM, request=w.request, accept=False, reason="no"
    ),
    "hand back": lambda w: outbound_hand_back(actor=SYSTEM, outbound=w.outbound, reason="no stock"),
    "requeue": lambda w: outbound_requeue(actor=SYSTEM, outbound=w.outbound),
    "release wave": lambda w: wave_release(actor=SYSTEM, wave=w.wave, now=MONDAY_8),
    "cancel wave": lambda w: wave_cancel(actor=SYSTEM, wave=w.wave),
    "start list": lambda w: pick_list_start(actor=SYSTEM, pick_list=w.pick_list),
    "scan": lambda w: pick_scan(actor=SYSTEM, pick_list=w.pick_list, bin_code="A-01-01-1-1", barcode="TEE"),
    "short": lambda w: pick_short(actor=SYSTEM, task=w.task, found=0),
    "resolve": lambda w: pick_exception_resolve(actor=SYSTEM, exception=w.exception, resolution="other_bin"),
}


def _except(allowed: list[str], every: list[str]) -> list[str]:
    return [s for s in every if s not in allowed]


# (operation, the states forced, expected code): every state an operation does not start from.
CASES: list[tuple[str, dict[str, str], str]] = [
    *[("accept", {"spare": s}, TRANSITION) for s in _except(["submitted"], ALL_REQUEST)],
    *[("reject", {"spare": s}, TRANSITION) for s in _except(["submitted"], ALL_REQUEST)],
    *[("ensure", {"spare": s}, TRANSITION) for s in _except(["accepted"], ALL_REQUEST)],
    # a cancellation is answered only when one is pending on an open request
    *[("answer cancellation (accept)", {R: s}, CANCELLATION) for s in ALL_REQUEST],
    *[("answer cancellation (refuse)", {R: s}, CANCELLATION) for s in ALL_REQUEST],
    *[
        ("answer cancellation (accept)", {R: s, "cancellation": CancellationState.REQUESTED}, CANCELLATION)
        for s in ("rejected", "shipped", "cancelled")  # (a submitted request is cancelled at once when asked)
    ],
    # … and accepted only until the outbound ships
    *[
        ("answer cancellation (accept)", {OB: s, "cancellation": CancellationState.REQUESTED}, TRANSITION)
        for s in ("shipped", "cancelled")
    ],
    *[("hand back", {OB: s}, TRANSITION) for s in ("packed", "shipped", "cancelled")],
    *[("requeue", {OB: s}, TRANSITION) for s in _except(["exception"], ALL_OUTBOUND)],
    ("requeue", {OB: "exception"}, TRANSITION),  # an open short pick must be resolved first
    *[("release wave", {W: s}, TRANSITION) for s in _except(["planned"], ALL_WAVE)],
    *[("cancel wave", {W: s}, TRANSITION) for s in _except(["planned"], ALL_WAVE)],
    *[("start list", {L: s}, TRANSITION) for s in _except(["open"], ALL_LIST)],
    *[("start list", {L: "open", W: s}, TRANSITION) for s in _except(["released"], ALL_WAVE)],
    *[("scan", {L: s}, TRANSITION) for s in _except(["in_progress"], ALL_LIST)],
    ("scan", {T: "picked"}, TRANSITION),  # nothing left to pick
    *[("short", {L: s}, TRANSITION) for s in _except(["in_progress"], ALL_LIST)],
    *[("short", {T: s}, TRANSITION) for s in _except(["open"], ALL_TASK)],
    ("resolve", {E: ExceptionStatus.RESOLVED}, TRANSITION),
]


def test_every_operation_has_its_illegal_states_in_the_table():
    assert set(OPERATIONS) == {op for op, _, _ in CASES}
    assert len(CASES) >= 60


def test_every_illegal_transition_is_refused_with_its_code_and_changes_nothing(world):
    failures: list[str] = []
    for operation, states, code in CASES:
        world.force(**states)
        before = world.snapshot()
        try:
            OPERATIONS[operation](world)
        except DomainError as exc:
            if exc.code != code:
                failures.append(f"{operation} from {states}: {exc.code} instead of {code} ({exc.detail})")
        else:
            failures.append(f"{operation} from {states}: went through")
        after = world.snapshot()
        if after != before:
            failures.append(f"{operation} from {states}: changed {before} → {after}")
    assert not failures, "\n".join(failures)
