"""How each party sees the parties registry (see ``haicang.parties.scoping``)."""

from django.db.models import Q

from haicang.parties.models import (
    ApiKey,
    ComplianceId,
    FeeSchedule,
    Membership,
    Operator,
    Seller,
    SellerMarket,
    ServiceAgreement,
)
from haicang.parties.scoping import register_scoped

register_scoped(
    Seller,
    seller=lambda party: Q(pk=party),
    operator=lambda party: Q(agreements__operator_id=party),
    installation_admin=True,
)
register_scoped(
    Operator,
    operator=lambda party: Q(pk=party),
    seller=lambda party: Q(agreements__seller_id=party),
    installation_admin=True,
)
register_scoped(
    Membership,
    seller=lambda party: Q(seller_id=party),
    operator=lambda party: Q(operator_id=party),
    installation_admin=True,
)
register_scoped(ApiKey, seller=lambda party: Q(seller_id=party), operator=lambda party: Q(operator_id=party))
register_scoped(
    ServiceAgreement, seller=lambda party: Q(seller_id=party), operator=lambda party: Q(operator_id=party)
)
register_scoped(
    FeeSchedule,
    seller=lambda party: Q(agreement__seller_id=party),
    operator=lambda party: Q(agreement__operator_id=party),
)
# Operators see their sellers' markets and compliance ids: customs and packaging declarations need them.
register_scoped(
    SellerMarket,
    seller=lambda party: Q(seller_id=party),
    operator=lambda party: Q(seller__agreements__operator_id=party),
)
register_scoped(
    ComplianceId,
    seller=lambda party: Q(seller_id=party),
    operator=lambda party: Q(seller__agreements__operator_id=party),
)
