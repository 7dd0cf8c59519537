from django.db import models


class DocumentSequence(models.Model):
    """The last number issued for one (scope, prefix, year); advanced only by ``core.sequences``.

    ``scope`` is the owning party's id (a seller's, for ``ORD-2026-000123``), so every seller counts from 1.
    """

    scope = models.UUIDField()
    prefix = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last_value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "prefix", "year"], name="document_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year} @ {self.last_value} ({self.scope})"
