"""Seats: appointing, changing, replacing and ending memberships, and registering vacancies.

A subregion administrator reaches only their own subregion's seats; the rules are governance.rules. The views
parse, call one service, message and render: 404 comes from the scope (visible_to), 403 from permissions.require."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.web import Confirmation, ask_first, going_back
from core.web import apply_to_form as _apply

from . import permissions, rules, services
from .forms import MembershipEndForm, MembershipForm, MembershipReplaceForm, VacancyForm
from .models import Body, Membership


def _seat_scope(user, body):
    """The subregions the user may choose in a seat form (None = all); 403 when no seat in the body is theirs."""
    permissions.require(user, rules.APPOINT_IN, body)
    return rules.seat_scope(user, body)


def _body_for(request, slug):
    return get_object_or_404(Body.objects.visible_to(request.user), slug=slug)


def _body_crumbs(body, title):
    from django.urls import reverse

    return [(_("Organ"), reverse("governance:chart")), (body.name, body.get_absolute_url()), (title, "")]


def membership_create(request, slug):
    body = _body_for(request, slug)
    scope = _seat_scope(request.user, body)
    # "Tillsätt" beside a vacancy opens the form for that seat (?subregion=<pk>&role=<role>).
    seat = {k: request.GET[k] for k in ("subregion", "role") if request.GET.get(k)}
    form = MembershipForm(request.POST or None, subregions=scope, initial={"start_date": services.today(), **seat})
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form,
            lambda: services.membership_appoint(
                actor=request.user,
                body=body,
                membership=form.save(commit=False),
                person=form.person(),
                reason=form.cleaned_data["reason"],
            ),
        )
        if saved:
            messages.success(
                request, _("%(p)s är tillsatt som %(r)s.") % {"p": saved.person, "r": saved.get_role_display().lower()}
            )
            return redirect(body)
    return render(
        request,
        "governance/membership_form.html",
        _form_context(form, body, _("Tillsätt plats i %(b)s") % {"b": body}),
    )


def _form_context(form, body, title, **more):
    return {"form": form, "body": body, "title": title, "crumbs": _body_crumbs(body, title), **more}


def _membership_for(request, pk):
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("body", "subregion", "person"), pk=pk
    )
    permissions.require(request.user, rules.MANAGE_SEAT, membership)
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
        _form_context(
            form, membership.body, _("Ändra uppdrag: %(p)s") % {"p": membership.person}, membership=membership
        ),
    )


def membership_end(request, pk):
    membership = _membership_for(request, pk)
    form = MembershipEndForm(request.POST or None, initial={"end_date": services.today()})
    if request.method == "POST" and form.is_valid() and not going_back(request):
        if page := _ask_if_giving_up(
            request,
            membership,
            _("Avsluta ditt eget uppdrag i %(b)s?") % {"b": membership.body},
            lambda: (
                _("Ditt uppdrag som %(r)s i %(b)s upphör efter %(d)s.")
                % {
                    "r": membership.get_role_display().lower(),
                    "b": membership.body,
                    "d": form.cleaned_data["end_date"].isoformat(),
                }
            ),
            _("avsluta mitt uppdrag"),
        ):
            return page
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
        _form_context(
            form,
            membership.body,
            _("Avsluta uppdrag: %(p)s, %(r)s") % {"p": membership.person, "r": membership.get_role_display().lower()},
            submit=_("Avsluta uppdraget"),
        ),
    )


def membership_replace(request, pk):
    membership = _membership_for(request, pk)
    title = _("Ersätt %(p)s i %(b)s") % {"p": membership.person, "b": membership.body}
    refusals = rules.replaced_refusals(membership)
    if refusals and request.method != "POST":  # already replaced: say so and by whom, offer no second replacement
        return render(
            request, "governance/simple_form.html", _form_context(None, membership.body, title, refusals=refusals)
        )
    form = MembershipReplaceForm(request.POST or None, membership=membership, initial={"start_date": services.today()})
    if request.method == "POST" and form.is_valid() and not going_back(request):
        if page := _ask_if_giving_up(
            request,
            membership,
            _("Lämna över ditt uppdrag i %(b)s?") % {"b": membership.body},
            lambda: (
                _("%(p)s tar över din plats som %(r)s i %(b)s från %(d)s; ditt uppdrag upphör dagen innan.")
                % {
                    "p": form.new_person(),
                    "r": membership.get_role_display().lower(),
                    "b": membership.body,
                    "d": form.cleaned_data["start_date"].isoformat(),
                }
            ),
            _("lämna över mitt uppdrag"),
        ):
            return page
        successor = _apply(
            form,
            lambda: services.membership_replace(
                actor=request.user,
                membership=membership,
                person=form.new_person(),
                start_date=form.cleaned_data["start_date"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if successor:
            messages.success(
                request, _("%(new)s ersätter %(old)s.") % {"new": successor.person, "old": membership.person}
            )
            return redirect(membership.body)
    seat = membership.get_role_display().lower() + (
        _(" för %(s)s") % {"s": membership.subregion} if membership.subregion_id else ""
    )
    intro = _("%(p)s är %(seat)s sedan %(d)s. Den du väljer tar över platsen från det datum du anger.") % {
        "p": membership.person,
        "seat": seat,
        "d": membership.start_date.isoformat(),
    }
    return render(
        request,
        "governance/simple_form.html",
        _form_context(form, membership.body, title, submit=_("Ersätt"), intro=intro),
    )


def _ask_if_giving_up(request, membership, title: str, happens, verb: str):
    """The confirm page when the user gives up her own seat (rules.gives_up_own_seat), else None; `happens` is
    called only then."""
    if not rules.gives_up_own_seat(request.user, membership):
        return None
    return ask_first(request, [], lambda: _giving_up(membership, title, happens(), verb))


def _giving_up(membership, title: str, happens: str, verb: str) -> Confirmation:
    """The question before one gives up one's own seat (rules.gives_up_own_seat)."""
    return Confirmation(
        title=title,
        happens=[happens, _("Därefter har du inte längre de rättigheter som uppdraget ger dig i portalen.")],
        final=_("Du kan inte själv ändra tillbaka det. Bara en administratör kan ändra eller förlänga uppdraget."),
        verb=verb,
        cancel_url=membership.body.get_absolute_url(),
        crumbs=_body_crumbs(membership.body, title),
        back_to_form=True,
    )


def vacancy_create(request, slug):
    body = _body_for(request, slug)
    scope = _seat_scope(request.user, body)
    form = VacancyForm(request.POST or None, subregions=scope, initial={"since": services.today()})
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form, lambda: services.vacancy_register(actor=request.user, body=body, vacancy=form.save(commit=False))
        )
        if saved:
            messages.success(request, _("Vakansen är registrerad."))
            return redirect(body)
    return render(
        request,
        "governance/simple_form.html",
        _form_context(form, body, _("Registrera vakant plats i %(b)s") % {"b": body}, submit=_("Registrera vakans")),
    )
