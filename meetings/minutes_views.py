"""Writing the minutes: notes, decisions and actions per item, the generated summary, and following actions up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import apply_to_form as _apply
from core.web import flash_errors as _flash_errors
from governance import permissions

from . import rules, services
from .forms import ActionForm, DecisionForm, DiscussionForm
from .models import Action, Decision, Meeting
from .views import _item_for, _meeting_for, meeting_crumbs


def item_minutes(request, pk):
    item = _item_for(request, pk)
    meeting = item.meeting
    discussion = DiscussionForm(
        request.POST if "save_discussion" in request.POST else None, initial={"discussion": item.discussion}
    )
    decision_form = DecisionForm(request.POST if "add_decision" in request.POST else None, prefix="decision")
    action_form = ActionForm(request.POST if "add_action" in request.POST else None, prefix="act")
    if request.method == "POST":
        done = None
        if "save_discussion" in request.POST and discussion.is_valid():
            done = _apply(
                discussion,
                lambda: services.item_minutes_save(
                    actor=request.user, item=item, discussion=discussion.cleaned_data["discussion"]
                ),
            )
        elif "add_decision" in request.POST and decision_form.is_valid():
            d = decision_form.cleaned_data
            done = _apply(
                decision_form,
                lambda: services.decision_add(
                    actor=request.user, item=item, kind=d["kind"], text=d["text"], escalated_to=d["escalated_to"]
                ),
            )
        elif "add_action" in request.POST and action_form.is_valid():
            d = action_form.cleaned_data
            done = _apply(
                action_form,
                lambda: services.action_add(
                    actor=request.user,
                    item=item,
                    text=d["text"],
                    owner=d["owner"],
                    due_date=d["due_date"],
                    subregion=d["subregion"],
                ),
            )
        if done:
            messages.success(request, _("Sparat."))
            return redirect("meetings:item_minutes", pk=item.pk)
    return render(
        request,
        "meetings/item_minutes.html",
        {
            "item": item,
            "meeting": meeting,
            "body": meeting.body,
            "discussion_form": discussion,
            "decision_form": decision_form,
            "action_form": action_form,
            "decisions": list(item.decisions.select_related("escalated_to")),
            "actions": list(item.actions.select_related("subregion")),
            "previous": meeting.items.filter(position__lt=item.position).order_by("-position").first(),
            "next": meeting.items.filter(position__gt=item.position).order_by("position").first(),
            "crumbs": meeting_crumbs(meeting, _("Punkt %(n)d") % {"n": item.position}),
        },
    )


def _scoped(request, queryset):
    """Rows of meetings the user follows (else 404); the caller requires MANAGE_MEETING (else 403)."""
    return queryset.filter(item__meeting__in=Meeting.objects.followed_by(request.user)).select_related(
        "item__meeting__body"
    )


def decision_delete(request, pk):
    decision = get_object_or_404(_scoped(request, Decision.objects), pk=pk)
    meeting = decision.item.meeting
    permissions.require(request.user, rules.MANAGE_MEETING, meeting)
    if request.method == "POST":
        if _flash_errors(request, lambda: services.decision_delete(actor=request.user, decision=decision)):
            messages.success(request, _("Ställningstagandet är borttaget."))
        return redirect("meetings:item_minutes", pk=decision.item_id)
    title = _("Ta bort %(p)s?") % {"p": decision}
    return render(
        request,
        "meetings/confirm.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "title": title,
            "text": decision.text,
            "submit": _("Ta bort ställningstagandet"),
            "crumbs": meeting_crumbs(meeting, title),
        },
    )


@require_POST
def action_status(request, pk):
    action = get_object_or_404(_scoped(request, Action.objects), pk=pk)
    permissions.require(request.user, rules.MANAGE_MEETING, action.item.meeting)
    status = request.POST.get("status", "")
    if _flash_errors(request, lambda: services.action_set_status(actor=request.user, action=action, status=status)):
        messages.success(request, _("Åtgärdens status är ändrad."))
    target = request.POST.get("next", "")
    # Back to the page the button was on: a path on this site, never elsewhere (and never a view name to look up).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = action.item.meeting.get_absolute_url()
    return HttpResponseRedirect(target)


@login_not_required
def summary(request, pk):
    meeting, rights = _meeting_for(request, pk)
    return render(
        request,
        "meetings/summary.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            **services.summary(meeting),
            **rights,
            "status_choices": Action.Status.choices,
            "crumbs": meeting_crumbs(meeting, _("Sammanfattning")),
        },
    )
