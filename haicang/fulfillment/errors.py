"""The fulfillment app's errors (each with a stable ``code``; see haicang.core.errors)."""

from __future__ import annotations

from typing import ClassVar

from haicang.core.errors import Conflict, NotFound, ValidationFailed


class TransitionInvalid(Conflict):
    code: ClassVar[str] = "fulfillment.transition_invalid"
    title = "This step is not allowed in the current state"


class NothingToWave(Conflict):
    code: ClassVar[str] = "fulfillment.nothing_to_wave"
    title = "No accepted request is waiting for a wave"


class ScanRefused(ValidationFailed):
    code: ClassVar[str] = "pick.scan_refused"
    title = "The scan was refused"


class ShortPick(Conflict):
    code: ClassVar[str] = "pick.short"
    title = "The bin holds fewer units than the task asks for"


class NoBoxFits(ValidationFailed):
    code: ClassVar[str] = "pack.no_box_fits"
    title = "No box in the catalogue fits the items"


class NoServiceFits(Conflict):
    code: ClassVar[str] = "pack.no_service"
    title = "No carrier service can take this parcel by its deadline"


class ParcelNotFound(NotFound):
    code: ClassVar[str] = "tracking.parcel_unknown"
    title = "No parcel has this tracking number"
