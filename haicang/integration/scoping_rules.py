"""How each party sees its webhooks: a party its own subscriptions and their deliveries, nothing else."""

from django.db.models import Q

from haicang.integration.models import WebhookDelivery, WebhookSubscription
from haicang.parties.scoping import register_scoped

register_scoped(
    WebhookSubscription,
    seller=lambda party: Q(seller_id=party),
    operator=lambda party: Q(operator_id=party),
)
register_scoped(
    WebhookDelivery,
    seller=lambda party: Q(subscription__seller_id=party),
    operator=lambda party: Q(subscription__operator_id=party),
)
