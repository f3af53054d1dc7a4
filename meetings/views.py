"""Meeting pages for secretaries, members, chairs and justerare: thin views over meetings.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import history
from core.kept import kept
from core.web import apply_to_form as _apply
from core.web import ask_first, confirm_page
from core.web import flash_errors as _flash_errors
from governance import permissions
from governance.case_models import Case
from governance.models import Body

from . import agenda, confirmations, rules, services
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    GuestForm,
    MeetingForm,
)
from .models import Action, AgendaItem, Attendance, Correction, Decision, JusteringResponse, Meeting, Minutes, case_url
from .querysets import bodies_followed_by


def body_crumbs(body, *more) -> list[tuple[str, str]]:
    """Breadcrumbs down to a body (Start is added by components/breadcrumbs.html), then `more`."""
    return [
        (_("Organ"), reverse("governance:chart")),
        (body.short_name or body.name, body.get_absolute_url()),
        *more,
    ]


def meeting_crumbs(meeting, here: str = "") -> list[tuple[str, str]]:
    """Breadcrumbs down to a meeting (its date), and the page below it when `here` names one."""
    body = meeting.body
    crumbs = body_crumbs(body, (_("Möten"), reverse("meetings:body_meetings", kwargs={"slug": body.slug})))
    date = formats.date_format(meeting.date)
    if here:
        return [*crumbs, (date, meeting.get_absolute_url()), (here, "")]
    return [*crumbs, (date, "")]


def _rights(user, meeting) -> dict:
    body = meeting.body
    return {
        "can_manage": permissions.can(user, rules.MANAGE_MEETING, meeting),
        "can_view": permissions.can(user, rules.VIEW_MEETINGS, body),
        "can_justera": permissions.can(user, rules.JUSTERA, meeting),
        "can_follow": permissions.can(user, rules.FOLLOW_MEETING, meeting),
    }


def _meeting_for(request, pk, *, manage=False):
    """The meeting if the user may see it (members, secretary, signatories; anyone once published), else 404.
    manage=True: the management side, scoped to those who follow the meeting (404 for others, even once it is
    published), then 403 for followers who may not manage it."""
    scope = Meeting.objects.followed_by(request.user) if manage else Meeting.objects.visible_to(request.user)
    # The justerare and co-secretaries are read when the page or its rights ask for them (Meeting.named).
    meeting = get_object_or_404(scope.select_related("body", "secretary", "chair", "minutes"), pk=pk)
    if manage:
        permissions.require(request.user, rules.MANAGE_MEETING, meeting)
    return meeting, _rights(request.user, meeting)


def _followed(request, pk):
    """A meeting's internal side (its history): for those who follow it, else 404."""
    return get_object_or_404(Meeting.objects.followed_by(request.user).select_related("body", "minutes"), pk=pk)


def body_meetings(request, slug):
    body = get_object_or_404(bodies_followed_by(request.user), slug=slug)
    can_manage = permissions.can(request.user, rules.MANAGE_MEETINGS, body)
    today = timezone.localdate()
    meetings = list(body.meetings.select_related("minutes").order_by("-date", "-start_time"))
    this_year = [m for m in meetings if m.date.year == today.year]
    return render(
        request,
        "meetings/body_meetings.html",
        {
            "body": body,
            "can_manage": can_manage,
            "upcoming": [m for m in meetings if m.date >= today][::-1],
            "past": [m for m in meetings if m.date < today],
            "held_this_year": sum(1 for m in this_year if m.date < today),
            "planned_this_year": sum(1 for m in this_year if m.date >= today),
            "year": today.year,
            "crumbs": body_crumbs(body, (_("Möten"), "")),
        },
    )


def meeting_create(request, slug):
    body = get_object_or_404(Body.objects.visible_to(request.user), slug=slug)
    permissions.require(request.user, rules.MANAGE_MEETINGS, body)
    me = permissions.person_of(request.user)
    form = MeetingForm(
        request.POST or None, body=body, initial={"secretary": me, "start_time": "13:00", "end_time": "16:00"}
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.body = body
        saved = _apply(
            form,
            lambda: services.meeting_create(
                actor=request.user,
                meeting=meeting,
                adjusters=form.cleaned_data["adjusters"],
                co_secretaries=form.cleaned_data["co_secretaries"],
            ),
        )
        if saved:
            messages.success(request, _("Mötet är planerat. Bygg nu dagordningen."))
            return redirect(saved)
    title = _("Nytt möte i %(b)s") % {"b": body}
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "body": body,
            "title": title,
            "submit": _("Planera mötet"),
            "crumbs": body_crumbs(
                body, (_("Möten"), reverse("meetings:body_meetings", kwargs={"slug": body.slug})), (title, "")
            ),
        },
    )


def _meeting_parts(request, meeting, minutes, *, show_agenda: bool, can_view: bool, editable: bool) -> dict:
    """The meeting page's facts, agenda, attendance and justering (partials of meetings/meeting_detail.html), and
    whether the agenda has items. They are the same for everyone with the same two rights until one of their rows
    changes, so they are kept per version of the rows (core.kept, core.history.versions); not when the agenda
    carries the secretary's buttons (forms with the request's token)."""

    def build() -> dict:
        items = []
        if show_agenda:
            items = agenda.with_durations(
                meeting.items.select_related("case")
                .prefetch_related(
                    Prefetch("decisions", Decision.objects.select_related("escalated_to")),
                    Prefetch("actions", Action.objects.select_related("subregion")),
                )
                .order_by("position"),
                meeting,
            )
        context = {
            "meeting": meeting,
            "minutes": minutes,
            "items": items,
            "can_view": can_view,
            "editable": editable,
            "attendance_groups": services.attendance_groups(meeting) if items else [],
            "justering_rows": services.justering_block(meeting) if minutes and minutes.is_locked else [],
            "waiting_cases": list(Case.objects.for_agenda(meeting.body).order_by("created_at", "pk"))
            if editable
            else [],
        }
        page = "meetings/meeting_detail.html#"
        parts = {name: render_to_string(page + name, context) for name in ("facts", "attendance", "justerat")}
        parts["agenda"] = render_to_string(page + "agenda", context, request=request if editable else None)
        return {**parts, "has_items": bool(items)}

    if editable:
        return build()
    shown = (Meeting, AgendaItem, Decision, Action, Attendance, Minutes, JusteringResponse, Case)
    key = f"meeting-page:{meeting.pk}:{history.versions(shown)}:{can_view}:{show_agenda}:{get_language()}"
    return kept(key, build)


@login_not_required  # published meetings are public; others answer 404, never a login prompt
def meeting_detail(request, pk):
    meeting, rights = _meeting_for(request, pk)
    minutes = rules.minutes_of(meeting)
    user = request.user
    published = minutes is not None and minutes.is_published
    show_agenda = rights["can_manage"] or rights["can_justera"] or meeting.agenda_published_at or published
    # The public sees what was published: no justering comments, only approved corrections.
    internal = rights["can_follow"]
    responses = list(minutes.responses.select_related("person", "item")) if minutes and internal else []
    corrections = []
    if minutes:
        shown = minutes.corrections.all() if internal else minutes.corrections.filter(approved_at__isnull=False)
        corrections = list(shown.select_related("created_by", "approved_by", "item"))
    checks = {}
    if rights["can_manage"]:
        checks = {"edit_refusals": rules.minutes_edit_check(user, meeting, minutes)}
    editable = rights["can_manage"] and not checks["edit_refusals"]
    parts = _meeting_parts(
        request, meeting, minutes, show_agenda=bool(show_agenda), can_view=rights["can_view"], editable=editable
    )
    if rights["can_manage"]:
        draft = minutes is None or minutes.is_draft
        checks["send_refusals"] = (
            rules.send_for_justering_check(user, meeting, minutes) if draft and parts["has_items"] else []
        )
        checks["publish_refusals"] = rules.publish_check(user, meeting, minutes)
    in_justering = minutes is not None and minutes.is_in_justering
    follow_ups = []
    if rights["can_follow"] and (minutes is None or minutes.is_draft):  # to raise at a meeting still to be written
        rows = Case.objects.visible_to(user).follow_ups_due(on=meeting.date, bodies=[meeting.body])
        follow_ups = [(case, case_url(case)) for case in rows.order_by("follow_up_on", "pk")]
    approve_refusals = rules.approve_check(user, meeting, minutes) if rights["can_justera"] and in_justering else []
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "minutes": minutes,
            "parts": parts,
            "items": parts["has_items"],
            **rights,
            **checks,
            "responses": responses,
            "approve_refusals": approve_refusals,
            "corrections": corrections,
            "follow_ups": follow_ups,
            "editable": editable,
            "crumbs": meeting_crumbs(meeting),
        },
    )


def meeting_edit(request, pk):
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    form = MeetingForm(request.POST or None, instance=meeting, body=meeting.body)
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form,
            lambda: services.meeting_update(
                actor=request.user,
                meeting=form.save(commit=False),
                adjusters=form.cleaned_data["adjusters"],
                co_secretaries=form.cleaned_data["co_secretaries"],
            ),
        )
        if saved:
            messages.success(request, _("Mötet är ändrat."))
            return redirect(saved)
    title = _("Ändra möte %(m)s") % {"m": meeting}
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "body": meeting.body,
            "meeting": meeting,
            "title": title,
            "crumbs": meeting_crumbs(meeting, title),
        },
    )


def item_create(request, pk):
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        if _apply(form, lambda: services.agenda_item_save(actor=request.user, item=item)):
            messages.success(request, _("Punkten är tillagd."))
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "body": meeting.body,
            "meeting": meeting,
            "title": _("Ny punkt på dagordningen"),
            "submit": _("Lägg till punkten"),
            "crumbs": meeting_crumbs(meeting, _("Ny punkt på dagordningen")),
        },
    )


def _item_for(request, pk):
    """An agenda item of a meeting the user follows (else 404) and manages (else 403)."""
    item = get_object_or_404(
        AgendaItem.objects.filter(meeting__in=Meeting.objects.followed_by(request.user)).select_related(
            "meeting__body",
            "meeting__minutes",  # the minutes: whether the item may still be changed (rules)
        ),
        pk=pk,
    )
    permissions.require(request.user, rules.MANAGE_MEETING, item.meeting)
    return item


def item_edit(request, pk):
    item = _item_for(request, pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: services.agenda_item_save(actor=request.user, item=form.save(commit=False))):
            messages.success(request, _("Punkten är ändrad."))
            return redirect(item.meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "body": item.meeting.body,
            "meeting": item.meeting,
            "title": _("Ändra punkt %(n)d") % {"n": item.position},
            "crumbs": meeting_crumbs(item.meeting, _("Ändra punkt %(n)d") % {"n": item.position}),
        },
    )


@require_POST
def item_move(request, pk):
    item = _item_for(request, pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    _flash_errors(request, lambda: services.agenda_item_move(actor=request.user, item=item, direction=direction))
    return redirect(f"{item.meeting.get_absolute_url()}#dagordning")


def item_delete(request, pk):
    """The page asks first (a link leads to it); only its "Ja" removes the item."""
    item = _item_for(request, pk)
    question = confirmations.item_delete(item)
    if page := ask_first(request, rules.minutes_edit_check(request.user, item.meeting), question):
        return page
    if request.method != "POST":
        return confirm_page(request, question)
    if _flash_errors(request, lambda: services.agenda_item_delete(actor=request.user, item=item)):
        messages.success(request, _("Punkten är borttagen."))
    return redirect(item.meeting)


@require_POST
def agenda_add_case(request, pk):
    """Put one of the cases waiting for the body on this meeting's agenda."""
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    case = get_object_or_404(
        Case.objects.visible_to(request.user).filter(owner=meeting.body), pk=request.POST.get("case") or 0
    )
    if _flash_errors(request, lambda: services.agenda_item_add_case(actor=request.user, meeting=meeting, case=case)):
        messages.success(request, _("Ärendet är tillagt på dagordningen."))
    return redirect(meeting)


@require_POST
def agenda_publish(request, pk):
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    refusals = rules.agenda_publish_check(request.user, meeting, rules.minutes_of(meeting))
    if page := ask_first(request, refusals, lambda: confirmations.agenda_publish(meeting)):
        return page
    if _flash_errors(request, lambda: services.agenda_publish(actor=request.user, meeting=meeting)):
        messages.success(request, _("Dagordningen är publicerad för organets ledamöter."))
    return redirect(meeting)


def attendance(request, pk):
    meeting, _rights_ = _meeting_for(request, pk, manage=True)
    if request.method == "POST" and "fill" in request.POST:
        n = [0]

        def fill():
            n[0] = services.attendance_fill(actor=request.user, meeting=meeting)

        if _flash_errors(request, fill):
            messages.success(request, _("%(n)d rader hämtades från organets uppdrag på mötesdagen.") % {"n": n[0]})
        return redirect("meetings:attendance", pk=meeting.pk)
    rows = list(meeting.attendance.select_related("person", "subregion", "substitute_for", "organisation"))
    from governance.models import Person

    # Only someone with förhinder can be stood in for (plus whoever a row already names).
    candidates = Person.objects.filter(
        pk__in=[a.person_id for a in rows if a.status == Attendance.Status.ABSENT]
        + [a.substitute_for_id for a in rows if a.substitute_for_id]
    )
    candidate_choices = [("", "– Välj –")] + [(p.pk, str(p)) for p in candidates]
    forms_ = [
        AttendanceForm(
            request.POST if request.method == "POST" and "save" in request.POST else None,
            instance=a,
            prefix=f"a{a.pk}",
            candidates=candidates,
            candidate_choices=candidate_choices,
        )
        for a in rows
        if not a.is_vacant
    ]
    guest_form = GuestForm(request.POST if "guest" in request.POST else None, prefix="guest", meeting=meeting)
    if request.method == "POST" and "save" in request.POST:
        if all(f.is_valid() for f in forms_):
            ok = all(
                _apply(f, lambda f=f: services.attendance_save(actor=request.user, attendance=f.save(commit=False)))
                for f in forms_
            )
            if ok:
                messages.success(request, _("Närvaron är sparad."))
                return redirect(meeting)
    if request.method == "POST" and "guest" in request.POST and guest_form.is_valid():
        guest = guest_form.save(commit=False)
        guest.meeting = meeting
        if _apply(guest_form, lambda: services.attendance_save(actor=request.user, attendance=guest)):
            messages.success(request, _("%(p)s är tillagd i närvarolistan.") % {"p": guest.display_name})
            return redirect("meetings:attendance", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "rows": zip([a for a in rows if not a.is_vacant], forms_, strict=True),
            "vacant": [a for a in rows if a.is_vacant],
            "guest_form": guest_form,
            "has_errors": any(f.errors for f in forms_),
            "crumbs": meeting_crumbs(meeting, _("Närvaro")),
        },
    )


def meeting_history(request, pk):
    """Historik for a meeting: the meeting, its agenda, attendance, minutes, decisions, actions and justering; for
    those who follow the meeting (the public sees a published meeting, not its history: 404)."""
    meeting = _followed(request, pk)
    rows = history.rows_of
    # Every item and minutes the meeting ever had (removed ones too), as subqueries: no query of their own.
    items = rows(AgendaItem).filter(meeting_id=meeting.pk).values("id")
    minutes = rows(Minutes).filter(meeting_id=meeting.pk).values("id")
    page = history.page(
        request,
        history.Source(Meeting, rows(Meeting).filter(id=meeting.pk), name=_("mötet %(m)s") % {"m": meeting}),
        history.Source(AgendaItem, rows(AgendaItem).filter(meeting_id=meeting.pk), hide=("meeting",)),
        history.Source(Attendance, rows(Attendance).filter(meeting_id=meeting.pk), hide=("meeting",)),
        history.Source(Decision, rows(Decision).filter(item_id__in=items), hide=("body", "year")),
        history.Source(Action, rows(Action).filter(item_id__in=items)),
        history.Source(Minutes, rows(Minutes).filter(meeting_id=meeting.pk), hide=("meeting",)),
        history.Source(JusteringResponse, rows(JusteringResponse).filter(minutes_id__in=minutes), hide=("minutes",)),
        history.Source(Correction, rows(Correction).filter(minutes_id__in=minutes), hide=("minutes",)),
    )
    return render(
        request,
        "governance/history.html",
        {
            "body": meeting.body,
            "meeting": meeting,
            "page": page,
            "title": _("Historik för %(m)s") % {"m": meeting},
            "crumbs": meeting_crumbs(meeting, _("Historik")),
        },
    )
