"""``MoneyField``: money on a model, stored exactly as two plain columns, summed exactly by the database.

``price = MoneyField()`` on a model contributes two concrete fields and one accessor:

- ``price_amount``: ``BigIntegerField``, the amount scaled by ``10**places`` (EUR 12.34 with places=4 is
  ``123400``). ``places`` defaults to 4 (enough for every currency's minor units, CLF included); unit costs
  use 6. An amount with more decimals than ``places`` is refused (ScaleExceeded), never rounded.
- ``price_currency``: ``CharField(max_length=3)``, the ISO 4217 code.
- ``obj.price`` reads and writes a :class:`~haicang.core.money.Money` (``None`` only when ``null=True``);
  ``Model(price=...)``, ``objects.create(price=...)`` and ``update_or_create(defaults={"price": ...})`` work
  too. ``save(update_fields=...)`` and ``QuerySet.update()`` name the columns (``price_amount``,
  ``price_currency``).

Why integers: SQLite has no exact decimal type (``DecimalField`` values are stored as REAL or TEXT and its
``SUM`` adds them as floats), while a 64-bit integer column is exact and ``SUM`` over it stays an integer on
SQLite and becomes ``numeric`` on PostgreSQL: the same exact total on both. The two columns are ordinary
fields, so migrations see exactly them; the ``MoneyField`` object itself never appears in a migration. Its
``places`` is written into the amount column's ``help_text``, so changing it shows up as a migration, which
must then rescale the stored integers.

Filter and order on the columns: ``.filter(price_currency="EUR", price_amount__gt=...)``; build the
integer with ``money_field_of(Model, "price").to_units(money)``. Sum with
:func:`money_totals` / :func:`money_total`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self, overload

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Sum

from haicang.core.money import AmountInvalid, Money, ScaleExceeded, amount_tidy, currency_check

_BIGINT_MIN = -(2**63)
_BIGINT_MAX = 2**63 - 1


if TYPE_CHECKING:
    _FieldBase = models.Field[Money | None, Money | None]
else:
    _FieldBase = models.Field


class MoneyField(_FieldBase):
    """A ``Money`` attribute backed by ``<name>_amount`` (scaled integer) and ``<name>_currency`` columns.

    Like Django's generic foreign key, it is a private, non-concrete field: it has no column of its own,
    is its own descriptor, and migrations only ever see the two concrete fields it adds.
    """

    _pyi_private_set_type: Money
    _pyi_private_get_type: Money

    def __init__(
        self,
        verbose_name: str | None = None,
        *,
        places: int = 4,
        null: bool = False,
        blank: bool = False,
        db_index: bool = False,
    ) -> None:
        if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 12:
            raise ValueError("places is an int from 0 to 12")
        # editable=False: forms and full_clean() work on the two columns, never on this field.
        super().__init__(verbose_name, null=null, blank=blank, editable=False)
        self.places = places
        self.amount_attname = ""
        self.currency_attname = ""
        # Created here so that their creation order (and so the column order) follows the declaration.
        self.amount_field: models.BigIntegerField[Any, Any] = models.BigIntegerField(
            null=null, blank=blank, db_index=db_index, help_text=f"amount in units of 10^-{places}"
        )
        self.currency_field: models.CharField[Any, Any] = models.CharField(
            max_length=3, null=null, blank=blank
        )

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=True)
        self.amount_attname = f"{name}_amount"
        self.currency_attname = f"{name}_currency"
        # A model inheriting this field (abstract or multi-table parent) already has the two columns.
        own = {field.name for field in cls._meta.local_fields}
        if not getattr(self, "mti_inherited", False) and self.amount_attname not in own:
            label = str(self.verbose_name or name.replace("_", " "))
            self.amount_field.verbose_name = f"{label} (amount)"
            self.currency_field.verbose_name = f"{label} (currency)"
            cls.add_to_class(self.amount_attname, self.amount_field)
            cls.add_to_class(self.currency_attname, self.currency_field)
        setattr(cls, name, self)

    def get_attname_column(self) -> tuple[str, None]:
        attname, _column = super().get_attname_column()
        return attname, None

    def db_type(self, connection: Any) -> None:
        return None

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        if self.places != 4:
            kwargs["places"] = self.places
        return name, path, args, kwargs

    # --- conversions --------------------------------------------------------------------------------------
    def to_units(self, money: Money) -> int:
        """The integer stored for ``money``. Raises ScaleExceeded (too many decimals) or AmountInvalid."""
        if not isinstance(money, Money):
            raise TypeError(f"{self.name} takes Money, not {type(money).__name__}")
        if money.minor_units > self.places:
            raise ScaleExceeded(
                f"{self.name} keeps {self.places} decimal places, fewer than {money.currency} needs",
                field=self.name,
            )
        try:
            units = money.to_minor_units(places=self.places)
        except ScaleExceeded:
            raise ScaleExceeded(
                f"{money} has more than {self.places} decimal places, the most {self.name} keeps; "
                "round it first",
                field=self.name,
                places=self.places,
            ) from None
        if not _BIGINT_MIN <= units <= _BIGINT_MAX:
            raise AmountInvalid(f"{money} is too large for {self.name}", field=self.name)
        return units

    def from_units(self, units: int | Decimal, currency: str) -> Money:
        """The ``Money`` for a stored (or summed) integer ``units`` in ``currency``."""
        value = Decimal(units)
        if value != value.to_integral_value():
            raise AmountInvalid(f"{units} is not a whole number of units", field=self.name)
        currency_check(currency)
        return Money(amount_tidy(value.scaleb(-self.places), currency), currency)

    # --- the accessor: ``obj.<name>`` ---------------------------------------------------------------------
    @overload  # type: ignore[override]
    def __get__(self, instance: None, owner: Any) -> Self: ...
    @overload
    def __get__(self, instance: models.Model, owner: Any) -> Money | None: ...
    def __get__(self, instance: models.Model | None, owner: Any) -> Self | Money | None:
        if instance is None:
            return self
        units = getattr(instance, self.amount_attname)
        currency = getattr(instance, self.currency_attname)
        if units is None and currency in (None, ""):
            return None
        if units is None or not currency:
            raise AmountInvalid(f"{self.name} has only half of amount and currency", field=self.name)
        return self.from_units(units, currency)

    def __set__(self, instance: models.Model, value: Money | None) -> None:
        if value is None:
            if not self.null:
                raise ValueError(f"{self.name} cannot be empty")
            setattr(instance, self.amount_attname, None)
            setattr(instance, self.currency_attname, None)
            return
        units = self.to_units(value)
        setattr(instance, self.amount_attname, units)
        setattr(instance, self.currency_attname, value.currency)


def money_field_of(model: type[models.Model], name: str) -> MoneyField:
    """The :class:`MoneyField` called ``name`` on ``model``."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if not isinstance(field, MoneyField):
        raise ValueError(f"{model.__name__}.{name} is not a MoneyField")
    return field


def money_totals(queryset: models.QuerySet[Any], field_name: str) -> dict[str, Money]:
    """Exact totals of ``field_name`` per currency over ``queryset``, summed by the database.

    One ``SUM`` over the integer column, grouped by currency; rows where the money is empty are left out.
    """
    field = money_field_of(queryset.model, field_name)
    rows = (
        queryset.order_by()
        .filter(**{f"{field.amount_attname}__isnull": False})
        .values(field.currency_attname)
        .annotate(units=Sum(field.amount_attname))
        .values_list(field.currency_attname, "units")
    )
    return {currency: field.from_units(units, currency) for currency, units in rows}


def money_total(queryset: models.QuerySet[Any], field_name: str, *, currency: str) -> Money:
    """The exact total of ``field_name`` over the rows of ``queryset`` in ``currency`` (zero if none)."""
    field = money_field_of(queryset.model, field_name)
    totals = money_totals(queryset.filter(**{field.currency_attname: currency_check(currency)}), field_name)
    return totals.get(currency, Money.zero(currency))
