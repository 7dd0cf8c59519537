"""``/api/v1/audit-entries/``: the audit log, read-only.

Who reads what is decided by the function named in ``settings.HAICANG_AUDIT_ACCESS`` (the parties app's
scoping: installation admins read the whole log, a party reads the trail of one object in its scope).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from haicang.core.api.filters import AwareDateTimeFilter
from haicang.core.audit import audit_entries
from haicang.core.models import ActorKind, AuditEntry

SUBJECT_TYPE_PATTERN = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"


class AuditActorSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ActorKind.choices, source="actor_kind")
    label = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.label
        source="actor_label", help_text="Username, `api-key:<name>` or `system:<job>`."
    )
    api_key_id = serializers.UUIDField(source="actor_api_key_id", allow_null=True)
    job = serializers.CharField(
        source="actor_job", help_text="The system job's name; empty for people and keys."
    )


class AuditSubjectSerializer(serializers.Serializer[Any]):
    type = serializers.SerializerMethodField(help_text="`app_label.model`, e.g. `inventory.reservation`.")
    id = serializers.CharField(source="subject_id")
    label = serializers.CharField(source="subject_label")  # type: ignore[assignment]

    def get_type(self, entry: AuditEntry) -> str:
        return f"{entry.subject_type.app_label}.{entry.subject_type.model}"


class AuditChangesSerializer(serializers.Serializer[Any]):
    before = serializers.DictField(
        help_text="The changed fields' values before (decimals and ids as strings)."
    )
    after = serializers.DictField(help_text="The changed fields' values after.")


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    actor = AuditActorSerializer(source="*")
    subject = AuditSubjectSerializer(source="*")
    changes = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["id", "occurred_at", "action", "actor", "subject", "summary", "changes"]

    @extend_schema_field(AuditChangesSerializer)
    def get_changes(self, entry: AuditEntry) -> dict[str, Any]:
        changes = entry.changes or {}
        return {"before": changes.get("before", {}), "after": changes.get("after", {})}


class SubjectTypeField(forms.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter the type as app_label.model, e.g. auth.user.")}
        )
        super().__init__(regex=SUBJECT_TYPE_PATTERN, **kwargs)


class SubjectTypeFilter(django_filters.CharFilter):  # type: ignore[misc,unused-ignore]
    """``app_label.model``; an unknown type matches nothing, a malformed one is a 400."""

    field_class = SubjectTypeField

    def filter(self, qs: QuerySet[AuditEntry], value: str) -> QuerySet[AuditEntry]:
        if not value:
            return qs
        app_label, model = value.split(".", 1)
        return qs.filter(subject_type__app_label=app_label, subject_type__model=model)


class AuditEntryFilter(django_filters.FilterSet):  # type: ignore[misc,unused-ignore]
    subject_type = SubjectTypeFilter(label="Type of the subject as `app_label.model`, e.g. `auth.user`.")
    subject_id = django_filters.CharFilter(field_name="subject_id", label="The subject's id.")
    action = django_filters.CharFilter(field_name="action", label="The action, e.g. `stock.reserved`.")
    actor_kind = django_filters.ChoiceFilter(
        field_name="actor_kind",
        choices=ActorKind.choices,
        label="Who acted: a user, an API key or a system job.",
    )
    occurred_after = AwareDateTimeFilter(
        field_name="occurred_at", lookup_expr="gte", label="Entries at or after this time (with offset)."
    )
    occurred_before = AwareDateTimeFilter(
        field_name="occurred_at", lookup_expr="lt", label="Entries strictly before this time (with offset)."
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="List audit entries", description="Newest first unless `ordering` says otherwise."
    ),
    retrieve=extend_schema(summary="Read one audit entry"),
)
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet[AuditEntry]):
    """What every actor changed, newest first: the whole log for installation admins; for a party, the
    trail of one object in its scope (filter by ``subject_type`` and ``subject_id``)."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    ordering_fields = ["occurred_at"]
    ordering = ["-occurred_at", "-id"]

    queryset = AuditEntry.objects.none()  # for the schema; requests go through get_queryset

    def get_queryset(self) -> QuerySet[AuditEntry]:
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()
        access = import_string(settings.HAICANG_AUDIT_ACCESS)
        return access(self.request, audit_entries())
