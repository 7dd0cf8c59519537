"""Forms of the carrier pages: add a carrier, add a service, quote a parcel."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicang.network.models import Carrier, ServiceLevel, Warehouse


class CarrierForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. UPX"))
    name = forms.CharField(label=_("Name"), max_length=100)
    tracking_url_template = forms.CharField(
        label=_("Tracking URL"),
        max_length=300,
        required=False,
        help_text=_("With {tracking_number} where the number goes."),
    )


class CarrierServiceForm(forms.Form):
    carrier = forms.ModelChoiceField(label=_("Carrier"), queryset=Carrier.objects.none())
    code = forms.CharField(label=_("Code"), max_length=30, help_text=_("e.g. UPX-GROUND"))
    name = forms.CharField(label=_("Name"), max_length=100)
    service_level = forms.ChoiceField(label=_("Service level"), choices=ServiceLevel.choices)
    warehouses = forms.ModelMultipleChoiceField(
        label=_("Ships from"), queryset=Warehouse.objects.none(), required=False
    )
    countries = forms.CharField(
        label=_("Delivers to"), help_text=_("Country codes separated by spaces, e.g. DE AT")
    )
    transit_days_default = forms.IntegerField(label=_("Transit days"), min_value=0, max_value=120, initial=3)
    residential_allowed = forms.BooleanField(label=_("Delivers to homes"), required=False, initial=True)

    def __init__(self, *args: Any, carriers: Any, warehouses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        carrier_field: Any = self.fields["carrier"]
        carrier_field.queryset = carriers
        warehouse_field: Any = self.fields["warehouses"]
        warehouse_field.queryset = warehouses

    def clean_countries(self) -> list[str]:
        return [part.upper() for part in self.cleaned_data["countries"].replace(",", " ").split()]


class QuoteForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("From warehouse"), queryset=Warehouse.objects.none())
    weight_g = forms.IntegerField(label=_("Weight (g)"), min_value=1, max_value=1_000_000)
    length_mm = forms.IntegerField(label=_("Length (mm)"), min_value=1, max_value=10_000)
    width_mm = forms.IntegerField(label=_("Width (mm)"), min_value=1, max_value=10_000)
    height_mm = forms.IntegerField(label=_("Height (mm)"), min_value=1, max_value=10_000)
    country = forms.CharField(label=_("Country"), max_length=2, min_length=2)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    residential = forms.BooleanField(label=_("Home address"), required=False)
    on = forms.DateField(
        label=_("Rates of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today"),
    )

    def __init__(self, *args: Any, warehouses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["warehouse"]
        field.queryset = warehouses

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).upper()
