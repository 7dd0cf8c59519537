"""Pages of the UI shell: home and the audit trail of one object. Login and logout are Django's views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haicang.core.audit import audit_entries_for_ref
from haicang.core.models import AuditEntry
from haicang.parties.access import audit_subject_visible, scope_for_request
from haicang.web.navigation import navigation

AUDIT_PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    sections = [
        link
        for link in navigation.links_for(user=request.user, path="", request=request)
        if link.key != "home"
    ]
    return render(request, "web/home.html", {"sections": sections})


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any
    had_before: bool
    has_after: bool


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """The entry's before/after summary as one row per field, in the order the service wrote them."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    before = changes.get("before") or {}
    after = changes.get("after") or {}
    return [
        FieldChange(
            field=k, before=before.get(k), after=after.get(k), had_before=k in before, has_after=k in after
        )
        for k in dict.fromkeys([*before, *after])
    ]


def _subject_type(ref: str) -> tuple[ContentType, type[Model]]:
    app_label, dot, model_name = ref.partition(".")
    if not dot or not app_label or not model_name:
        raise Http404(_("Unknown object type."))
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name.lower())
    except ContentType.DoesNotExist:
        raise Http404(_("Unknown object type.")) from None
    model = content_type.model_class()
    if model is None:  # a content type left over from a removed model
        raise Http404(_("Unknown object type."))
    return content_type, model


@login_required
def audit_trail(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    """Every audit entry about one object, newest first, 50 to a page.

    Installation admins read every trail; a member reads the trail of an object in their party's scope when
    their role holds ``audit:read``. Anyone else gets 404, as for an object that does not exist.
    """
    content_type, model = _subject_type(subject_type)
    if not audit_subject_visible(scope_for_request(request), model=model, subject_id=subject_id):
        raise Http404(_("No such object."))
    entries = audit_entries_for_ref(content_type=content_type, subject_id=subject_id)

    try:
        subject: Any = model._default_manager.get(pk=subject_id)
    except (ObjectDoesNotExist, ValidationError, ValueError):  # gone, or not a key of this model's type
        subject = None
    latest = entries.first()
    if subject is not None:
        label = str(subject)
    elif latest is not None:  # deleted since: its trail stays readable
        label = latest.subject_label or subject_id
    else:
        raise Http404(_("No such object."))

    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, field_changes(entry)) for entry in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "subject_label": label,
        "subject_type": model._meta.verbose_name,
        "subject_id": subject_id,
        "subject_exists": subject is not None,
    }
    if getattr(request, "htmx", False):
        return render(request, "web/_audit_rows.html", context)
    return render(request, "web/audit.html", context)
