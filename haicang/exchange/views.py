"""The Imports pages: upload a file, watch it being checked (HTMX polling), read the preview and every
problem, confirm or discard; mapping profiles. Every read goes through the request's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicang.core.errors import DomainError
from haicang.exchange import services
from haicang.exchange.api import acting_party
from haicang.exchange.forms import ProfileForm, UploadForm, pairs_text
from haicang.exchange.labels import problem_reason
from haicang.exchange.models import ImportJob, ImportStatus, MappingProfile
from haicang.exchange.registry import importers
from haicang.exchange.selectors import (
    READ,
    WRITE,
    import_job_progress,
    import_jobs_visible,
    import_kind_require,
    import_kinds_for,
    mapping_profiles_visible,
)
from haicang.parties.access import scope_for_request
from haicang.parties.scoping import Scope, scoped_get
from haicang.web.pages import scoped_page

JOBS_PER_PAGE = 20
PROBLEMS_PER_PAGE = 50


@dataclass(frozen=True)
class ShownProblem:
    row: int | None
    column: str | None
    source_column: str | None
    value: str | None
    reason: str
    detail: str
    code: str


def _job(scope: Scope, pk: Any) -> ImportJob:
    return scoped_get(import_jobs_visible(scope), scope, permission=READ, pk=pk)


def _profile(scope: Scope, pk: Any) -> MappingProfile:
    return scoped_get(mapping_profiles_visible(scope), scope, permission=READ, pk=pk)


@scoped_page
def job_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    kinds = import_kinds_for(scope, write=True)
    profiles = list(
        mapping_profiles_visible(scope).filter(kind__in=[k.kind for k in kinds]).order_by("partner")
    )
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        profiles=profiles,
        initial=_upload_initial(request, kinds),
    )
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        import_kind_require(scope, kind)
        profile = _profile(scope, form.cleaned_data["profile"]) if form.cleaned_data["profile"] else None
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=scope.actor,
                owner=acting_party(scope),
                kind=kind,
                content=upload.read(),
                filename=upload.name or "",
                profile=profile,
                options=form.cleaned_data.get("options") or {},
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            return redirect("exchange:job-detail", pk=job.pk)
    page = Paginator(import_jobs_visible(scope).order_by("-created_at"), JOBS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    labels = _kind_labels()
    rows = [(job, labels.get(job.kind, job.kind)) for job in page.object_list]
    return render(
        request,
        "exchange/job_list.html",
        {"form": form, "can_upload": bool(kinds), "page": page, "rows": rows},
    )


def _upload_initial(request: HttpRequest, kinds: list[Any]) -> dict[str, Any]:
    """Links may preselect the kind and options: ``/imports/?kind=inbound_packing_list&shipment=ASN-…``."""
    kind = request.GET.get("kind", "")
    importer = next((i for i in kinds if i.kind == kind), None)
    if importer is None:
        return {}
    given = {o.name: request.GET[o.name] for o in importer.options if request.GET.get(o.name)}
    return {"kind": kind, "options": pairs_text(given)}


def _kind_labels() -> dict[str, Any]:
    return {i.kind: i.label for i in importers}


def _shown(job: ImportJob, problems: list[dict[str, Any]]) -> list[ShownProblem]:
    return [
        ShownProblem(
            row=p.get("row"),
            column=p.get("column"),
            source_column=p.get("source_column"),
            value=p.get("value"),
            reason=str(problem_reason(job.kind, str(p.get("code", "")))),
            detail=str(p.get("reason", "")),
            code=str(p.get("code", "")),
        )
        for p in problems
    ]


@scoped_page
def job_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    job = _job(scope, pk)
    page = Paginator(job.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    preview = job.preview or {}
    columns = preview.get("columns", [])
    context = {
        "job": job,
        "kind_label": _kind_labels().get(job.kind, job.kind),
        "progress": import_job_progress(job) if job.in_progress else None,
        "problems": _shown(job, list(page.object_list)),
        "problem_page": page,
        "preview_columns": [(c, preview.get("sources", {}).get(c, c)) for c in columns],
        "preview_rows": [
            (row["row"], [row["values"].get(c, "") for c in columns]) for row in preview.get("rows", [])
        ],
        "ignored": preview.get("ignored", []),
        "can_write": scope.can(WRITE)
        and job.kind in importers
        and scope.can(importers.get(job.kind).permission),
        "discardable": job.status in services.DISCARDABLE,
        "Status": ImportStatus,
    }
    template = "exchange/_job.html" if getattr(request, "htmx", False) else "exchange/job_detail.html"
    return render(request, template, context)


@scoped_page
@require_POST
def job_confirm(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    job = _job(scope, pk)
    import_kind_require(scope, job.kind)
    try:
        services.import_job_confirm(actor=scope.actor, job=job)
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("exchange:job-detail", pk=job.pk)


@scoped_page
@require_POST
def job_discard(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    job = _job(scope, pk)
    import_kind_require(scope, job.kind)
    try:
        services.import_job_discard(actor=scope.actor, job=job)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The import was discarded and its file deleted."))
    return redirect("exchange:job-list")


# --- mapping profiles --------------------------------------------------------------------------------------
@scoped_page
def profile_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for_request(request)
    scope.require(READ)
    kinds = import_kinds_for(scope, write=True)
    form = ProfileForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        import_kind_require(scope, form.cleaned_data["kind"])
        try:
            services.mapping_profile_create(
                actor=scope.actor,
                owner=acting_party(scope),
                kind=form.cleaned_data["kind"],
                partner=form.cleaned_data["partner"],
                mapping=form.cleaned_data["mapping"],
                defaults=form.cleaned_data["defaults"],
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("The mapping profile was saved."))
            return redirect("exchange:profile-list")
    profiles = mapping_profiles_visible(scope).order_by("kind", "partner")
    return render(
        request,
        "exchange/profile_list.html",
        {"form": form, "profiles": profiles, "can_write": bool(kinds)},
    )


@scoped_page
def profile_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    profile = _profile(scope, pk)
    initial = {
        "kind": profile.kind,
        "partner": profile.partner,
        "mapping": pairs_text(profile.mapping),
        "defaults": pairs_text(profile.defaults),
    }
    kinds = [importers.get(profile.kind)] if profile.kind in importers else []
    form = ProfileForm(request.POST or None, initial=initial, kinds=kinds)
    form.fields["kind"].disabled = True
    if request.method == "POST":
        import_kind_require(scope, profile.kind)
        if form.is_valid():
            try:
                services.mapping_profile_update(
                    actor=scope.actor,
                    profile=profile,
                    partner=form.cleaned_data["partner"],
                    mapping=form.cleaned_data["mapping"],
                    defaults=form.cleaned_data["defaults"],
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(request, _("The mapping profile was saved."))
                return redirect("exchange:profile-list")
    return render(request, "exchange/profile_edit.html", {"form": form, "profile": profile})


@scoped_page
@require_POST
def profile_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    scope = scope_for_request(request)
    profile = _profile(scope, pk)
    import_kind_require(scope, profile.kind)
    services.mapping_profile_delete(actor=scope.actor, profile=profile)
    messages.success(request, _("The mapping profile was deleted."))
    return redirect("exchange:profile-list")
