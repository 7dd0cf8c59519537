"""How each party sees imports and mapping profiles: its own, nothing else (see ``haicang.parties.scoping``).

Installation admins see none: uploaded files are customer data.
"""

from django.db.models import Q

from haicang.exchange.models import ImportJob, MappingProfile
from haicang.parties.scoping import register_scoped

register_scoped(
    ImportJob, seller=lambda party: Q(seller_id=party), operator=lambda party: Q(operator_id=party)
)
register_scoped(
    MappingProfile, seller=lambda party: Q(seller_id=party), operator=lambda party: Q(operator_id=party)
)
