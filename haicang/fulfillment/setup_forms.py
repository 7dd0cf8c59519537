"""Forms of the setup pages: a box of the catalogue, a carrier's pick-up time. They only parse input: the views
hand it to the services of ``setup.py``, which check it (and name the field when they refuse)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicang.fulfillment.setup import MAX_BOX_WEIGHT_G, MAX_SIDE_MM
from haicang.network.models import Carrier, Warehouse


class BoxTypeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. S2 or MAILER-M; never changes"))
    name = forms.CharField(label=_("Name"), max_length=100)
    inner_length_mm = forms.IntegerField(label=_("Inner length (mm)"), min_value=1, max_value=MAX_SIDE_MM)
    inner_width_mm = forms.IntegerField(label=_("Inner width (mm)"), min_value=1, max_value=MAX_SIDE_MM)
    inner_height_mm = forms.IntegerField(label=_("Inner height (mm)"), min_value=1, max_value=MAX_SIDE_MM)
    max_weight_g = forms.IntegerField(
        label=_("Rated gross weight (g)"),
        min_value=1,
        max_value=MAX_BOX_WEIGHT_G,
        help_text=_("Items and box together"),
    )
    tare_g = forms.IntegerField(
        label=_("Tare (g)"), min_value=0, max_value=MAX_BOX_WEIGHT_G, initial=0, help_text=_("The empty box")
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the code never changes
            del self.fields["code"]
        for name in ("inner_length_mm", "inner_width_mm", "inner_height_mm", "max_weight_g", "tare_g"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"


WEEKDAY_CHOICES = [
    (1, _("Mon")),
    (2, _("Tue")),
    (3, _("Wed")),
    (4, _("Thu")),
    (5, _("Fri")),
    (6, _("Sat")),
    (7, _("Sun")),
]


class PickupScheduleForm(forms.Form):
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    carrier = forms.ModelChoiceField(label=_("Carrier"), queryset=Carrier.objects.none())
    pickup_time = forms.TimeField(
        label=_("Pick-up time"),
        help_text=_("Local time at the warehouse"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        initial=[1, 2, 3, 4, 5],
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, warehouses: Any, carriers: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        warehouse_field: Any = self.fields["warehouse"]
        warehouse_field.queryset = warehouses
        carrier_field: Any = self.fields["carrier"]
        carrier_field.queryset = carriers
        if editing:  # the warehouse and carrier never change: delete and add instead
            del self.fields["warehouse"]
            del self.fields["carrier"]
        else:
            del self.fields["is_active"]
