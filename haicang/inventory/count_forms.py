"""Forms of the count pages: they parse input; the views call the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haicang.core.errors import DomainError
from haicang.core.money import CURRENCIES, Money
from haicang.inventory import count_selectors as cs
from haicang.inventory.count_rules import MAX_POLICY_UNITS, MAX_POLICY_VALUE
from haicang.network.models import Location, Warehouse
from haicang.parties.models import Membership
from haicang.parties.scoping import Scope

_SPLIT = re.compile(r"[\s,;]+")


class CountTaskForm(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.none(), label=_("Warehouse"))
    kind = forms.ChoiceField(
        choices=[("location", _("These locations")), ("sku", _("One SKU wherever it is"))],
        widget=forms.RadioSelect,
        initial="location",
        label=_("Count"),
    )
    locations = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Location codes"),
        help_text=_("One per line, or separated by commas or spaces."),
    )
    sku = forms.CharField(required=False, max_length=64, label=_("SKU code or barcode"))
    assignee = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label=_("Counter"),
        empty_label=_("Anyone (a manager)"),
    )
    note = forms.CharField(required=False, max_length=500, label=_("Note"))

    def __init__(
        self, *args: Any, warehouses: QuerySet[Warehouse], members: QuerySet[Membership], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = members  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = lambda m: f"{m.user.get_username()} ({m.role})"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "sku" and not (data.get("sku") or "").strip():
            self.add_error("sku", _("Enter the SKU to count."))
        if data.get("kind") == "location" and not _SPLIT.split((data.get("locations") or "").strip())[0]:
            self.add_error("locations", _("Enter at least one location code."))
        return data

    def task_arguments(self, scope: Scope) -> dict[str, Any]:
        """The arguments of ``count_task_create``; raises a DomainError for an unknown code."""
        data = self.cleaned_data
        warehouse: Warehouse = data["warehouse"]
        member = data.get("assignee")
        arguments: dict[str, Any] = {
            "warehouse": warehouse,
            "assignee": member.user if member else None,
            "note": data.get("note") or "",
        }
        if data["kind"] == "sku":
            arguments["sku"] = cs.sku_by_scan(scope, data["sku"])
        else:
            codes = [c for c in _SPLIT.split(data["locations"].strip()) if c]
            found: dict[Any, Location] = {}
            for code in codes:
                location = cs.location_by_code(warehouse, code)
                found[location.pk] = location
            arguments["locations"] = list(found.values())
        return arguments

    def field_for(self, exc: DomainError) -> str | None:
        return {"location": "locations", "locations": "locations", "sku": "sku", "assignee": "assignee"}.get(
            exc.field or ""
        )


class CountLineForm(forms.Form):
    """One scan: the location, the SKU (code or barcode), the lot when the SKU has lots, and the quantity."""

    location = forms.CharField(max_length=20, label=_("Location"))
    sku = forms.CharField(max_length=64, label=_("SKU or barcode"))
    lot = forms.CharField(max_length=64, required=False, label=_("Lot (if the item has one)"))
    quantity = forms.IntegerField(min_value=0, max_value=10_000_000, label=_("Quantity counted"))

    def field_for(self, exc: DomainError) -> str | None:
        return {"location": "location", "sku": "sku", "lot_code": "lot", "quantity": "quantity"}.get(
            exc.field or ""
        )


class DecisionForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label=_("Note"))


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=500, label=_("Why recount?"))


class CountPolicyForm(forms.Form):
    """One warehouse's approval limits: a variance of more units than these, or worth more, waits for a
    manager."""

    max_units = forms.IntegerField(
        min_value=0,
        max_value=MAX_POLICY_UNITS,
        label=_("Units (either way)"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    amount = forms.DecimalField(
        min_value=0,
        max_value=MAX_POLICY_VALUE,
        max_digits=17,
        decimal_places=4,
        label=_("Value"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
    )
    currency = forms.ChoiceField(choices=[(code, code) for code in sorted(CURRENCIES)], label=_("Currency"))

    def max_value(self) -> Money:
        return Money(self.cleaned_data["amount"], self.cleaned_data["currency"])

    def field_for(self, exc: DomainError) -> str | None:
        return {"max_units": "max_units", "max_value": "amount"}.get(exc.field or "")
