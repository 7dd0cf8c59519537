"""Thin API views of the parties registry: parse, call one service, serialise."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haicang.core.api.auth import request_actor
from haicang.core.money import Money
from haicang.network.models import Warehouse
from haicang.parties import agreements as agreement_services
from haicang.parties import services
from haicang.parties.access import scope_for_request
from haicang.parties.api import serializers as s
from haicang.parties.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet
from haicang.parties.models import ApiKey, Membership, Operator, Seller, ServiceAgreement
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope, scoped_get


def acting_party(scope: Scope) -> Seller | Operator:
    """The party the request acts for; 403 for a scope without one (e.g. an installation admin)."""
    if scope.party_kind is PartyKind.SELLER and scope.party_id is not None:
        return Seller.objects.get(pk=scope.party_id)
    if scope.party_kind is PartyKind.OPERATOR and scope.party_id is not None:
        return Operator.objects.get(pk=scope.party_id)
    raise AccessDenied("this needs a seller or operator membership")


class ScopeView(APIView):
    """The party, role permissions and kind of the caller: what every other endpoint is filtered by."""

    @extend_schema(responses=s.ScopeSerializer)
    def get(self, request: Request) -> Response:
        scope = scope_for_request(request)
        return Response(
            s.ScopeSerializer(
                {
                    "party_kind": scope.party_kind,
                    "party_id": scope.party_id,
                    "permissions": sorted(scope.permissions),
                    "is_installation_admin": scope.is_installation_admin,
                }
            ).data
        )


class SellerViewSet(ScopedReadOnlyViewSet):
    resource = "party"
    queryset = Seller.objects.all()
    serializer_class = s.SellerSerializer
    ordering_fields = ["code", "name", "created_at"]
    ordering = ["code"]
    filterset_fields = ["country", "status"]

    def _own_seller(self, pk: Any) -> Seller:
        seller = scoped_get(Seller.objects.all(), self.scope, permission="party:read", pk=pk)
        if self.request.method not in {"GET", "HEAD", "OPTIONS"}:
            self.scope.require("party:write")
            if seller.pk != self.scope.seller_id:
                raise AccessDenied("only the seller itself changes its profile")
        return seller

    @extend_schema(request=s.SellerMarketSerializer, responses=s.SellerMarketSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def markets(self, request: Request, pk: Any = None) -> Response:
        seller = self._own_seller(pk)
        if request.method == "POST":
            body = s.SellerMarketSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            with transaction.atomic():
                services.seller_market_set(actor=request_actor(request), seller=seller, **body.validated_data)
        return Response(s.SellerMarketSerializer(seller.markets.all(), many=True).data)

    @extend_schema(request=s.ComplianceIdSerializer, responses=s.ComplianceIdSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="compliance-ids")
    def compliance_ids(self, request: Request, pk: Any = None) -> Response:
        seller = self._own_seller(pk)
        if request.method == "POST":
            body = s.ComplianceIdSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.compliance_id_set(actor=request_actor(request), seller=seller, **body.validated_data)
        return Response(s.ComplianceIdSerializer(seller.compliance_ids.all(), many=True).data)


class OperatorViewSet(ScopedReadOnlyViewSet):
    resource = "party"
    queryset = Operator.objects.all()
    serializer_class = s.OperatorSerializer
    ordering_fields = ["code", "name", "created_at"]
    ordering = ["code"]
    filterset_fields = ["country", "status"]


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Members of the caller's party. Adding needs ``members:write``; removing deactivates."""

    resource = "members"
    queryset = Membership.objects.select_related("user", "seller", "operator")
    serializer_class = s.MembershipSerializer
    ordering_fields = ["created_at", "role"]
    ordering = ["created_at"]
    filterset_fields = ["role", "is_active"]

    @extend_schema(request=s.MembershipCreateSerializer, responses={201: s.MembershipSerializer})
    def create(self, request: Request) -> Response:
        body = s.MembershipCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = get_user_model().objects.filter(username=body.validated_data["username"]).first()
        if user is None:
            raise serializers.ValidationError({"username": ["No user has this name."]})
        membership = services.membership_add(
            actor=request_actor(request),
            party=acting_party(self.scope),
            user=user,
            role=body.validated_data["role"],
        )
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MembershipUpdateSerializer, responses=s.MembershipSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        membership = self.get_object()  # first: another party's member is a 404 whatever the body
        body = s.MembershipUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.membership_role_change(
            actor=request_actor(request), membership=membership, role=body.validated_data["role"]
        )
        return Response(s.MembershipSerializer(membership).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.membership_deactivate(actor=request_actor(request), membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """The caller's party's API keys. The key itself is in the creation response only."""

    resource = "api_keys"
    queryset = ApiKey.objects.all()
    serializer_class = s.ApiKeySerializer
    ordering_fields = ["created_at", "name"]
    ordering = ["-created_at"]

    @extend_schema(request=s.ApiKeyCreateSerializer, responses={201: s.ApiKeyIssuedSerializer})
    def create(self, request: Request) -> Response:
        body = s.ApiKeyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user: Any = request.user if getattr(request.user, "pk", None) else None
        key, plaintext = services.api_key_issue(
            actor=request_actor(request),
            party=acting_party(self.scope),
            created_by=user,
            **body.validated_data,
        )
        data = dict(s.ApiKeySerializer(key).data)
        data["key"] = plaintext
        return Response(data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.api_key_revoke(actor=request_actor(request), key=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Service agreements of the caller's party. Operators propose them and set their fees."""

    resource = "agreements"
    queryset = ServiceAgreement.objects.select_related("seller", "operator").prefetch_related(
        "warehouses", "fee_schedules__lines", "fee_schedules__age_bands"
    )
    serializer_class = s.AgreementSerializer
    ordering_fields = ["valid_from", "reference", "created_at"]
    ordering = ["-valid_from"]
    filterset_fields = ["status"]

    def _operator(self) -> Operator:
        party = acting_party(self.scope)
        if not isinstance(party, Operator):
            raise AccessDenied("operators propose agreements and set their fees")
        return party

    @extend_schema(request=s.AgreementCreateSerializer, responses={201: s.AgreementSerializer})
    def create(self, request: Request) -> Response:
        body = s.AgreementCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        operator = self._operator()
        seller = Seller.objects.filter(pk=data.pop("seller")).first()
        if seller is None:
            raise serializers.ValidationError({"seller": ["No seller has this id."]})
        wanted = data.pop("warehouses")
        warehouses = list(Warehouse.objects.filter(pk__in=wanted, operator=operator))
        if len(warehouses) != len(set(wanted)):
            raise serializers.ValidationError({"warehouses": ["Every warehouse must be one of yours."]})
        agreement = agreement_services.agreement_create(
            actor=request_actor(request), seller=seller, operator=operator, warehouses=warehouses, **data
        )
        return Response(s.AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.AgreementSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: Any = None) -> Response:
        agreement = self.get_object()
        self._operator()
        agreement_services.agreement_activate(actor=request_actor(request), agreement=agreement)
        return Response(s.AgreementSerializer(agreement).data)

    @extend_schema(request=s.FeeScheduleWriteSerializer, responses={201: s.FeeScheduleSerializer})
    @action(detail=True, methods=["post"], url_path="fee-schedules")
    def fee_schedules(self, request: Request, pk: Any = None) -> Response:
        agreement = self.get_object()
        self._operator()
        body = s.FeeScheduleWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        lines: dict[str, Money] = {line["kind"]: line["amount"] for line in data["lines"]}
        bands = [
            agreement_services.BandInput(b["from_day"], b.get("to_day"), b["surcharge_m3_day"])
            for b in data["age_bands"]
        ]
        schedule = agreement_services.fee_schedule_set(
            actor=request_actor(request),
            agreement=agreement,
            effective_from=data["effective_from"],
            lines=lines,
            storage_free_days=data["storage_free_days"],
            age_bands=bands,
            peak_factor=data["peak_factor"],
            peak_months=data["peak_months"],
        )
        return Response(s.FeeScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)
