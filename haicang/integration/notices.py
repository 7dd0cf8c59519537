"""The standing notice that the relay turned a subscription off (``haicang.web.notices``).

Shown on every page to members of the owning party whose role may manage webhooks (``integration:write``),
until someone acknowledges it or turns the subscription on again. The state is stored on the subscription
(``disabled_cause``, ``disabled_acknowledged_at``); the check is one small query, and none at all for a
member without the permission.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haicang.integration.selectors import WRITE, disabled_unacknowledged
from haicang.parties.access import scope_for_request
from haicang.web.notices import Notice

MAX_NOTICES = 3


def disabled_subscription_notices(request: HttpRequest) -> list[Notice]:
    scope = scope_for_request(request)
    if scope.party_id is None or not scope.can(WRITE):
        return []
    rows = disabled_unacknowledged(scope).values_list("pk", "url", "disabled_at")[:MAX_NOTICES]
    return [
        Notice(
            key=f"webhook-off-{pk}",
            message=_(
                "Haicang turned off the webhook subscription to %(url)s on %(when)s because its deliveries "
                "kept failing. No events are sent to it until it is turned on again."
            )
            % {
                "url": url,
                "when": timezone.localtime(disabled_at).strftime("%Y-%m-%d %H:%M") if disabled_at else "",
            },
            url=reverse("integration:webhook-detail", kwargs={"pk": pk}),
            link_label=_("Review the subscription"),
            level="error",
        )
        for pk, url, disabled_at in rows
    ]
