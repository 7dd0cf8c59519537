"""Domain errors of the warehouse network, each with a stable ``network.*`` code. Pure: no Django import."""

from __future__ import annotations

from enum import StrEnum

from haicang.core.errors import Conflict, NotFound, ValidationFailed


class NetworkErrorCode(StrEnum):
    WAREHOUSE_INVALID = "network.warehouse_invalid"
    WAREHOUSE_CODE_TAKEN = "network.warehouse_code_taken"
    TIME_ZONE_UNKNOWN = "network.time_zone_unknown"
    CALENDAR_INVALID = "network.calendar_invalid"
    NO_WORKING_TIME = "network.no_working_time"
    HOLIDAY_EXISTS = "network.holiday_exists"
    LOCATION_CODE_INVALID = "network.location_code_invalid"
    LOCATION_INVALID = "network.location_invalid"
    LOCATION_EXISTS = "network.location_exists"
    LOCATION_RANGE_INVALID = "network.location_range_invalid"
    VIRTUAL_LOCATION_MISSING = "network.virtual_location_missing"
    FX_IMPORT_INVALID = "network.fx_import_invalid"
    CARRIER_INVALID = "network.carrier_invalid"
    CARRIER_CODE_TAKEN = "network.carrier_code_taken"
    CARRIER_SERVICE_INVALID = "network.carrier_service_invalid"
    CARRIER_SERVICE_CODE_TAKEN = "network.carrier_service_code_taken"
    RATE_CARD_INVALID = "network.rate_card_invalid"
    RATE_CARD_OVERLAP = "network.rate_card_overlap"
    RATE_QUOTE_INVALID = "network.rate_quote_invalid"


class WarehouseInvalid(ValidationFailed):
    code = NetworkErrorCode.WAREHOUSE_INVALID
    title = "Invalid warehouse"


class WarehouseCodeTaken(Conflict):
    code = NetworkErrorCode.WAREHOUSE_CODE_TAKEN
    title = "A warehouse with this code exists"


class TimeZoneUnknown(ValidationFailed):
    code = NetworkErrorCode.TIME_ZONE_UNKNOWN
    title = "Unknown time zone"


class CalendarInvalid(ValidationFailed):
    code = NetworkErrorCode.CALENDAR_INVALID
    title = "Invalid working calendar"


class NoWorkingTime(Conflict):
    """The calendar has no working time in the period searched (no working days, or holidays cover them)."""

    code = NetworkErrorCode.NO_WORKING_TIME
    title = "The calendar has no working time"


class HolidayExists(Conflict):
    code = NetworkErrorCode.HOLIDAY_EXISTS
    title = "A holiday on this date exists"


class LocationCodeInvalid(ValidationFailed):
    code = NetworkErrorCode.LOCATION_CODE_INVALID
    title = "Invalid location code"


class LocationInvalid(ValidationFailed):
    code = NetworkErrorCode.LOCATION_INVALID
    title = "Invalid location"


class LocationExists(Conflict):
    code = NetworkErrorCode.LOCATION_EXISTS
    title = "A location with this code exists"


class LocationRangeInvalid(ValidationFailed):
    code = NetworkErrorCode.LOCATION_RANGE_INVALID
    title = "Invalid location range"


class VirtualLocationMissing(NotFound):
    code = NetworkErrorCode.VIRTUAL_LOCATION_MISSING
    title = "The virtual location does not exist yet"


class FxImportInvalid(ValidationFailed):
    """The FX file has errors; ``context["errors"]`` lists each as ``{row, column, detail}``."""

    code = NetworkErrorCode.FX_IMPORT_INVALID
    title = "The FX rate file has errors; nothing was imported"


class CarrierInvalid(ValidationFailed):
    code = NetworkErrorCode.CARRIER_INVALID
    title = "Invalid carrier"


class CarrierCodeTaken(Conflict):
    code = NetworkErrorCode.CARRIER_CODE_TAKEN
    title = "A carrier with this code exists"


class CarrierServiceInvalid(ValidationFailed):
    code = NetworkErrorCode.CARRIER_SERVICE_INVALID
    title = "Invalid carrier service"


class CarrierServiceCodeTaken(Conflict):
    code = NetworkErrorCode.CARRIER_SERVICE_CODE_TAKEN
    title = "A carrier service with this code exists"


class RateCardInvalid(ValidationFailed):
    code = NetworkErrorCode.RATE_CARD_INVALID
    title = "Invalid rate card"


class RateCardOverlap(Conflict):
    """Another active card of the service is in effect on some of the same days."""

    code = NetworkErrorCode.RATE_CARD_OVERLAP
    title = "Another rate card of the service is in effect on these dates"


class RateQuoteInvalid(ValidationFailed):
    code = NetworkErrorCode.RATE_QUOTE_INVALID
    title = "The parcel or destination cannot be quoted"
