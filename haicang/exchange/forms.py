"""Forms of the Imports pages: upload a file, write a mapping profile (one mapping per line)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from haicang.exchange.models import MappingProfile
from haicang.exchange.registry import Importer


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    profile = forms.ChoiceField(
        label=_("Mapping profile"),
        required=False,
        help_text=_("How a partner's file names the columns. Without one, headers must be the column names."),
    )
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (UTF-8) or Excel .xlsx; row 1 holds the column names.")
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "shipment = ASN-2026-000001"}),
    )

    def clean_options(self) -> dict[str, str]:
        return clean_options_text(self.cleaned_data.get("options") or "")

    def __init__(self, *args: Any, kinds: list[Importer], profiles: list[MappingProfile], **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = {i.kind: i.label for i in kinds}
        described = [
            f"{i.label}: " + "; ".join(f"{o.name} — {o.description}" for o in i.options)
            for i in kinds
            if i.options
        ]
        if described:
            self.fields["options"].help_text = _(
                "Values given once for the whole file, one per line as “name = value”. %(options)s"
            ) % {"options": " · ".join(described)}
        else:
            del self.fields["options"]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [(i.kind, i.label) for i in kinds]
        cast(forms.ChoiceField, self.fields["profile"]).choices = [
            ("", _("None: the file uses the column names"))
        ] + [(str(p.pk), f"{labels.get(p.kind, p.kind)} · {p.partner}") for p in profiles]


def _pairs(text: str, *, field: str, allow_empty_value: bool) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        left, sep, right = line.partition("=")
        if not sep or not left.strip() or (not right.strip() and not allow_empty_value):
            raise forms.ValidationError(
                _("Line %(number)d: write it as “name = value”.") % {"number": number}, code=field
            )
        pairs[left.strip()] = right.strip()
    return pairs


def pairs_text(pairs: dict[str, str]) -> str:
    return "\n".join(f"{k} = {v}" for k, v in pairs.items())


def clean_options_text(text: str) -> dict[str, str]:
    return _pairs(text or "", field="options", allow_empty_value=False)


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the files hold"))
    partner = forms.CharField(
        label=_("Partner"), max_length=100, help_text=_("Whose files this profile reads.")
    )
    mapping = forms.CharField(
        label=_("Columns"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "Artikelnummer = sku_code\nNotes ="}),
        help_text=_(
            "One per line: the header in the partner's file = the import's column. Leave the column empty to "
            "ignore that header. Headers not listed are matched by the column names."
        ),
    )
    defaults = forms.CharField(
        label=_("Defaults"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "origin_country = CN"}),
        help_text=_("One per line: column = value, used when the file lacks the column or a cell is empty."),
    )

    def __init__(self, *args: Any, kinds: list[Importer], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [(i.kind, i.label) for i in kinds]

    def clean_mapping(self) -> dict[str, str]:
        return _pairs(self.cleaned_data["mapping"], field="mapping", allow_empty_value=True)

    def clean_defaults(self) -> dict[str, str]:
        return _pairs(self.cleaned_data.get("defaults") or "", field="defaults", allow_empty_value=False)
