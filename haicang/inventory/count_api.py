"""``/api/v1/count-tasks/``: create a cycle count, record blind lines, submit, approve, reject, cancel.

Resource ``inventory``. Counting is the operator's work: the task's assignee (warehouse staff hold only
``inventory:read``) records lines and submits; the operator's ``inventory:write`` holders (owner, manager) do
everything. Sellers see no count tasks (404) — a count's result reaches them as moves. Rules in
``haicang.inventory.count_selectors``; the services in ``haicang.inventory.counting``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from haicang.core.errors import ValidationFailed
from haicang.inventory import count_selectors as cs
from haicang.inventory import counting
from haicang.inventory import serializers as s
from haicang.inventory.errors import CountAssigneeInvalid
from haicang.inventory.models import CountTask, CountTaskKind, CountTaskStatus
from haicang.network.models import Location, Warehouse
from haicang.parties.api.base import ResourcePermission, ScopedViewSetMixin
from haicang.parties.scoping import Scope, scope_queryset

# Actions the assignee performs with inventory:read; every other write needs inventory:write.
COUNTER_ACTIONS = frozenset({"lines", "submit"})


class CountPermission(ResourcePermission):
    """``inventory:write`` for writes, except recording lines and submitting: ``inventory:read`` in an
    operator's scope suffices there (the view then checks that the caller is the task's assignee)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if (
            getattr(view, "action", None) in COUNTER_ACTIONS
            and request.user
            and request.user.is_authenticated
        ):
            scope = view.scope
            if scope.operator_id is not None:
                scope.require(cs.READ)
                return True
        return super().has_permission(request, view)


class CountTaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CountTaskStatus.choices)
    kind = django_filters.ChoiceFilter(choices=CountTaskKind.choices)
    warehouse = django_filters.UUIDFilter(field_name="warehouse_id")
    assignee = django_filters.CharFilter(field_name="assignee__username", label="The counter's username")
    number = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = CountTask
        fields: list[str] = []


def _user(username: str | None) -> Any | None:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CountAssigneeInvalid(f"no user {username}", field="assignee")
    return user


@extend_schema_view(
    list=extend_schema(summary="List count tasks", responses=s.CountTaskListSerializer(many=True)),
    retrieve=extend_schema(
        summary="Read a count task with its lines",
        description="Lines show the ledger's snapshot and variances only to managers, once submitted.",
    ),
)
class CountTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSetMixin):
    resource = "inventory"
    permission_classes = [CountPermission]
    queryset = CountTask.objects.select_related("warehouse", "sku", "assignee").prefetch_related(
        "locations__warehouse"
    )
    serializer_class = s.CountTaskSerializer
    filterset_class = CountTaskFilter
    ordering_fields = ["created_at", "number", "status"]
    ordering = ["-created_at"]

    def get_serializer_class(self) -> Any:
        return s.CountTaskListSerializer if self.action == "list" else s.CountTaskSerializer

    def _render(self, task: CountTask, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=task.pk)
        context = {**self.get_serializer_context(), "review": cs.may_review(self.scope, fresh)}
        return Response(s.CountTaskSerializer(fresh, context=context).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._render(self.get_object())

    @extend_schema(
        summary="Create a count task",
        request=s.CountTaskCreateSerializer,
        responses={201: s.CountTaskSerializer},
    )
    def create(self, request: Request) -> Response:
        scope = self.scope
        cs.require_manage(scope)
        body = s.CountTaskCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        warehouse = _own_warehouse(scope, data["warehouse"])
        locations = _locations(warehouse, data.get("locations"), data.get("location_codes"))
        sku = cs.sku_by_id(scope, data["sku"]) if data.get("sku") else None
        if (locations is None) == (sku is None):
            raise ValidationFailed("count either locations (or location_codes) or one sku", field="locations")
        task = counting.count_task_create(
            actor=scope.actor,
            warehouse=warehouse,
            locations=locations,
            sku=sku,
            assignee=_user(data.get("assignee")),
            note=data["note"],
        )
        return self._render(task, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a counted line (blind)",
        description="Replaces an earlier count of the same location, SKU and lot. The answer never shows what "
        "the ledger holds.",
        request=s.CountLineRecordSerializer,
        responses={201: s.CountLineSerializer},
    )
    @action(detail=True, methods=["post"])
    def lines(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        cs.require_count(self.scope, task)
        body = s.CountLineRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        location = (
            Location.objects.filter(pk=data["location"], warehouse_id=task.warehouse_id).first()
            if data.get("location")
            else cs.location_by_code(task.warehouse, data["location_code"])
        )
        if location is None:
            raise ValidationFailed(
                f"no location {data['location']} in {task.warehouse.code}", field="location"
            )
        sku = (
            cs.sku_by_id(self.scope, data["sku"])
            if data.get("sku")
            else cs.sku_by_scan(self.scope, data["sku_code"])
        )
        line = counting.count_line_record(
            actor=self.scope.actor,
            task=task,
            location=location,
            sku=sku,
            quantity=data["quantity"],
            lot_code=data["lot_code"],
        )
        return Response(s.CountLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Submit a counted task", request=None, responses=s.CountTaskSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        cs.require_count(self.scope, task)
        return self._render(counting.count_task_submit(actor=self.scope.actor, task=task))

    @extend_schema(
        summary="Approve the variances and apply them",
        request=s.CountDecisionSerializer,
        responses=s.CountTaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        cs.require_manage(self.scope)
        body = s.CountDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = counting.count_task_approve(
            actor=self.scope.actor, task=task, note=body.validated_data["note"]
        )
        return self._render(done)

    @extend_schema(
        summary="Reject the count: recount", request=s.CountRejectSerializer, responses=s.CountTaskSerializer
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        cs.require_manage(self.scope)
        body = s.CountRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._render(
            counting.count_task_reject(
                actor=self.scope.actor, task=task, reason=body.validated_data["reason"]
            )
        )

    @extend_schema(
        summary="Cancel the task", request=s.CountDecisionSerializer, responses=s.CountTaskSerializer
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        task = self.get_object()
        cs.require_manage(self.scope)
        body = s.CountDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._render(
            counting.count_task_cancel(actor=self.scope.actor, task=task, reason=body.validated_data["note"])
        )


def _own_warehouse(scope: Scope, pk: Any) -> Warehouse:
    warehouse = (
        scope_queryset(Warehouse.objects.all(), scope, permission=cs.WRITE)
        .filter(pk=pk, operator_id=cs.operator_id_of(scope))
        .first()
    )
    if warehouse is None:
        raise ValidationFailed(f"no warehouse with id {pk} of yours", field="warehouse")
    return warehouse


def _locations(warehouse: Warehouse, ids: list[Any] | None, codes: list[str] | None) -> list[Location] | None:
    if ids is None and codes is None:
        return None
    found: dict[Any, Location] = {}
    if ids:
        rows = {loc.pk: loc for loc in Location.objects.filter(warehouse=warehouse, pk__in=ids)}
        missing = [str(i) for i in ids if i not in rows]
        if missing:
            raise ValidationFailed(
                f"no location {', '.join(missing[:5])} in {warehouse.code}", field="locations"
            )
        found.update(rows)
    for code in codes or []:
        location = cs.location_by_code(warehouse, code)
        found[location.pk] = location
    return list(found.values())
