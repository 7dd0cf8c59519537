from django.db import models

from haicang.core.fields import MoneyField


class Ledger(models.Model):
    """A line of money, as a real app would keep one: an amount and an optional unit cost."""

    label = models.CharField(max_length=50, blank=True)
    amount = MoneyField()
    unit_cost = MoneyField(places=6, null=True, blank=True)

    class Meta:
        app_label = "moneyapp"

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class Priced(models.Model):
    """An abstract base carrying money, to show that a MoneyField is inherited with its two columns."""

    price = MoneyField("list price")

    class Meta:
        abstract = True
        app_label = "moneyapp"


class Charge(Priced):
    fee = MoneyField(null=True, blank=True)

    class Meta:
        app_label = "moneyapp"

    def __str__(self) -> str:
        return f"{self.price} + {self.fee}"
