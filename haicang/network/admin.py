"""The Django admin shows the warehouse network read-only: it changes only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haicang.network.models import Holiday, Location, Warehouse, WarehouseMarket, WorkingHours


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MarketInline(ReadOnlyInline):
    model = WarehouseMarket


class WorkingHoursInline(ReadOnlyInline):
    model = WorkingHours


class HolidayInline(ReadOnlyInline):
    model = Holiday
    fields = ["on", "name"]


@admin.register(Warehouse)
class WarehouseAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "operator", "city", "country", "time_zone", "currency", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["code", "name", "city"]
    inlines = [MarketInline, WorkingHoursInline, HolidayInline]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["code", "warehouse", "kind", "pick_sequence", "x_m", "y_m", "is_active"]
    list_filter = ["kind", "is_active", "warehouse"]
    search_fields = ["code"]
    list_select_related = ["warehouse"]


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyAdmin):
    list_display = ["on", "name", "warehouse"]
    list_filter = ["warehouse"]
