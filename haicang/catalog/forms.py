"""Forms of the catalogue pages. They parse what a person typed; the services check and write it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haicang.catalog.labels import FIELD_LABELS
from haicang.catalog.models import Sku
from haicang.catalog.sku_fields import (
    CARTON_DIMENSIONS,
    DANGEROUS_GOODS,
    DIMENSIONS,
    SKU_FIELD_RULES,
    TRACKING,
    FieldKind,
)
from haicang.core.money import Money, amount_tidy

FIELDSETS: list[tuple[Any, list[str]]] = [
    (_("Identity"), ["code", "name_en", "name_zh", "style_code", "colour", "size"]),
    (_("Unit"), [*DIMENSIONS, "weight_g"]),
    (_("Carton"), ["units_per_carton", *CARTON_DIMENSIONS, "carton_weight_g"]),
    (_("Customs"), ["hs_code", "origin_country", "declared_value_amount", "declared_value_currency"]),
    (
        _("Purchasing"),
        ["purchase_cost_amount", "purchase_cost_currency", "supplier_name", "moq", "lead_time_days"],
    ),
    (_("Dangerous goods"), list(DANGEROUS_GOODS)),
    (_("Tracked per unit"), list(TRACKING)),
    (_("Barcodes and kit"), ["barcodes", "kit_components"]),
]
MONEY_FIELDS = ("declared_value", "purchase_cost")
AMOUNT_PATTERN = r"^[0-9]+(\.[0-9]+)?$"


def _form_field(name: str) -> forms.Field:
    rule = SKU_FIELD_RULES[name]
    label = FIELD_LABELS[name]
    if rule.kind is FieldKind.INT:
        return forms.IntegerField(label=label, required=False, min_value=rule.minimum, max_value=rule.maximum)
    if rule.kind is FieldKind.BOOL:
        return forms.BooleanField(label=label, required=False)
    if rule.kind is FieldKind.COUNTRY:
        return forms.CharField(
            label=label, required=False, max_length=2, help_text=_("Two letters, e.g. CN."), strip=True
        )
    if rule.kind is FieldKind.HS_CODE:
        return forms.CharField(label=label, required=False, max_length=20, help_text=_("6 to 10 digits."))
    return forms.CharField(label=label, required=rule.required, max_length=rule.max_length or None)


class SkuForm(forms.Form):
    code = forms.CharField(label=FIELD_LABELS["code"], max_length=64)
    style_code = forms.CharField(
        label=FIELD_LABELS["style_code"],
        max_length=64,
        required=False,
        help_text=_("The product (style) this SKU is a variant of; leave empty for none."),
    )
    declared_value_amount = forms.RegexField(
        AMOUNT_PATTERN, label=FIELD_LABELS["declared_value"], required=False, max_length=30
    )
    declared_value_currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    purchase_cost_amount = forms.RegexField(
        AMOUNT_PATTERN, label=FIELD_LABELS["purchase_cost"], required=False, max_length=30
    )
    purchase_cost_currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    barcodes = forms.CharField(
        label=FIELD_LABELS["barcodes"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: GTIN-8, -12, -13 or -14, or your own code."),
    )
    kit_components = forms.CharField(
        label=FIELD_LABELS["kit_components"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One component per line as SKU code*quantity, e.g. CASE-01*2. Empty: not a kit."),
    )

    def __init__(self, *args: Any, base_currency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SKU_FIELD_RULES:
            if name not in MONEY_FIELDS and name != "status":
                self.fields[name] = _form_field(name)
        for name in MONEY_FIELDS:
            self.fields[f"{name}_currency"].widget.attrs["placeholder"] = base_currency
        self.base_currency = base_currency

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in FIELDSETS]

    def sku_fields(self) -> dict[str, Any]:
        """The cleaned values as the services take them (money as Money, or None when no amount)."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for name in SKU_FIELD_RULES:
            if name in MONEY_FIELDS:
                amount = data.get(f"{name}_amount") or ""
                currency = (data.get(f"{name}_currency") or self.base_currency).upper()
                out[name] = Money.of(amount, currency) if amount else None
            elif name != "status":
                out[name] = data.get(name)
        return out

    def barcode_lines(self) -> list[str]:
        return [
            line.strip() for line in (self.cleaned_data.get("barcodes") or "").splitlines() if line.strip()
        ]

    def kit_text(self) -> str:
        lines = (self.cleaned_data.get("kit_components") or "").splitlines()
        return "|".join(line.strip() for line in lines if line.strip())


def sku_initial(sku: Sku) -> dict[str, Any]:
    """A SKU's values as the form's initial data."""
    initial: dict[str, Any] = {"code": sku.code, "style_code": sku.product.style_code if sku.product else ""}
    for name in SKU_FIELD_RULES:
        value = getattr(sku, name)
        if name in MONEY_FIELDS:
            if value is not None:
                initial[f"{name}_amount"] = f"{amount_tidy(value.amount, value.currency):f}"
                initial[f"{name}_currency"] = value.currency
        else:
            initial[name] = value
    initial["barcodes"] = "\n".join(b.value for b in sku.barcodes.all())
    initial["kit_components"] = "\n".join(
        f"{c.component.code}*{c.quantity}" for c in sku.components.select_related("component").order_by("id")
    )
    return initial


# Where a service's error about a field shows on the form.
ERROR_FIELDS = {
    "barcode": "barcodes",
    "components": "kit_components",
    "product": "style_code",
    "declared_value": "declared_value_amount",
    "declared_value_currency": "declared_value_currency",
    "purchase_cost": "purchase_cost_amount",
    "purchase_cost_currency": "purchase_cost_currency",
}


class ProductForm(forms.Form):
    style_code = forms.CharField(label=FIELD_LABELS["style_code"], max_length=64)
    name_en = forms.CharField(label=FIELD_LABELS["name_en"], max_length=200)
    name_zh = forms.CharField(label=FIELD_LABELS["name_zh"], max_length=200, required=False)
    brand = forms.CharField(label=FIELD_LABELS["brand"], max_length=100, required=False)
    category = forms.CharField(label=FIELD_LABELS["category"], max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Catalogue file"), help_text=_("CSV (UTF-8) or Excel (.xlsx)."))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)
