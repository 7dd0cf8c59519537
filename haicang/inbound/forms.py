"""Forms of the inbound pages, and what the pages call statuses, modes, costs and problems.

The forms parse what a person typed into the document the services take (``AsnSpec``); the services check it
and list every problem with its path (``lines.2.quantity``), which :func:`problems_place` puts back next to
the field or row it is about. A carton row may stand for several identical cartons (``1-20``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haicang.core.errors import DomainError
from haicang.core.money import CurrencyUnknown, Money, amount_tidy, currency_check
from haicang.inbound.asn_rules import (
    MAX_CARTONS,
    AsnSpec,
    CartonSpec,
    ContentSpec,
    CostSpec,
    CustomsSpec,
    LineSpec,
)
from haicang.inbound.documents import HEADER_FIELDS
from haicang.inbound.errors import FieldProblem, InboundErrorCode, InboundInvalid
from haicang.inbound.landed_cost import UNITS, Basis, CostKind
from haicang.inbound.models import InboundShipment, ShipmentStatus, TransportMode
from haicang.network.models import Warehouse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# --- labels ------------------------------------------------------------------------------------------------

STATUS_LABELS: dict[str, StrOrPromise] = {
    ShipmentStatus.DRAFT: pgettext_lazy("inbound status", "Draft"),
    ShipmentStatus.SUBMITTED: pgettext_lazy("inbound status", "Submitted"),
    ShipmentStatus.IN_TRANSIT: pgettext_lazy("inbound status", "In transit"),
    ShipmentStatus.ARRIVED: pgettext_lazy("inbound status", "Arrived"),
    ShipmentStatus.RECEIVING: pgettext_lazy("inbound status", "Receiving"),
    ShipmentStatus.CLOSED: pgettext_lazy("inbound status", "Closed"),
    ShipmentStatus.CANCELLED: pgettext_lazy("inbound status", "Cancelled"),
}

MODE_LABELS: dict[str, StrOrPromise] = {
    TransportMode.SEA_FCL: _("Sea, full container (FCL)"),
    TransportMode.SEA_LCL: _("Sea, less than container (LCL)"),
    TransportMode.AIR: _("Air"),
    TransportMode.RAIL: _("Rail"),
    TransportMode.EXPRESS: _("Express"),
}

COST_KIND_LABELS: dict[str, StrOrPromise] = {
    CostKind.FREIGHT: _("Freight"),
    CostKind.INSURANCE: _("Insurance"),
    CostKind.DUTY: _("Duty"),
    CostKind.IMPORT_VAT: _("Import VAT"),
    CostKind.BROKER: _("Customs broker"),
    CostKind.OTHER: _("Other cost"),
}

BASIS_LABELS: dict[str, StrOrPromise] = {
    Basis.VOLUME: _("by volume"),
    Basis.WEIGHT: _("by weight"),
    Basis.VALUE: _("by value"),
    UNITS: _("by units"),
}

PROBLEM_REASONS: dict[str, StrOrPromise] = {
    InboundErrorCode.SKU_UNKNOWN: _("Unknown SKU"),
    InboundErrorCode.SKU_DUPLICATE: _("SKU listed twice"),
    InboundErrorCode.QUANTITY_INVALID: _("The quantity must be a whole number above 0"),
    InboundErrorCode.CARTONS_INCONSISTENT: _("The cartons do not match the lines"),
    InboundErrorCode.CARTON_INVALID: _("Invalid carton"),
    InboundErrorCode.DESTINATION_INVALID: _("This warehouse cannot receive your goods"),
    InboundErrorCode.FIELD_INVALID: _("Invalid value"),
    InboundErrorCode.FIELD_REQUIRED: _("Required"),
    InboundErrorCode.COST_MISSING: _("No purchase cost: give one here or on the SKU"),
    InboundErrorCode.STATUS_INVALID: _(
        "The shipment's status does not allow this (it may have just changed)."
    ),
    InboundErrorCode.STALE: _("Someone changed this shipment meanwhile: reload it and try again."),
    InboundErrorCode.LANDED_COST_UNAVAILABLE: _("The landed cost cannot be computed"),
    InboundErrorCode.OVER_RECEIPT: _("More units than expected"),
    InboundErrorCode.RECEIPT_INVALID: _("Invalid receipt"),
    InboundErrorCode.LOCATION_MISSING: _("The warehouse has no location for this"),
}


def problem_text(problem: FieldProblem) -> str:
    """A problem as a person reads it: the translated reason, then the service's detail."""
    reason = PROBLEM_REASONS.get(str(problem.code))
    return f"{reason}: {problem.detail}" if reason else problem.detail


def error_message(exc: DomainError) -> str:
    reason = PROBLEM_REASONS.get(str(exc.code))
    return f"{reason} ({exc.detail})" if reason else exc.detail


# --- parsing helpers ---------------------------------------------------------------------------------------

AMOUNT_PATTERN = r"^[0-9]+(\.[0-9]+)?$"
_CONTENT = re.compile(r"^\s*(?P<sku>\S.*?)\s*[*×]\s*(?P<quantity>-?\d+)\s*$")
_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–~]\s*(\d+))?\s*$")


def _currency_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Currency"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters", "class": "currency"}),
    )


def _clean_currency(value: str | None) -> str:
    text = (value or "").strip().upper()
    if not text:
        return ""
    try:
        return currency_check(text)
    except CurrencyUnknown as exc:
        raise forms.ValidationError(_("%(code)s is not a currency code."), params={"code": text}) from exc


def _money(amount: str | None, currency: str) -> Money | None:
    if not amount:
        return None
    return Money.of(amount, currency)


def _tidy(money: Money | None) -> tuple[str, str]:
    if money is None:
        return "", ""
    return f"{amount_tidy(money.amount, money.currency):f}", money.currency


def _mm(cm: Decimal | None) -> int | None:
    return None if cm is None else int((cm * 10).to_integral_value())


def _g(kg: Decimal | None) -> int | None:
    return None if kg is None else int((kg * 1000).to_integral_value())


def _cm(mm: int | None) -> Decimal | None:
    return None if mm is None else Decimal(mm) / 10


def _kg(g: int | None) -> Decimal | None:
    return None if g is None else Decimal(g) / 1000


def carton_numbers_parse(text: str) -> list[int]:
    """``"7"`` → [7]; ``"1-20"`` → 1…20. Raises ValidationError."""
    match = _RANGE.match(text or "")
    if match is None:
        raise forms.ValidationError(_("A carton number, or a range like 1-20."))
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    if first < 1 or last < first:
        raise forms.ValidationError(_("A range goes from a number above 0 up, like 1-20."))
    if last - first + 1 > MAX_CARTONS:
        raise forms.ValidationError(
            _("At most %(count)d cartons in a shipment."), params={"count": MAX_CARTONS}
        )
    return list(range(first, last + 1))


def contents_parse(text: str) -> list[tuple[str, int]]:
    """One SKU per line as ``CODE*quantity`` (or ``CODE × quantity``). Raises ValidationError."""
    out: list[tuple[str, int]] = []
    for raw in (text or "").replace(",", "\n").replace(";", "\n").splitlines():
        if not raw.strip():
            continue
        match = _CONTENT.match(raw)
        if match is None:
            raise forms.ValidationError(
                _("Write each SKU as CODE*quantity, e.g. TEE-RED-M*24: %(line)s"),
                params={"line": raw.strip()},
            )
        out.append((match.group("sku"), int(match.group("quantity"))))
    return out


def contents_text(contents: Iterable[tuple[str, int]]) -> str:
    return "\n".join(f"{code}*{quantity}" for code, quantity in contents)


# --- the header --------------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class WarehouseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


class ShipmentForm(forms.Form):
    warehouse = WarehouseField(
        label=_("Destination warehouse"),
        queryset=Warehouse.objects.none(),
        empty_label=_("Choose a warehouse"),
    )
    mode = forms.ChoiceField(label=_("Transport mode"), choices=list(MODE_LABELS.items()))
    carrier = forms.CharField(label=_("Carrier"), required=False, max_length=100)
    origin_city = forms.CharField(label=_("Origin city"), required=False, max_length=100)
    origin_port = forms.CharField(
        label=_("Origin port or airport"), required=False, max_length=100, help_text=_("e.g. CNSZX")
    )
    origin_country = forms.CharField(
        label=_("Origin country"), max_length=2, initial="CN", help_text=_("Two letters, e.g. CN.")
    )
    container_number = forms.CharField(label=_("Container number"), required=False, max_length=20)
    bill_of_lading = forms.CharField(label=_("Bill of lading"), required=False, max_length=40)
    air_waybill = forms.CharField(label=_("Air waybill"), required=False, max_length=20)
    etd = forms.DateField(label=_("ETD (departure)"), required=False, widget=DateInput())
    eta = forms.DateField(label=_("ETA (arrival at the warehouse)"), required=False, widget=DateInput())
    reference = forms.CharField(
        label=_("Your reference"), required=False, max_length=64, help_text=_("e.g. a purchase order")
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    FIELDSETS = (
        (_("Route"), ("warehouse", "mode", "carrier", "origin_city", "origin_port", "origin_country")),
        (
            _("Transport documents and dates"),
            ("container_number", "bill_of_lading", "air_waybill", "etd", "eta"),
        ),
        (_("Your notes"), ("reference", "note")),
    )

    def __init__(self, *args: Any, warehouses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        warehouse_field = self.fields["warehouse"]
        assert isinstance(warehouse_field, WarehouseField)  # noqa: S101 - declared above
        warehouse_field.queryset = warehouses

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def clean_origin_country(self) -> str:
        return str(self.cleaned_data.get("origin_country") or "").strip().upper()

    def header(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name) if name in ("etd", "eta") else data.get(name) or "" for name in HEADER_FIELDS
        }


def shipment_initial(shipment: InboundShipment) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(shipment, name) for name in HEADER_FIELDS}
    initial["warehouse"] = shipment.warehouse_id
    initial["version"] = shipment.version
    return initial


# --- rows --------------------------------------------------------------------------------------------------


class RowForm(forms.Form):
    """A row of a table of the document; a row left empty is skipped."""

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not any(value not in (None, "") for name, value in data.items() if name in self.content_fields)

    content_fields: tuple[str, ...] = ()


class LineForm(RowForm):
    sku = forms.CharField(
        label=_("SKU"), required=False, max_length=64, widget=forms.TextInput(attrs={"list": "inbound-skus"})
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    purchase_cost_amount = forms.RegexField(
        AMOUNT_PATTERN, label=_("Purchase cost per unit"), required=False, max_length=30
    )
    purchase_cost_currency = _currency_field()
    content_fields = ("sku", "quantity", "purchase_cost_amount")

    def clean_sku(self) -> str:
        return str(self.cleaned_data.get("sku") or "").strip()

    def clean_purchase_cost_currency(self) -> str:
        return _clean_currency(self.cleaned_data.get("purchase_cost_currency"))


class CartonForm(RowForm):
    numbers = forms.CharField(
        label=_("Carton no."), required=False, max_length=20, widget=forms.TextInput(attrs={"size": 7})
    )
    length_cm = forms.DecimalField(label=_("Length (cm)"), required=False, decimal_places=1, max_digits=7)
    width_cm = forms.DecimalField(label=_("Width (cm)"), required=False, decimal_places=1, max_digits=7)
    height_cm = forms.DecimalField(label=_("Height (cm)"), required=False, decimal_places=1, max_digits=7)
    weight_kg = forms.DecimalField(
        label=_("Gross weight (kg)"), required=False, decimal_places=3, max_digits=9
    )
    contents = forms.CharField(
        label=_("Contents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "TEE-RED-M*24"}),
        help_text=_("One SKU per line as CODE*quantity."),
    )
    content_fields = ("numbers", "length_cm", "width_cm", "height_cm", "weight_kg", "contents")

    def clean_numbers(self) -> list[int]:
        text = str(self.cleaned_data.get("numbers") or "").strip()
        return carton_numbers_parse(text) if text else []

    def clean_contents(self) -> list[tuple[str, int]]:
        return contents_parse(str(self.cleaned_data.get("contents") or ""))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not any(data.get(name) not in (None, "", []) for name in self.content_fields)


class CustomsForm(RowForm):
    sku = forms.CharField(
        label=_("SKU"), required=False, max_length=64, widget=forms.TextInput(attrs={"list": "inbound-skus"})
    )
    hs_code = forms.CharField(label=_("HS code"), required=False, max_length=20)
    origin_country = forms.CharField(label=_("Origin"), required=False, max_length=2)
    declared_value_amount = forms.RegexField(
        AMOUNT_PATTERN, label=_("Declared value of the line"), required=False, max_length=30
    )
    declared_value_currency = _currency_field()
    content_fields = ("sku", "hs_code", "origin_country", "declared_value_amount")

    def clean_sku(self) -> str:
        return str(self.cleaned_data.get("sku") or "").strip()

    def clean_origin_country(self) -> str:
        return str(self.cleaned_data.get("origin_country") or "").strip().upper()

    def clean_declared_value_currency(self) -> str:
        return _clean_currency(self.cleaned_data.get("declared_value_currency"))


class CostForm(RowForm):
    kind = forms.ChoiceField(label=_("Cost"), required=False, choices=[("", "—"), *COST_KIND_LABELS.items()])
    amount = forms.RegexField(AMOUNT_PATTERN, label=_("Amount"), required=False, max_length=30)
    currency = _currency_field()
    basis = forms.ChoiceField(
        label=_("Allocated"),
        required=False,
        choices=[
            ("", _("default (freight by volume, others by value)")),
            *((b.value, BASIS_LABELS[b.value]) for b in Basis),
        ],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    content_fields = ("kind", "amount", "note")

    def clean_currency(self) -> str:
        return _clean_currency(self.cleaned_data.get("currency"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank():
            if not data.get("kind"):
                self.add_error("kind", _("Choose what the cost is for."))
            if not data.get("amount") and "amount" not in self.errors:
                self.add_error("amount", _("Give the amount."))
        return data


def _formset(form: type[forms.Form], extra: int) -> type[forms.BaseFormSet[Any]]:
    return forms.formset_factory(form, extra=extra, max_num=MAX_CARTONS, absolute_max=MAX_CARTONS + 50)


LineFormSet = _formset(LineForm, 3)
CartonFormSet = _formset(CartonForm, 2)
CustomsFormSet = _formset(CustomsForm, 1)
CostFormSet = _formset(CostForm, 2)


# --- the whole document ------------------------------------------------------------------------------------


@dataclass
class ShipmentDocument:
    """The header form and the four tables of a shipment, bound or not, and the map from the document's
    indexes (``lines.3``) back to the rows of the page (a carton row may stand for several cartons)."""

    header: ShipmentForm
    lines: forms.BaseFormSet[Any]
    cartons: forms.BaseFormSet[Any]
    customs: forms.BaseFormSet[Any]
    costs: forms.BaseFormSet[Any]
    base_currency: str
    rows: dict[str, list[int]] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        data: Mapping[str, Any] | None,
        *,
        warehouses: Any,
        base_currency: str,
        shipment: InboundShipment | None = None,
    ) -> ShipmentDocument:
        initial = document_initial(shipment) if shipment is not None and data is None else {}
        costs_initial = initial.get("costs") or []
        document = cls(
            header=ShipmentForm(
                data, warehouses=warehouses, initial=initial.get("header") or {"origin_country": "CN"}
            ),
            lines=LineFormSet(data, prefix="lines", initial=initial.get("lines")),
            cartons=CartonFormSet(data, prefix="cartons", initial=initial.get("cartons")),
            customs=CustomsFormSet(data, prefix="customs", initial=initial.get("customs")),
            costs=CostFormSet(data, prefix="costs", initial=costs_initial),
            base_currency=base_currency,
        )
        for form in [*document.costs.forms, document.costs.empty_form]:
            form.fields["currency"].widget.attrs["placeholder"] = base_currency
        return document

    def is_valid(self) -> bool:
        return all(
            [
                self.header.is_valid(),
                self.lines.is_valid(),
                self.cartons.is_valid(),
                self.customs.is_valid(),
                self.costs.is_valid(),
            ]
        )

    def _filled(self, formset: forms.BaseFormSet[Any]) -> list[tuple[int, Any]]:
        return [(i, form) for i, form in enumerate(formset.forms) if not form.is_blank()]

    def spec(self, sku_currency: Mapping[str, str]) -> AsnSpec:
        """The document as the services take it (call after :meth:`is_valid`). ``sku_currency`` is the currency
        of each SKU's own purchase cost: an amount typed without a currency is in that one, else the base."""
        header = self.header.header()
        lines = []
        self.rows = {"lines": [], "cartons": [], "customs_lines": [], "costs": []}
        for i, form in self._filled(self.lines):
            data = form.cleaned_data
            currency = data["purchase_cost_currency"] or sku_currency.get(data["sku"]) or self.base_currency
            lines.append(
                LineSpec(data["sku"], data["quantity"], _money(data["purchase_cost_amount"], currency))
            )
            self.rows["lines"].append(i)
        cartons = []
        for i, form in self._filled(self.cartons):
            data = form.cleaned_data
            numbers = data["numbers"] or [None]
            for number in numbers:
                cartons.append(
                    CartonSpec(
                        number=number,
                        contents=[ContentSpec(code, quantity) for code, quantity in data["contents"]],
                        length_mm=_mm(data["length_cm"]),
                        width_mm=_mm(data["width_cm"]),
                        height_mm=_mm(data["height_cm"]),
                        gross_weight_g=_g(data["weight_kg"]),
                    )
                )
                self.rows["cartons"].append(i)
        customs = []
        for i, form in self._filled(self.customs):
            data = form.cleaned_data
            currency = data["declared_value_currency"] or self.base_currency
            customs.append(
                CustomsSpec(
                    data["sku"],
                    data["hs_code"].strip() or None,
                    data["origin_country"] or None,
                    _money(data["declared_value_amount"], currency),
                )
            )
            self.rows["customs_lines"].append(i)
        return AsnSpec(**header, lines=lines, cartons=cartons, customs_lines=customs, costs=self.cost_specs())

    def cost_specs(self) -> list[CostSpec]:
        costs = []
        self.rows["costs"] = []
        for i, form in self._filled(self.costs):
            data = form.cleaned_data
            currency = data["currency"] or self.base_currency
            costs.append(
                CostSpec(
                    data["kind"], Money.of(data["amount"], currency), data["basis"] or None, data["note"]
                )
            )
            self.rows["costs"].append(i)
        return costs

    def place(self, exc: InboundInvalid) -> None:
        """Show every problem next to what it is about, and all of them in a summary."""
        self.summary = [(p.field or "", problem_text(p)) for p in exc.problems]
        shown: set[tuple[int, str, str]] = set()
        for problem in exc.problems:
            text = problem_text(problem)
            target = self._target(problem.field or "")
            if target is None:
                continue
            form, name = target
            key = (id(form), name or "", text)
            if key in shown:  # a carton row of 20 cartons reports its problem 20 times
                continue
            shown.add(key)
            if isinstance(form, forms.BaseFormSet):
                form.non_form_errors().append(text)
            else:
                form.add_error(name if name in form.fields else None, text)

    def _target(self, path: str) -> tuple[Any, str | None] | None:
        parts = path.split(".")
        head = parts[0]
        tables = {
            "lines": self.lines,
            "cartons": self.cartons,
            "customs_lines": self.customs,
            "costs": self.costs,
        }
        if head in tables:
            formset = tables[head]
            if len(parts) == 1 or not parts[1].isdigit():
                return formset, None
            index = int(parts[1])
            rows = self.rows.get(head) or []
            if index >= len(rows):
                return self.header, None
            form = formset.forms[rows[index]]
            name = parts[2] if len(parts) > 2 else None
            return form, ROW_FIELDS[head].get(name or "", None)
        if head in self.header.fields:
            return self.header, head
        return self.header, None


ROW_FIELDS: dict[str, dict[str, str]] = {
    "lines": {"sku": "sku", "quantity": "quantity", "purchase_cost": "purchase_cost_amount"},
    "cartons": {
        "number": "numbers",
        "contents": "contents",
        "length_mm": "length_cm",
        "width_mm": "width_cm",
        "height_mm": "height_cm",
        "gross_weight_g": "weight_kg",
    },
    "customs_lines": {
        "sku": "sku",
        "hs_code": "hs_code",
        "origin_country": "origin_country",
        "declared_value": "declared_value_amount",
    },
    "costs": {"kind": "kind", "amount": "amount", "basis": "basis", "note": "note"},
}


def document_initial(shipment: InboundShipment) -> dict[str, Any]:
    """A draft's values as the forms' initial data; identical cartons in a row become a range (``1-20``)."""
    lines = []
    for line in shipment.lines.select_related("sku").order_by("position"):
        amount, currency = _tidy(line.purchase_cost)
        lines.append(
            {
                "sku": line.sku.code,
                "quantity": line.expected_quantity,
                "purchase_cost_amount": amount,
                "purchase_cost_currency": currency,
            }
        )
    customs = []
    for c in shipment.customs_lines.select_related("sku").order_by("id"):
        amount, currency = _tidy(c.declared_value)
        customs.append(
            {
                "sku": c.sku.code,
                "hs_code": c.hs_code,
                "origin_country": c.origin_country,
                "declared_value_amount": amount,
                "declared_value_currency": currency,
            }
        )
    return {
        "header": shipment_initial(shipment),
        "lines": lines,
        "cartons": cartons_initial(shipment),
        "customs": customs,
        "costs": costs_initial(shipment),
    }


def costs_initial(shipment: InboundShipment) -> list[dict[str, Any]]:
    out = []
    for cost in shipment.costs.order_by("id"):
        amount, currency = _tidy(cost.amount)
        out.append(
            {
                "kind": cost.kind,
                "amount": amount,
                "currency": currency,
                "basis": cost.basis,
                "note": cost.note,
            }
        )
    return out


def cartons_initial(shipment: InboundShipment) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    previous: tuple[Any, ...] | None = None
    last = 0
    for carton in shipment.cartons.prefetch_related("contents__sku").order_by("number"):
        contents = tuple((c.sku.code, c.quantity) for c in carton.contents.all())
        same = (carton.length_mm, carton.width_mm, carton.height_mm, carton.gross_weight_g, contents)
        if rows and same == previous and carton.number == last + 1:
            first = str(rows[-1]["numbers"]).split("-")[0]
            rows[-1]["numbers"] = f"{first}-{carton.number}"
        else:
            rows.append(
                {
                    "numbers": str(carton.number),
                    "length_cm": _cm(carton.length_mm),
                    "width_cm": _cm(carton.width_mm),
                    "height_cm": _cm(carton.height_mm),
                    "weight_kg": _kg(carton.gross_weight_g),
                    "contents": contents_text(contents),
                }
            )
        previous, last = same, carton.number
    return rows


# --- the lifecycle steps -----------------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why cancel?"), required=False, max_length=500)


class EtaForm(forms.Form):
    eta = forms.DateField(label=_("New ETA"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
