"""Warehouses, the markets they serve, their weekly hours and holidays."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q

from haicang.core.models import Entity

DEFAULT_CUTOFF = dt.time(14, 0)


class Warehouse(Entity):
    """A warehouse run by an operator: a business address, a time zone, a currency and a working calendar.

    Its service area is the set of markets (destination countries) it ships to (:class:`WarehouseMarket`);
    its calendar is :class:`WorkingHours` per weekday plus :class:`Holiday` rows; cut-offs and SLAs are computed
    in its time zone (see ``haicang.network.calendar``). Written only by ``haicang.network.services``.
    """

    operator = models.ForeignKey("parties.Operator", on_delete=models.PROTECT, related_name="warehouses")
    code = models.CharField(max_length=20, unique=True, help_text="Short unique code, e.g. FRA1")
    name = models.CharField(max_length=200)
    address_line1 = models.CharField(max_length=200)
    address_line2 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    time_zone = models.CharField(max_length=64, help_text="IANA time zone, e.g. Europe/Berlin")
    currency = models.CharField(max_length=3, help_text="ISO 4217 currency of local costs")
    cutoff_time = models.TimeField(default=DEFAULT_CUTOFF, help_text="Daily order cut-off, local time")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WarehouseMarket(models.Model):
    """One market (destination country) in a warehouse's service area."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="markets")
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "country"], name="warehouse_market_unique")
        ]

    def __str__(self) -> str:
        return f"{self.warehouse.code} → {self.country}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """A warehouse's local opening hours on one weekday. ``closes`` 00:00 is midnight at the day's end."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday"]
        verbose_name_plural = "working hours"
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "weekday"], name="working_hours_weekday_unique"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="working_hours_weekday_range"),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")) | Q(closes=dt.time(0)), name="working_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Holiday(Entity):
    """A local date on which the warehouse does not work."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="holidays")
    on = models.DateField()
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["warehouse", "on"]
        constraints = [models.UniqueConstraint(fields=["warehouse", "on"], name="holiday_date_unique")]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.name}"
