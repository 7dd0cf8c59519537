"""Forms of the webhook pages: subscribe a URL, rotate its secret. They parse input; services decide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from haicang.integration.catalogue import WEBHOOK_TEST, event_types
from haicang.integration.labels import event_description


def subscribable_event_types() -> list[tuple[str, str]]:
    """Every catalogue event type except ``webhook.test``, which goes to one subscription on request only."""
    return [(event.name, event.name) for event in event_types() if event.name != WEBHOOK_TEST]


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label=_("Receiver URL"),
        max_length=500,
        help_text=_("HTTPS, or plain HTTP to 127.0.0.1 or localhost."),
        widget=forms.URLInput(attrs={"placeholder": "https://erp.example.com/haicang/webhooks"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event type.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.MultipleChoiceField", self.fields["event_types"])
        field.choices = subscribable_event_types()

    def event_rows(self) -> list[dict[str, Any]]:
        """The checkboxes with each event type's description, for the template."""
        chosen = set(self["event_types"].value() or [])
        return [
            {"name": event.name, "description": event_description(event), "checked": event.name in chosen}
            for event in event_types()
            if event.name != WEBHOOK_TEST
        ]


KEEP_OLD_HOURS = (0, 1, 24, 72, 168)


def _keep_label(hours: int) -> Any:
    if hours == 0:
        return _("Retire it now")
    if hours % 24 == 0:
        days = hours // 24
        return ngettext_lazy("%(n)s day", "%(n)s days", "n") % {"n": days}
    return ngettext_lazy("%(n)s hour", "%(n)s hours", "n") % {"n": hours}


class RotateForm(forms.Form):
    keep_old_for = forms.TypedChoiceField(
        label=_("Keep the current secret live for"),
        coerce=int,
        initial=24,
        help_text=_("Deliveries carry both signatures meanwhile, so you can switch your receiver over."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.TypedChoiceField", self.fields["keep_old_for"])
        field.choices = [(hours, _keep_label(hours)) for hours in KEEP_OLD_HOURS]

    def keep_old_duration(self) -> timedelta:
        return timedelta(hours=int(self.cleaned_data["keep_old_for"]))
