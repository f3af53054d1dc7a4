"""Justering: sending minutes to the chair and justerare, their approvals and comments, and corrections after."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import apply_to_form as _apply
from core.web import ask_first, going_back
from core.web import flash_errors as _flash_errors
from governance import permissions

from . import confirmations, rules, services
from .forms import CorrectionForm, JusteringForm, PaperJusteringForm
from .models import Correction, Meeting
from .views import _meeting_for, meeting_crumbs


@require_POST
def send_for_justering(request, pk):
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    if _flash_errors(request, lambda: services.minutes_send_for_justering(actor=request.user, meeting=meeting)):
        messages.success(request, _("Anteckningarna är skickade till ordföranden och justerarna."))
    return redirect(meeting)


@require_POST
def withdraw(request, pk):
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    if _flash_errors(request, lambda: services.minutes_withdraw(actor=request.user, meeting=meeting)):
        messages.success(request, _("Anteckningarna är återtagna och kan ändras. Skicka dem igen när du är klar."))
    return redirect(meeting)


def justering(request, pk):
    meeting, _rights_ = _meeting_for(request, pk)
    permissions.require(request.user, rules.JUSTERA, meeting)
    minutes = rules.minutes_of(meeting)
    form = JusteringForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid() and not going_back(request):
        approve = "approve" in request.POST
        if approve and (
            page := ask_first(
                request,
                rules.approve_check(request.user, meeting, minutes),
                lambda: confirmations.minutes_approve(
                    meeting, permissions.person_of(request.user), form.cleaned_data["comment"]
                ),
            )
        ):
            return page
        if _apply(
            form,
            lambda: services.minutes_respond(
                actor=request.user,
                meeting=meeting,
                approve=approve,
                comment=form.cleaned_data["comment"],
                item=form.cleaned_data["item"],
            ),
        ):
            messages.success(
                request, _("Du har godkänt anteckningarna.") if approve else _("Din kommentar är skickad.")
            )
            return redirect(meeting)
    summary = services.summary(meeting)
    return render(
        request,
        "meetings/justering.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "minutes": minutes,
            "form": form,
            **summary,
            "responses": list(minutes.responses.select_related("person", "item")) if minutes else [],
            "justering_rows": services.justering_block(meeting),
            "comment_refusals": rules.comment_check(request.user, meeting, minutes),
            "can_preview": permissions.can(request.user, rules.PREVIEW_MINUTES, meeting),
            # The approve button only for who may approve now (a comment may still be sent, e.g. after approving).
            "approve_refusals": rules.approve_check(request.user, meeting, minutes),
            "attendance_groups": services.attendance_groups(meeting),
            "crumbs": meeting_crumbs(meeting, _("Justering")),
        },
    )


def paper_justering(request, pk):
    """The secretary records a justering that happened on paper (an earlier year's minutes, or signatures gathered on
    paper): the day and who signed. The minutes are then justerade and locked, marked as justerade on paper."""
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    minutes = rules.minutes_of(meeting)
    people = services.signatories(meeting)
    form = PaperJusteringForm(request.POST or None, signatories=people)
    if request.method == "POST" and form.is_valid():
        done = _apply(
            form,
            lambda: services.minutes_record_paper_justering(
                actor=request.user,
                meeting=meeting,
                date=form.cleaned_data["date"],
                signers=form.cleaned_data["signers"],
            ),
        )
        if done:
            messages.success(
                request,
                _("Justeringen på papper %(d)s är registrerad. Protokollet är låst och kan publiceras.")
                % {"d": form.cleaned_data["date"].isoformat()},
            )
            return redirect(meeting)
    title = _("Registrera justering på papper")
    return render(
        request,
        "meetings/paper_justering.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "minutes": minutes,
            "form": form,
            "title": title,
            "refusals": rules.paper_justering_check(request.user, meeting, minutes),
            "crumbs": meeting_crumbs(meeting, title),
        },
    )


def correction_create(request, pk):
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    form = CorrectionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        if _apply(
            form,
            lambda: services.correction_add(
                actor=request.user, meeting=meeting, text=form.cleaned_data["text"], item=form.cleaned_data["item"]
            ),
        ):
            messages.success(request, _("Rättelsen är registrerad och väntar på ordförandens godkännande."))
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "body": meeting.body,
            "meeting": meeting,
            "title": _("Ny rättelse"),
            "submit": _("Registrera rättelsen"),
            "crumbs": meeting_crumbs(meeting, _("Ny rättelse")),
        },
    )


@require_POST
def correction_approve(request, pk):
    correction = get_object_or_404(
        Correction.objects.filter(minutes__meeting__in=Meeting.objects.visible_to(request.user)).select_related(
            "minutes__meeting__body"
        ),
        pk=pk,
    )
    meeting = correction.minutes.meeting
    permissions.require(request.user, rules.JUSTERA, meeting)
    refusals = rules.correction_approve_check(request.user, correction)
    if page := ask_first(request, refusals, lambda: confirmations.correction_approve(correction)):
        return page
    if _flash_errors(request, lambda: services.correction_approve(actor=request.user, correction=correction)):
        messages.success(request, _("Rättelsen är godkänd."))
    return redirect(meeting)
