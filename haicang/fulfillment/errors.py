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


class NoOtherBin(Conflict):
    code: ClassVar[str] = "pick.no_other_bin"
    title = "No other bin holds the missing units"


class FoundInvalid(ValidationFailed):
    code: ClassVar[str] = "pick.found_invalid"
    title = "The units found must be fewer than the task needs"


class NoBoxFits(ValidationFailed):
    code: ClassVar[str] = "pack.no_box_fits"
    title = "No box in the catalogue fits the items"


class NoServiceFits(Conflict):
    code: ClassVar[str] = "pack.no_service"
    title = "No carrier service can take this parcel by its deadline"


class ParcelNotFound(NotFound):
    code: ClassVar[str] = "tracking.parcel_unknown"
    title = "No parcel has this tracking number"


# --- labels and ship confirmation (packing.py, labelling.py, shipping.py) ----------------------------------------


class LabelRefused(Conflict):
    code: ClassVar[str] = "label.refused"
    title = "The parcel cannot be labelled in its current state"


class LabelMissing(NotFound):
    code: ClassVar[str] = "label.missing"
    title = "The parcel has no label"


class LabelUnknown(NotFound):
    code: ClassVar[str] = "ship.label_unknown"
    title = "No parcel of yours has this label"


class NotLabelled(Conflict):
    code: ClassVar[str] = "ship.not_labelled"
    title = "The parcel has no label yet"


class AlreadyShipped(Conflict):
    code: ClassVar[str] = "ship.already_shipped"
    title = "Already confirmed as shipped"


class UnitsNotPacked(Conflict):
    code: ClassVar[str] = "ship.units_not_packed"
    title = "Picked units are not packed yet"


class ReservationMissing(Conflict):
    code: ClassVar[str] = "ship.no_reservation"
    title = "No open reservation holds the units being shipped"


class WrongWarehouse(Conflict):
    code: ClassVar[str] = "ship.wrong_warehouse"
    title = "The parcel belongs to another warehouse"


# --- tracking (tracking.py, tracking_secrets.py) -------------------------------------------------------------


class TrackingInvalid(ValidationFailed):
    code: ClassVar[str] = "tracking.input_invalid"
    title = "The tracking message cannot be read"


class TrackingTimeInvalid(ValidationFailed):
    code: ClassVar[str] = "tracking.time_invalid"
    title = "The scan time is not a plausible time for this parcel"


class TrackingCarrierUnknown(ValidationFailed):
    code: ClassVar[str] = "tracking.carrier_unknown"
    title = "Unknown carrier"


class TrackingParcelVoided(Conflict):
    code: ClassVar[str] = "tracking.parcel_voided"
    title = "The parcel's label was voided"


class AlertAlreadyResolved(Conflict):
    code: ClassVar[str] = "tracking.alert_resolved"
    title = "The alert is already resolved"


# --- setup: the box catalogue and pick-up times (setup.py) -------------------------------------------------------


class BoxInvalid(ValidationFailed):
    code: ClassVar[str] = "box.invalid"
    title = "The box is not valid"


class BoxCodeTaken(Conflict):
    code: ClassVar[str] = "box.code_taken"
    title = "The catalogue has a box with this code"


class BoxInUse(Conflict):
    code: ClassVar[str] = "box.in_use"
    title = "Parcels were packed in this box: its size and tare stay as they were"


class PickupInvalid(ValidationFailed):
    code: ClassVar[str] = "pickup.invalid"
    title = "The pick-up time is not valid"


class PickupTaken(Conflict):
    code: ClassVar[str] = "pickup.duplicate"
    title = "This carrier already collects at this warehouse at this time"
