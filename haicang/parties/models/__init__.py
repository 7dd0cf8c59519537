from haicang.parties.models.agreements import (
    AgreementStatus,
    FeeKind,
    FeeLine,
    FeeSchedule,
    ServiceAgreement,
    StorageAgeBand,
)
from haicang.parties.models.parties import (
    ApiKey,
    ComplianceId,
    ComplianceKind,
    Membership,
    Operator,
    PartyStatus,
    Seller,
    SellerMarket,
)

__all__ = [
    "AgreementStatus",
    "ApiKey",
    "ComplianceId",
    "ComplianceKind",
    "FeeKind",
    "FeeLine",
    "FeeSchedule",
    "Membership",
    "Operator",
    "PartyStatus",
    "Seller",
    "SellerMarket",
    "ServiceAgreement",
    "StorageAgeBand",
]
