"""Forms of the channel account pages. They parse input; the services decide. Credentials are typed as
``name = value`` lines and are never shown back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicang.channels.connectors import CONNECTORS
from haicang.channels.models import PLATFORM_CHOICES, RuleMode
from haicang.network.models import Warehouse


def credential_hint() -> str:
    """Which credential names each platform needs, for the form's help text."""
    return "; ".join(f"{c.label}: {', '.join(c.credential_fields)}" for c in CONNECTORS.values())


class ChannelAccountForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=PLATFORM_CHOICES)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("How your team calls this store."))
    currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("The store's selling currency, e.g. USD.")
    )
    external_shop_id = forms.CharField(label=_("Store id on the platform"), max_length=100, required=False)
    region = forms.CharField(
        label=_("Region"), max_length=16, required=False, help_text=_("US, EU, GLOBAL or a country code.")
    )
    credentials = forms.CharField(
        label=_("API credentials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "One per line as name = value. Stored encrypted and never shown again; leave empty to keep them."
        ),
    )
    remove_credentials = forms.BooleanField(label=_("Remove the stored credentials"), required=False)
    webhook_secret = forms.CharField(
        label=_("Webhook secret"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted and never shown again; leave empty to keep it."),
    )
    remove_webhook_secret = forms.BooleanField(label=_("Remove the stored webhook secret"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["platform"]
        else:
            del self.fields["remove_credentials"]
            del self.fields["remove_webhook_secret"]
        self.fields["credentials"].help_text = f"{self.fields['credentials'].help_text} ({credential_hint()})"

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()

    def clean_credentials(self) -> dict[str, str] | None:
        text = str(self.cleaned_data.get("credentials") or "")
        if not text.strip():
            return None
        out: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            name, separator, value = line.partition("=")
            if not separator or not name.strip():
                raise forms.ValidationError(
                    _("Line %(number)s is not name = value."), params={"number": number}, code="credentials"
                )
            out[name.strip()] = value.strip()
        return out

    def service_changes(self) -> dict[str, Any]:
        """The cleaned data as the service's keyword arguments (None: leave as it is)."""
        data = self.cleaned_data
        changes: dict[str, Any] = {
            "name": data["name"],
            "currency": data["currency"],
            "external_shop_id": data.get("external_shop_id", ""),
            "region": data.get("region", ""),
            "credentials": data.get("credentials"),
            "webhook_secret": data.get("webhook_secret") or None,
        }
        if data.get("remove_credentials"):
            changes["credentials"] = {}
        if data.get("remove_webhook_secret"):
            changes["webhook_secret"] = ""
        return changes


class AccountWarehousesForm(forms.Form):
    """The warehouses an account sells from, among those of the seller's active agreements."""

    warehouses = forms.ModelMultipleChoiceField(
        label=_("Sells from the warehouses"),
        queryset=Warehouse.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["warehouses"]
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.queryset = choices


class StockShareRuleForm(forms.Form):
    sku_code = forms.CharField(
        label=_("SKU"),
        max_length=64,
        required=False,
        help_text=_("Empty: the account's default for every SKU."),
    )
    mode = forms.ChoiceField(label=_("Share"), choices=RuleMode.choices)
    value = forms.CharField(
        label=_("Percent or quantity"),
        max_length=20,
        help_text=_("0 to 100 for a percent; units for a fixed quantity."),
    )
    buffer = forms.IntegerField(label=_("Safety buffer (units)"), min_value=0, initial=0, required=False)
