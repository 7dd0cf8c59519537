from django.db import models
from django.db.models import F, Q

from haicang.core.models.base import Entity


class FxRate(Entity):
    """One dated exchange rate: on ``on``, 1 ``base`` buys ``rate`` ``quote`` (EUR→USD 1.0842).

    Written only by ``haicang.core.fx.fx_rate_record`` (one row per pair and day, re-recording replaces it);
    read by ``fx_rate_on``, which takes the latest rate on or before a date, in either direction.
    """

    base = models.CharField(max_length=3)
    quote = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=24, decimal_places=10)
    on = models.DateField()
    source = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["base", "quote", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "on"], name="fx_rate_pair_day_unique"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="fx_rate_positive"),
            models.CheckConstraint(condition=~Q(base=F("quote")), name="fx_rate_two_currencies"),
        ]
        verbose_name = "FX rate"

    def __str__(self) -> str:
        return f"{self.base}/{self.quote} {self.rate} on {self.on:%Y-%m-%d}"
