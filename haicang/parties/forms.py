"""Forms of the parties' pages: add a member, change a role, issue an API key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicang.parties.labels import RESOURCE_LABELS, role_label
from haicang.parties.roles import RESOURCES, PartyKind, permissions_for, role_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def role_field_choices(kind: PartyKind) -> list[tuple[str, StrOrPromise]]:
    return [(role, role_label(role)) for role in role_choices(kind)]


def key_scopes_possible(kind: PartyKind) -> frozenset[str]:
    """Every permission some role of a ``kind`` party holds: what its API keys may carry."""
    return frozenset().union(*(permissions_for(kind, role) for role in role_choices(kind)))


@dataclass(frozen=True)
class ScopeRow:
    """One resource in the key form's grid: its label and the read/write scopes the party may grant."""

    resource: str
    label: StrOrPromise
    read: str | None
    write: str | None


def scope_rows(kind: PartyKind) -> list[ScopeRow]:
    possible = key_scopes_possible(kind)
    rows = []
    for resource in RESOURCES:
        read, write = f"{resource}:read", f"{resource}:write"
        if read in possible:
            rows.append(
                ScopeRow(
                    resource,
                    RESOURCE_LABELS.get(resource, resource),
                    read,
                    write if write in possible else None,
                )
            )
    return rows


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, kind: PartyKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_field_choices(kind)  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, kind: PartyKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_field_choices(kind)  # type: ignore[attr-defined]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What uses the key, e.g. “ERP sync”.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The key works through the end of this day. Leave empty for a key that does not expire."),
    )

    def __init__(self, *args: Any, kind: PartyKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(s, s) for s in sorted(key_scopes_possible(kind))]  # type: ignore[attr-defined]

    def clean_expires_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return value

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day (the next midnight in the current time zone), or None."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(0), tzinfo=timezone.get_current_timezone()
        )
