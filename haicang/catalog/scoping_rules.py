"""How each party sees the catalogue (see ``haicang.parties.scoping``).

A seller sees its own products and SKUs; an operator sees those of the sellers it has a service agreement
with (it receives, stores and ships them). Installation admins see none: catalogues are customer data.
"""

from django.db.models import Q

from haicang.catalog.models import Barcode, KitComponent, Product, Sku
from haicang.parties.scoping import register_scoped

register_scoped(
    Sku,
    seller=lambda party: Q(seller_id=party),
    operator=lambda party: Q(seller__agreements__operator_id=party),
)
register_scoped(
    Product,
    seller=lambda party: Q(seller_id=party),
    operator=lambda party: Q(seller__agreements__operator_id=party),
)
register_scoped(
    Barcode,
    seller=lambda party: Q(seller_id=party),
    operator=lambda party: Q(seller__agreements__operator_id=party),
)
register_scoped(
    KitComponent,
    seller=lambda party: Q(kit__seller_id=party),
    operator=lambda party: Q(kit__seller__agreements__operator_id=party),
)
