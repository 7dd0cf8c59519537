"""API representations of imports, mapping profiles and import kinds. Read serializers render; write
serializers only parse input — the views hand it to the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haicang.exchange.models import ImportJob, MappingProfile
from haicang.exchange.selectors import import_job_progress


class ProgressSerializer(serializers.Serializer[Any]):
    done = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ProblemSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(
        allow_null=True, help_text="As a spreadsheet shows it; the header is row 1."
    )
    column = serializers.CharField(allow_null=True, help_text="The import's column.")
    source_column = serializers.CharField(allow_null=True, help_text="The file's header, when it differs.")
    value = serializers.CharField(allow_null=True, help_text="The value found (masked for personal data).")
    code = serializers.CharField()
    reason = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer[ImportJob]):
    party_kind = serializers.SerializerMethodField()
    party_id = serializers.SerializerMethodField()
    profile_partner = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    file_erased = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id", "party_kind", "party_id", "kind", "status", "profile", "profile_partner", "original_filename",
            "options", "file_format", "file_size", "contains_personal_data", "file_erased", "file_erased_at",
            "rows_total", "problem_count", "counts", "result", "progress", "created_by", "created_at", "validated_at",
            "confirmed_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_party_kind(self, obj: ImportJob) -> str:
        return "seller" if obj.seller_id else "operator"

    def get_party_id(self, obj: ImportJob) -> str:
        return str(obj.seller_id or obj.operator_id)

    def get_profile_partner(self, obj: ImportJob) -> str | None:
        return obj.profile.partner if obj.profile else None

    def get_created_by(self, obj: ImportJob) -> str:
        return str(obj.created_by.get("label", ""))

    def get_file_erased(self, obj: ImportJob) -> bool:
        return obj.file_erased_at is not None

    def get_progress(self, obj: ImportJob) -> dict[str, Any] | None:
        progress = import_job_progress(obj) if obj.in_progress else None
        if progress is None:
            return None
        return dict(ProgressSerializer(progress).data)


class ProblemPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text="Every problem found.")
    stored = serializers.IntegerField(help_text="Problems kept (at most 1,000); the rest are counted only.")
    offset = serializers.IntegerField()
    limit = serializers.IntegerField()
    results = ProblemSerializer(many=True)


class ImportJobDetailSerializer(ImportJobSerializer):
    preview = serializers.JSONField(
        read_only=True, help_text="{columns, sources, ignored, rows: [{row, values}]}: the first 20 rows."
    )
    problems = serializers.SerializerMethodField()

    class Meta(ImportJobSerializer.Meta):
        fields = [*ImportJobSerializer.Meta.fields, "preview", "problems"]
        read_only_fields = fields

    def get_problems(self, obj: ImportJob) -> dict[str, Any]:
        offset, limit = self.context.get("problems_offset", 0), self.context.get("problems_limit", 50)
        return {
            "count": obj.problem_count,
            "stored": len(obj.problems),
            "offset": offset,
            "limit": limit,
            "results": obj.problems[offset : offset + limit],
        }


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="A CSV (UTF-8) or Excel .xlsx file.")
    kind = serializers.CharField(help_text="The import kind, see GET /api/v1/imports/kinds/.")
    profile = serializers.UUIDField(required=False, allow_null=True, help_text="A mapping profile's id.")
    format = serializers.ChoiceField(choices=["csv", "xlsx"], required=False, help_text="Default: guessed.")
    options = serializers.JSONField(
        required=False,
        help_text='The kind\'s per-upload values as a JSON object, e.g. {"shipment": "ASN-2026-000001"}.',
    )

    def validate_options(self, value: Any) -> dict[str, Any]:
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise serializers.ValidationError("give the options as a JSON object of names and values")
        return value


class ColumnSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # the JSON key; DRF pops declared fields
    description = serializers.CharField()
    synonyms = serializers.ListField(child=serializers.CharField())
    personal = serializers.BooleanField()


class OptionSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]
    description = serializers.CharField()


class ImportKindSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    description = serializers.CharField()
    permission = serializers.CharField()
    contains_personal_data = serializers.BooleanField()
    columns = ColumnSerializer(many=True)
    options = OptionSerializer(many=True)


class MappingProfileSerializer(serializers.ModelSerializer[MappingProfile]):
    class Meta:
        model = MappingProfile
        fields = ["id", "kind", "partner", "mapping", "defaults", "created_at", "updated_at"]
        read_only_fields = fields


class MappingProfileWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(required=True)
    partner = serializers.CharField(max_length=100)
    mapping = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True),
        help_text="The file's header → the import's column; \"\" ignores that column.",
    )
    defaults = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="Column → constant value."
    )
