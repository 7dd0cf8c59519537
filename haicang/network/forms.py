"""Forms of the warehouse pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HolidayForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("e.g. “Christmas Day”"))
