"""The fulfillment app's models, one module per area (docs/fulfillment.md)."""

from haicang.fulfillment.models.boxes import BoxType, PickupSchedule
from haicang.fulfillment.models.dock import DockScan
from haicang.fulfillment.models.outbound import Outbound, OutboundStatus, PickMode
from haicang.fulfillment.models.parcels import Parcel, ParcelLine, ParcelStatus
from haicang.fulfillment.models.picking import (
    ExceptionResolution,
    ExceptionStatus,
    PickException,
    PickList,
    PickListStatus,
    PickScan,
    PickTask,
    PickTaskStatus,
    ScanResult,
)
from haicang.fulfillment.models.tracking import (
    TrackingAlert,
    TrackingAlertKind,
    TrackingEvent,
    TrackingMessage,
    TrackingSource,
    TrackingStatus,
    TrackingWebhookSecret,
)
from haicang.fulfillment.models.waves import Wave, WaveStatus

__all__ = [
    "BoxType",
    "DockScan",
    "ExceptionResolution",
    "ExceptionStatus",
    "Outbound",
    "OutboundStatus",
    "Parcel",
    "ParcelLine",
    "ParcelStatus",
    "PickException",
    "PickList",
    "PickListStatus",
    "PickMode",
    "PickScan",
    "PickTask",
    "PickTaskStatus",
    "PickupSchedule",
    "ScanResult",
    "TrackingAlert",
    "TrackingAlertKind",
    "TrackingEvent",
    "TrackingMessage",
    "TrackingSource",
    "TrackingStatus",
    "TrackingWebhookSecret",
    "Wave",
    "WaveStatus",
]
