from enum import StrEnum

from haicang.core.errors import Conflict, NotFound, ValidationFailed


class PartiesErrorCode(StrEnum):
    PARTY_INVALID = "parties.party_invalid"
    ROLE_INVALID = "parties.role_invalid"
    MEMBERSHIP_EXISTS = "parties.membership_exists"
    LAST_OWNER = "parties.last_owner"
    MARKET_INVALID = "parties.market_invalid"
    COMPLIANCE_ID_INVALID = "parties.compliance_id_invalid"
    COMPLIANCE_ID_MISSING = "parties.compliance_id_missing"
    API_KEY_INVALID = "parties.api_key_invalid"
    AGREEMENT_INVALID = "parties.agreement_invalid"
    FEE_SCHEDULE_INVALID = "parties.fee_schedule_invalid"
    PARTY_NOT_FOUND = "parties.not_found"


class PartyInvalid(ValidationFailed):
    code = PartiesErrorCode.PARTY_INVALID


class RoleInvalid(ValidationFailed):
    code = PartiesErrorCode.ROLE_INVALID


class MembershipExists(Conflict):
    code = PartiesErrorCode.MEMBERSHIP_EXISTS


class LastOwner(Conflict):
    code = PartiesErrorCode.LAST_OWNER


class MarketInvalid(ValidationFailed):
    code = PartiesErrorCode.MARKET_INVALID


class ComplianceIdInvalid(ValidationFailed):
    code = PartiesErrorCode.COMPLIANCE_ID_INVALID


class ComplianceIdMissing(Conflict):
    code = PartiesErrorCode.COMPLIANCE_ID_MISSING
    title = "A compliance id the shipment needs is missing"


class ApiKeyInvalid(ValidationFailed):
    code = PartiesErrorCode.API_KEY_INVALID


class AgreementInvalid(ValidationFailed):
    code = PartiesErrorCode.AGREEMENT_INVALID


class FeeScheduleInvalid(ValidationFailed):
    code = PartiesErrorCode.FEE_SCHEDULE_INVALID


class PartyNotFound(NotFound):
    code = PartiesErrorCode.PARTY_NOT_FOUND
