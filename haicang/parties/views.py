"""The parties' pages: the party switcher, members and roles, API keys, service agreements.

Every read goes through the request's scope (``scope_for_request``): another party's object answers 404, a
role without the permission 403. Writes call the parties services with the signed-in user as the actor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haicang.core.actors import Actor
from haicang.core.errors import DomainError
from haicang.parties import services
from haicang.parties.access import PARTY_SESSION_KEY, memberships_of, scope_for_request
from haicang.parties.forms import ApiKeyForm, MemberAddForm, RoleForm, scope_rows
from haicang.parties.labels import RESOURCE_LABELS, error_message, role_label
from haicang.parties.models import ApiKey, FeeSchedule, Membership, Operator, Seller, ServiceAgreement
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset, scoped_get
from haicang.web.pages import scoped_page

MEMBERS_READ, MEMBERS_WRITE = "members:read", "members:write"
KEYS_READ, KEYS_WRITE = "api_keys:read", "api_keys:write"
AGREEMENTS_READ = "agreements:read"


def _party(scope: Scope, permission: str) -> Seller | Operator:
    """The party the request acts for, when it holds ``permission``; 403 otherwise (e.g. installation admins)."""
    scope.require(permission)
    if scope.party_kind is PartyKind.SELLER and scope.party_id is not None:
        return Seller.objects.get(pk=scope.party_id)
    if scope.party_kind is PartyKind.OPERATOR and scope.party_id is not None:
        return Operator.objects.get(pk=scope.party_id)
    raise AccessDenied("this needs a seller or operator membership", permission=permission)


def _can_write(scope: Scope, permission: str) -> bool:
    return scope.party_id is not None and scope.can(permission)


# --- the party switcher ----------------------------------------------------------------------------------
@scoped_page
@require_POST
def party_switch(request: HttpRequest) -> HttpResponse:
    """Act for another of the user's parties: remembered in the session until sign-out."""
    wanted = request.POST.get("party", "")
    membership = next((m for m in memberships_of(request.user) if str(m.party.pk) == wanted), None)
    if membership is None:
        raise Http404(_("You are not a member of this party."))
    request.session[PARTY_SESSION_KEY] = str(membership.party.pk)
    messages.success(
        request,
        _("You now act for %(party)s as %(role)s.")
        % {"party": membership.party.name, "role": role_label(membership.role)},
    )
    return redirect("web:home")


# --- members ---------------------------------------------------------------------------------------------
def _members(scope: Scope) -> QuerySet[Membership]:
    queryset = Membership.objects.select_related("user", "seller", "operator")
    return scope_queryset(queryset, scope, permission=MEMBERS_READ).order_by("-is_active", "user__username")


def _members_page(
    request: HttpRequest,
    scope: Scope,
    *,
    add_form: MemberAddForm | None = None,
    row_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_write = _can_write(scope, MEMBERS_WRITE)
    kind = scope.party_kind or PartyKind.SELLER
    row_errors = row_errors or {}
    rows = [
        {
            "membership": m,
            "role": role_label(m.role),
            "form": RoleForm(initial={"role": m.role}, kind=kind, prefix=f"m{m.pk.hex}")
            if can_write and m.is_active
            else None,
            "error": row_errors.get(str(m.pk)),
        }
        for m in _members(scope)
    ]
    context = {
        "rows": rows,
        "can_write": can_write,
        "add_form": add_form or (MemberAddForm(kind=kind) if can_write else None),
        "several_parties": scope.party_id is None,
    }
    return render(request, "parties/member_list.html", context, status=status)


@scoped_page
def member_list(request: HttpRequest) -> HttpResponse:
    """The party's members; an owner adds one here (POST)."""
    scope = scope_for_request(request)
    if request.method != "POST":
        scope.require(MEMBERS_READ)
        return _members_page(request, scope)
    party = _party(scope, MEMBERS_WRITE)
    form = MemberAddForm(request.POST, kind=party.kind)
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"].strip()).first()
        if user is None:
            form.add_error("username", _("No user has this username."))
        else:
            try:
                services.membership_add(
                    actor=Actor.for_user(request.user), party=party, user=user, role=form.cleaned_data["role"]
                )
            except DomainError as exc:
                form.add_error("role" if exc.field == "role" else "username", str(error_message(exc)))
            else:
                messages.success(
                    request,
                    _("%(user)s is now a member as %(role)s.")
                    % {"user": user.get_username(), "role": role_label(form.cleaned_data["role"])},
                )
                return redirect("parties:member-list")
    return _members_page(request, scope, add_form=form, status=400)


@scoped_page
@require_POST
def member_role(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    party = _party(scope, MEMBERS_WRITE)
    membership = scoped_get(Membership.objects.all(), scope, permission=MEMBERS_WRITE, pk=pk)
    form = RoleForm(request.POST, kind=party.kind, prefix=f"m{membership.pk.hex}")
    error = None
    if not form.is_valid():
        error = " ".join(str(e) for e in form.errors.get("role", [])) or _("Choose a role.")
    else:
        try:
            services.membership_role_change(
                actor=Actor.for_user(request.user), membership=membership, role=form.cleaned_data["role"]
            )
        except DomainError as exc:
            error = str(error_message(exc))
    if error:
        return _members_page(request, scope, row_errors={str(membership.pk): error}, status=400)
    messages.success(
        request,
        _("%(user)s is now %(role)s.")
        % {"user": membership.user.get_username(), "role": role_label(membership.role)},
    )
    return redirect("parties:member-list")


@scoped_page
def member_deactivate(request: HttpRequest, pk: Any) -> HttpResponse:
    """Confirm (GET), then deactivate (POST): the member can no longer act for the party."""
    scope = scope_for_request(request)
    _party(scope, MEMBERS_WRITE)
    queryset = Membership.objects.select_related("user")
    membership = scoped_get(queryset, scope, permission=MEMBERS_WRITE, pk=pk)
    if not membership.is_active:
        raise Http404(_("This membership has ended."))
    error = None
    if request.method == "POST":
        try:
            services.membership_deactivate(actor=Actor.for_user(request.user), membership=membership)
        except DomainError as exc:
            error = error_message(exc)
        else:
            messages.success(
                request,
                _("%(user)s can no longer act for the party.") % {"user": membership.user.get_username()},
            )
            return redirect("parties:member-list")
    context = {"membership": membership, "role": role_label(membership.role), "error": error}
    return render(request, "parties/member_deactivate.html", context, status=400 if error else 200)


# --- API keys --------------------------------------------------------------------------------------------
def _scope_labels(scopes: list[str]) -> list[str]:
    out = []
    for value in sorted(scopes):
        resource, _sep, action = value.partition(":")
        label = RESOURCE_LABELS.get(resource, resource)
        out.append(f"{label}: {_('write') if action == 'write' else _('read')}")
    return out


@scoped_page
@require_GET
def api_key_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    keys = scope_queryset(ApiKey.objects.select_related("created_by"), scope, permission=KEYS_READ)
    now = timezone.now()
    rows = [
        {
            "key": key,
            "scopes": _scope_labels(list(key.scopes)),
            "expired": key.expires_at is not None and key.expires_at <= now,
        }
        for key in keys.order_by("-created_at")
    ]
    return render(
        request, "parties/api_key_list.html", {"rows": rows, "can_write": _can_write(scope, KEYS_WRITE)}
    )


@scoped_page
def api_key_create(request: HttpRequest) -> HttpResponse:
    """The form (GET); on POST, the new key is shown once, on this response only, and never again."""
    scope = scope_for_request(request)
    party = _party(scope, KEYS_WRITE)
    form = ApiKeyForm(request.POST or None, kind=party.kind)
    if request.method == "POST" and form.is_valid():
        try:
            key, plaintext = services.api_key_issue(
                actor=Actor.for_user(request.user),
                party=party,
                name=form.cleaned_data["name"],
                scopes=list(form.cleaned_data["scopes"]),
                expires_at=form.expires_at(),
                created_by=request.user,
            )
        except DomainError as exc:
            field = {"expires_at": "expires_on"}.get(exc.field or "", exc.field or "")
            form.add_error(field if field in form.fields else None, str(error_message(exc)))
        else:
            context = {"key": key, "plaintext": plaintext, "scopes": _scope_labels(list(key.scopes))}
            response = render(request, "parties/api_key_issued.html", context)
            response["Cache-Control"] = "no-store"
            return response
    chosen = set(form["scopes"].value() or [])
    context = {"form": form, "rows": scope_rows(party.kind), "chosen": chosen, "party": party}
    return render(request, "parties/api_key_form.html", context, status=400 if form.is_bound else 200)


@scoped_page
def api_key_revoke(request: HttpRequest, pk: Any) -> HttpResponse:
    """Confirm (GET), then revoke (POST): the key stops working at once."""
    scope = scope_for_request(request)
    _party(scope, KEYS_WRITE)
    key = scoped_get(ApiKey.objects.all(), scope, permission=KEYS_WRITE, pk=pk)
    if request.method == "POST":
        services.api_key_revoke(actor=Actor.for_user(request.user), key=key)
        messages.success(request, _("The key %(prefix)s… is revoked.") % {"prefix": key.prefix})
        return redirect("parties:api-key-list")
    return render(request, "parties/api_key_revoke.html", {"key": key})


# --- agreements ------------------------------------------------------------------------------------------
def _agreements(scope: Scope) -> QuerySet[ServiceAgreement]:
    queryset = ServiceAgreement.objects.select_related("seller", "operator").prefetch_related("warehouses")
    return scope_queryset(queryset, scope, permission=AGREEMENTS_READ)


@scoped_page
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    agreements = _agreements(scope).order_by("-valid_from", "reference")
    context = {
        "agreements": agreements,
        "is_seller": scope.party_kind is PartyKind.SELLER,
        "today": timezone.localdate(),
    }
    return render(request, "parties/agreement_list.html", context)


def _in_force(schedules: list[FeeSchedule], today: dt.date) -> FeeSchedule | None:
    started = [s for s in schedules if s.effective_from <= today]
    return max(started, key=lambda s: s.effective_from) if started else None


@scoped_page
@require_GET
def agreement_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    agreement = scoped_get(_agreements(scope), scope, permission=AGREEMENTS_READ, pk=pk)
    schedules = list(
        agreement.fee_schedules.prefetch_related("lines", "age_bands").order_by("-effective_from")
    )
    today = timezone.localdate()
    current = _in_force(schedules, today)
    context = {
        "agreement": agreement,
        "warehouses": list(agreement.warehouses.order_by("code")),
        "schedules": [
            {
                "schedule": s,
                "in_force": s is current,
                "future": s.effective_from > today,
                "peak_months": [MONTHS[m] for m in s.peak_months if m in MONTHS],
                "lines": list(s.lines.all()),
                "bands": list(s.age_bands.all()),
            }
            for s in schedules
        ],
        "can_see_warehouses": scope.can("network:read"),
        "today": today,
    }
    return render(request, "parties/agreement_detail.html", context)
