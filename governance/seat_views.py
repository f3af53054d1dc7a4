"""Seats: appointing, changing, replacing and ending memberships, and registering vacancies.

A subregion administrator reaches only their own subregion's seats; the policy is governance.permissions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.audit import save as _save
from core.web import apply_to_form as _apply

from . import permissions, services
from .forms import MembershipEndForm, MembershipForm, MembershipReplaceForm, VacancyForm
from .models import Body, Membership


def _seat_scope(user, body):
    """The subregions the user may choose in a seat form (None = all) or 403 when there are none."""
    subregions = permissions.seat_scope(user, body)
    if subregions is not None and not subregions:
        raise PermissionDenied
    return subregions


def membership_create(request, slug):
    body = get_object_or_404(Body, slug=slug)
    scope = _seat_scope(request.user, body)
    form = MembershipForm(request.POST or None, subregions=scope, initial={"start_date": services.today()})
    if request.method == "POST" and form.is_valid():
        membership = form.save(commit=False)
        membership.body = body

        def save():
            with transaction.atomic():
                person = form.person()
                if not person.pk:
                    _save(person, actor=request.user, reason=_("Person registrerad"))
                membership.person = person
                return services.membership_save(
                    actor=request.user, membership=membership, reason=form.cleaned_data["reason"]
                )

        saved = _apply(form, save)
        if saved:
            messages.success(
                request, _("%(p)s är tillsatt som %(r)s.") % {"p": saved.person, "r": saved.get_role_display().lower()}
            )
            return redirect(body)
    return render(
        request,
        "governance/membership_form.html",
        {"form": form, "body": body, "title": _("Tillsätt plats i %(b)s") % {"b": body}},
    )


def _membership_for(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("body", "subregion", "person"), pk=pk)
    if not permissions.can(request.user, permissions.MANAGE_SEAT, membership):
        raise PermissionDenied
    return membership


def membership_edit(request, pk):
    membership = _membership_for(request, pk)
    scope = _seat_scope(request.user, membership.body)
    form = MembershipForm(request.POST or None, instance=membership, subregions=scope)
    if request.method == "POST" and form.is_valid():
        changed = form.save(commit=False)
        saved = _apply(
            form,
            lambda: services.membership_save(
                actor=request.user, membership=changed, reason=form.cleaned_data["reason"]
            ),
        )
        if saved:
            messages.success(request, _("Uppdraget är ändrat."))
            return redirect(membership.body)
    return render(
        request,
        "governance/membership_form.html",
        {
            "form": form,
            "body": membership.body,
            "membership": membership,
            "title": _("Ändra uppdrag: %(p)s") % {"p": membership.person},
        },
    )


def membership_end(request, pk):
    membership = _membership_for(request, pk)
    form = MembershipEndForm(request.POST or None, initial={"end_date": services.today()})
    if request.method == "POST" and form.is_valid():
        if _apply(
            form,
            lambda: services.membership_end(
                actor=request.user,
                membership=membership,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
            ),
        ):
            messages.success(request, _("Uppdraget för %(p)s är avslutat.") % {"p": membership.person})
            return redirect(membership.body)
    return render(
        request,
        "governance/simple_form.html",
        {
            "form": form,
            "body": membership.body,
            "title": _("Avsluta uppdrag: %(p)s, %(r)s")
            % {"p": membership.person, "r": membership.get_role_display().lower()},
            "submit": _("Avsluta uppdraget"),
        },
    )


def membership_replace(request, pk):
    membership = _membership_for(request, pk)
    form = MembershipReplaceForm(request.POST or None, initial={"start_date": services.today()})
    if request.method == "POST" and form.is_valid():

        def replace():
            with transaction.atomic():
                person = form.new_person()
                if not person.pk:
                    _save(person, actor=request.user, reason=_("Person registrerad"))
                return services.membership_replace(
                    actor=request.user,
                    membership=membership,
                    person=person,
                    start_date=form.cleaned_data["start_date"],
                    reason=form.cleaned_data["reason"],
                )

        successor = _apply(form, replace)
        if successor:
            messages.success(
                request, _("%(new)s ersätter %(old)s.") % {"new": successor.person, "old": membership.person}
            )
            return redirect(membership.body)
    return render(
        request,
        "governance/simple_form.html",
        {
            "form": form,
            "body": membership.body,
            "title": _("Ersätt %(p)s i %(b)s") % {"p": membership.person, "b": membership.body},
            "submit": _("Ersätt"),
        },
    )


def vacancy_create(request, slug):
    body = get_object_or_404(Body, slug=slug)
    scope = _seat_scope(request.user, body)
    form = VacancyForm(request.POST or None, subregions=scope, initial={"since": services.today()})
    if request.method == "POST" and form.is_valid():
        vacancy = form.save(commit=False)
        vacancy.body = body
        saved = _apply(form, lambda: services.vacancy_save(actor=request.user, vacancy=vacancy))
        if saved:
            messages.success(request, _("Vakansen är registrerad."))
            return redirect(body)
    return render(
        request,
        "governance/simple_form.html",
        {
            "form": form,
            "body": body,
            "title": _("Registrera vakant plats i %(b)s") % {"b": body},
            "submit": _("Registrera vakans"),
        },
    )
