"""Sellers, operators, their members and roles, markets, compliance ids and API keys.

Service agreements and fee schedules live in ``agreements.py`` models (re-exported here).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from haicang.core.actors import Actor
from haicang.core.models import Entity
from haicang.parties.roles import OperatorRole, PartyKind, SellerRole


class PartyStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"


class Seller(Entity):
    """A brand or trading company that owns stock, SKUs and orders."""

    code = models.SlugField(max_length=40, unique=True, help_text="Short unique handle, e.g. lumen")
    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, help_text="Country of establishment (ISO 3166-1 alpha-2)")
    base_currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=PartyStatus.choices, default=PartyStatus.ACTIVE)

    kind = PartyKind.SELLER

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Operator(Entity):
    """A third-party warehouse operator (3PL) that runs warehouses and bills in its own currency."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2)
    billing_currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=PartyStatus.choices, default=PartyStatus.ACTIVE)

    kind = PartyKind.OPERATOR

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


ROLE_CHOICES = [(r.value, r.value.replace("_", " ")) for r in SellerRole] + [
    (r.value, r.value.replace("_", " ")) for r in OperatorRole if r.value not in {s.value for s in SellerRole}
]


class Membership(Entity):
    """A user's role in exactly one party (a seller or an operator)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    operator = models.ForeignKey(
        Operator, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(seller__isnull=False) & Q(operator__isnull=True))
                | (Q(seller__isnull=True) & Q(operator__isnull=False)),
                name="membership_one_party",
            ),
            models.UniqueConstraint(fields=["user", "seller"], name="membership_user_seller_unique"),
            models.UniqueConstraint(fields=["user", "operator"], name="membership_user_operator_unique"),
        ]

    @property
    def party(self) -> Seller | Operator:
        party = self.seller or self.operator
        assert party is not None  # noqa: S101 - the check constraint guarantees it
        return party

    def __str__(self) -> str:
        return f"{self.user} — {self.role} at {self.party}"


class SellerMarket(models.Model):
    """A destination country the seller sells in, and whether it can recover import VAT there."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="markets")
    country = models.CharField(max_length=2)
    import_vat_recoverable = models.BooleanField(default=False)

    class Meta:
        ordering = ["country"]
        constraints = [models.UniqueConstraint(fields=["seller", "country"], name="seller_market_unique")]

    def __str__(self) -> str:
        return f"{self.seller} in {self.country}"


class ComplianceKind(models.TextChoices):
    IOSS = "ioss", "IOSS number"
    EORI = "eori", "EORI number"
    VAT = "vat", "VAT number"
    DE_LUCID = "de_lucid", "German packaging registration (LUCID)"
    FR_EPR = "fr_epr", "French EPR unique id (UIN)"


class ComplianceId(models.Model):
    """A seller's registration for one market (or ``EU`` for union-wide ids such as IOSS and EORI)."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="compliance_ids")
    kind = models.CharField(max_length=16, choices=ComplianceKind.choices)
    market = models.CharField(max_length=2, help_text="ISO country code, or EU for union-wide ids")
    value = models.CharField(max_length=64)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["market", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "kind", "market"], name="compliance_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.market}: {self.value}"


class ApiKey(Entity):
    """A party's API key. The secret is shown once at creation; only its SHA-256 digest is stored."""

    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    operator = models.ForeignKey(
        Operator, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=16, unique=True, help_text="Visible start of the key, e.g. hc_3fK9xQ2b"
    )
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(seller__isnull=False) & Q(operator__isnull=True))
                | (Q(seller__isnull=True) & Q(operator__isnull=False)),
                name="api_key_one_party",
            ),
        ]

    @property
    def party(self) -> Seller | Operator:
        party = self.seller or self.operator
        assert party is not None  # noqa: S101 - the check constraint guarantees it
        return party

    @property
    def actor(self) -> Actor:
        """Who acts when this key calls the API (see ``haicang.core.api.auth.request_actor``)."""
        return Actor.for_api_key(key_id=self.pk, label=self.prefix)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
