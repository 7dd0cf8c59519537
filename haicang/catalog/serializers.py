"""API representations of the catalogue. Writes go through the services; these only parse and render."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haicang.catalog.models import Barcode, KitComponent, Product, Sku, SkuStatusChoices
from haicang.catalog.sku_fields import COMMERCIAL_FIELDS, SKU_FIELD_RULES, FieldKind
from haicang.core.money import AmountInvalid, CurrencyUnknown, Money, amount_tidy
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import Scope


class MoneySerializer(serializers.Serializer[Any]):
    amount = serializers.RegexField(
        r"^-?[0-9]+(\.[0-9]+)?$", help_text="Exact decimal as a string, e.g. `12.50`.", max_length=40
    )
    currency = serializers.CharField(min_length=3, max_length=3, help_text="ISO 4217 code, e.g. `USD`.")


@extend_schema_field(MoneySerializer)
class MoneyField(serializers.Field[Money, Any, Any, Any]):
    """Money as ``{"amount": "12.50", "currency": "USD"}``; amounts are strings, never floats."""

    def to_representation(self, value: Money) -> dict[str, str]:
        return {"amount": f"{amount_tidy(value.amount, value.currency):f}", "currency": value.currency}

    def to_internal_value(self, data: Any) -> Money:
        body = MoneySerializer(data=data)
        body.is_valid(raise_exception=True)
        try:
            return Money.of(body.validated_data["amount"], body.validated_data["currency"].upper())
        except (AmountInvalid, CurrencyUnknown) as exc:
            raise serializers.ValidationError(exc.detail) from None


class BarcodeSerializer(serializers.ModelSerializer[Barcode]):
    class Meta:
        model = Barcode
        fields = ["value", "kind"]


class KitComponentSerializer(serializers.ModelSerializer[KitComponent]):
    sku = serializers.UUIDField(source="component_id", read_only=True)
    sku_code = serializers.CharField(source="component.code", read_only=True)

    class Meta:
        model = KitComponent
        fields = ["sku", "sku_code", "quantity"]


def _field_for(name: str, *, write: bool) -> serializers.Field[Any, Any, Any, Any]:
    rule = SKU_FIELD_RULES[name]
    options: dict[str, Any] = {"required": False} if write else {"read_only": True}
    if rule.kind is FieldKind.INT:
        return serializers.IntegerField(allow_null=True, **options)
    if rule.kind is FieldKind.BOOL:
        return serializers.BooleanField(**options)
    if rule.kind is FieldKind.STATUS:
        return serializers.ChoiceField(choices=SkuStatusChoices.choices, **options)
    if rule.kind is FieldKind.MONEY:
        return MoneyField(allow_null=True, **options)
    if rule.kind is FieldKind.TEXT and name == "name_en" and write:
        return serializers.CharField(allow_blank=False, **options)
    return serializers.CharField(allow_blank=True, **options)


SKU_FIELDS = list(SKU_FIELD_RULES)
_SKU_READ_FIELDS = [
    "id", "seller", "seller_code", "code", "product", "style_code", *SKU_FIELDS, "volume_mm3",
    "dangerous_goods", "discontinued_at", "is_kit", "barcodes", "components", "created_at", "updated_at",
]  # fmt: skip


class SkuSerializer(serializers.ModelSerializer[Sku]):
    """A SKU as its owner sees it. Operators get it without the commercial fields (cost, supplier, MOQ…)."""

    seller_code = serializers.CharField(source="seller.code", read_only=True)
    style_code = serializers.CharField(
        source="product.style_code", read_only=True, allow_null=True, default=None
    )
    volume_mm3 = serializers.IntegerField(read_only=True, allow_null=True)
    dangerous_goods = serializers.ListField(child=serializers.CharField(), read_only=True)
    barcodes = BarcodeSerializer(many=True, read_only=True)
    components = KitComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Sku
        fields = _SKU_READ_FIELDS
        read_only_fields = _SKU_READ_FIELDS

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in SKU_FIELDS:
            fields[name] = _field_for(name, write=False)
        scope: Scope | None = self.context.get("scope")
        if scope is not None and scope.party_kind is not PartyKind.SELLER:
            for name in COMMERCIAL_FIELDS:
                fields.pop(name, None)
        return fields


class SkuWriteSerializer(serializers.Serializer[Any]):
    """The fields a seller sets; what is left out stays as it is (on update) or empty (on create)."""

    code = serializers.CharField(required=False)
    product = serializers.UUIDField(required=False, allow_null=True, help_text="The product (style) id.")
    barcodes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="On creation only: GTINs or own codes."
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in SKU_FIELDS:
            fields[name] = _field_for(name, write=True)
        return fields


class SkuCreateSerializer(SkuWriteSerializer):
    code = serializers.CharField()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["name_en"].required = True
        return fields


class BarcodeAddSerializer(serializers.Serializer[Any]):
    value = serializers.CharField(
        help_text="A GTIN-8/12/13/14 (check digit verified) or the seller's own code."
    )


class ComponentInputSerializer(serializers.Serializer[Any]):
    sku = serializers.UUIDField(required=False, help_text="The component SKU's id …")
    sku_code = serializers.CharField(required=False, help_text="… or its code.")
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("sku") and not attrs.get("sku_code"):
            raise serializers.ValidationError("give the component's sku (id) or sku_code")
        return attrs


class ComponentsSerializer(serializers.Serializer[Any]):
    components = ComponentInputSerializer(
        many=True, help_text="An empty list makes the SKU a plain SKU again."
    )


class ImportRequestSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text="A CSV (UTF-8) or Excel (.xlsx) catalogue file; columns in docs/catalog.md."
    )
    format = serializers.ChoiceField(
        choices=["csv", "xlsx"],
        required=False,
        help_text="Guessed from the file name or content when left out.",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Check the file and count, but write nothing."
    )


class ImportResultSerializer(serializers.Serializer[Any]):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    products_created = serializers.IntegerField()
    products_updated = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class ImportErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(
        allow_null=True, help_text="As a spreadsheet numbers it: the header is row 1."
    )
    column = serializers.CharField(
        allow_null=True, help_text="The column's name; null for the whole row or file."
    )
    code = serializers.CharField(help_text="Stable code, e.g. `catalog.barcode_check_digit`.")
    detail = serializers.CharField()


class ImportProblemSerializer(serializers.Serializer[Any]):
    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    code = serializers.CharField()
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]


class VariantSerializer(serializers.ModelSerializer[Sku]):
    class Meta:
        model = Sku
        fields = ["id", "code", "colour", "size", "status", "name_en", "name_zh"]


class ProductSerializer(serializers.ModelSerializer[Product]):
    seller_code = serializers.CharField(source="seller.code", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id", "seller", "seller_code", "style_code", "name_en", "name_zh", "brand", "category", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ProductDetailSerializer(ProductSerializer):
    variants = serializers.SerializerMethodField()

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "variants"]
        read_only_fields = fields

    @extend_schema_field(VariantSerializer(many=True))
    def get_variants(self, product: Product) -> list[dict[str, Any]]:
        from haicang.catalog.selectors import product_variants

        skus = [sku for _colour, group in product_variants(product) for sku in group]
        return list(VariantSerializer(skus, many=True).data)


class ProductWriteSerializer(serializers.Serializer[Any]):
    style_code = serializers.CharField(required=False)
    name_en = serializers.CharField(required=False)
    name_zh = serializers.CharField(required=False, allow_blank=True)
    brand = serializers.CharField(required=False, allow_blank=True)
    category = serializers.CharField(required=False, allow_blank=True)


class ProductCreateSerializer(ProductWriteSerializer):
    style_code = serializers.CharField()
    name_en = serializers.CharField()
