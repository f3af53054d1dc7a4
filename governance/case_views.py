"""Cases in the browser (issue 12): the list of the cases a user may see and a case's page with its path.

Who: `Case.objects.visible_to(user)` is the scope (404 outside it); the steps a steward takes (send for preparation,
report back, record a follow-up, close) need her role (`case_rules.may_carry`, else 403) and are refused, with the
rule's message, in a state that does not allow them. The steps minutes record (on an agenda, decided, referred back,
escalated) are taken on the meeting's pages (meetings). Views parse, call, message and render.
"""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.web import Confirmation, apply_to_form, ask_first, going_back, page_of

from . import case_rules, cases, permissions
from . import rules as governance_rules
from .case_forms import CloseForm, PrepareForm, RaiseForm, StepTextForm
from .case_models import Case, CaseLink, CaseStep, Process
from .models import Body


def _crumbs(*more):
    return [(_("Ärenden"), reverse("governance:case_list") if more else ""), *more]


def case_list(request):
    user = request.user
    rows = Case.objects.visible_to(user)
    organ = request.GET.get("organ") or ""
    status = request.GET.get("status") or ""
    process = request.GET.get("process") or ""
    body = Body.objects.filter(slug=organ).first() if organ else None
    if body is not None:
        rows = rows.filter(Q(raised_by=body) | Q(owner=body) | Q(preparing_body=body))
    if status in Case.Status.values:
        rows = rows.filter(status=status)
    if process:
        rows = rows.filter(process__slug=process)
    rows = rows.select_related("raised_by", "owner", "preparing_body", "process").order_by("-created_at", "-id")
    page = page_of(request, rows)
    title = _("Ärenden") if body is None else _("Ärenden i %(b)s") % {"b": body}
    return render(
        request,
        "governance/cases/list.html",
        {
            "title": title,
            "crumbs": _crumbs() if body is None else [(_("Ärenden"), reverse("governance:case_list")), (body, "")],
            "page": page,
            "body": body,
            "organ": organ,
            "status": status,
            "process": process,
            "statuses": Case.Status.choices,
            "processes": Process.objects.all(),
        },
    )


def _case_for(request, pk) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user)
        .select_related("raised_by", "owner", "preparing_body", "preparer", "process", "created_by")
        .prefetch_related(
            Prefetch("links", queryset=CaseLink.objects.order_by("pk")),
            Prefetch(
                "steps",
                queryset=CaseStep.objects.select_related("from_body", "to_body", "actor").order_by("happened_on", "pk"),
            ),
        ),
        pk=pk,
    )


def _steps_offered(user, case: Case) -> list[tuple[str, str]]:
    """The steward's steps the case allows now: (label, address), for the case page's buttons."""
    offered = [
        (case_rules.PREPARE_CASE, _("Skicka för beredning"), "governance:case_prepare"),
        (case_rules.REPORT_BACK, _("Återrapportera till %(b)s") % {"b": case.raised_by}, "governance:case_report_back"),
        (case_rules.FOLLOW_UP_CASE, _("Registrera uppföljning"), "governance:case_follow_up"),
        (case_rules.CLOSE_CASE, _("Avsluta ärendet"), "governance:case_close"),
    ]
    return [
        (label, reverse(name, args=[case.pk])) for action, label, name in offered if permissions.can(user, action, case)
    ]


def case_detail(request, pk):
    case = _case_for(request, pk)
    return render(
        request,
        "governance/cases/detail.html",
        {
            "title": case.title,
            "crumbs": _crumbs((case.reference, "")),
            "case": case,
            "steps": list(case.steps.all()),
            "links": list(case.links.all()),
            "offered": _steps_offered(request.user, case),
            "history_url": reverse("governance:case_history", args=[case.pk])
            if permissions.can(request.user, governance_rules.VIEW_HISTORY, case)
            else "",
        },
    )


def case_create(request):
    """Raise a case for one of the user's bodies (?organ=<slug> chooses it beforehand)."""
    user = request.user
    organ = Body.objects.filter(slug=request.GET.get("organ") or "").first()
    form = RaiseForm(request.POST or None, actor=user, initial={"body": organ.pk if organ else None})
    if request.method == "POST" and form.is_valid():
        case = apply_to_form(
            form,
            lambda: cases.case_raise(
                actor=user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                process=form.cleaned_data["process"],
                links=form.links(),
            ),
        )
        if case:
            messages.success(request, _("Ärendet ”%(t)s” är väckt.") % {"t": case.title})
            return redirect(case)
    title = _("Väck ett ärende")
    return render(
        request,
        "governance/cases/form.html",
        {
            "title": title,
            "crumbs": _crumbs((title, "")),
            "form": form,
            "can_raise": form.fields["body"].queryset.exists(),
            "submit": _("Väck ärendet"),
        },
    )


# --- a steward's steps ----------------------------------------------------------------------------------------------


def _carried(request, pk, *, action: str = case_rules.CARRY_CASE) -> Case:
    """The case, for one who carries it forward (404 outside the scope, 403 without the role)."""
    case = _case_for(request, pk)
    permissions.require(request.user, action, case, refusal=case_rules.NOT_STEWARD % {"body": case.owner})
    return case


def _step_page(request, case: Case, form, *, title: str, submit: str, intro: str, refusals: list[str]):
    return render(
        request,
        "governance/cases/step.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "refusals": refusals,
            "crumbs": _crumbs((case.reference, case.get_absolute_url()), (title, "")),
        },
    )


def case_prepare(request, pk):
    """Send the case to a body that prepares it for another body's decision (e.g. Gemensam beredning for VVG)."""
    case = _carried(request, pk)
    form = PrepareForm(request.POST or None, initial={"deciding_body": case.owner_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moved = apply_to_form(
            form,
            lambda: cases.case_send_for_preparation(
                actor=request.user,
                case=case,
                preparing_body=data["preparing_body"],
                deciding_body=data["deciding_body"],
                preparer=data["preparer"],
                note=data["note"],
            ),
        )
        if moved:
            messages.success(
                request,
                _("Ärendet bereds av %(p)s för beslut i %(d)s.")
                % {"p": data["preparing_body"], "d": data["deciding_body"]},
            )
            return redirect(moved)
    return _step_page(
        request,
        case,
        form,
        title=_("Skicka ”%(t)s” för beredning") % {"t": case.title},
        submit=_("Skicka för beredning"),
        intro=_(
            "Organet som ska besluta äger ärendet från och med nu och hittar det bland sina inkomna ärenden; organet "
            "som bereder det står på ärendet."
        ),
        refusals=case_rules.prepare_check(request.user, case),
    )


def case_report_back(request, pk):
    """Tell the body that raised the case what was decided."""
    case = _carried(request, pk)
    form = StepTextForm(request.POST or None, label=_("Vad beslutades, och vad innebär det för er?"))
    if request.method == "POST" and form.is_valid():
        if apply_to_form(
            form, lambda: cases.case_report_back(actor=request.user, case=case, text=form.cleaned_data["text"])
        ):
            messages.success(request, _("Beslutet är återrapporterat till %(b)s.") % {"b": case.raised_by})
            return redirect(case)
    return _step_page(
        request,
        case,
        form,
        title=_("Återrapportera ”%(t)s” till %(b)s") % {"t": case.title, "b": case.raised_by},
        submit=_("Återrapportera"),
        intro=_("Återrapporten blir ett steg i ärendets väg och syns för %(b)s.") % {"b": case.raised_by},
        refusals=case_rules.report_back_check(request.user, case),
    )


def case_follow_up(request, pk):
    """Record that the decision's follow-up was done, and what it showed."""
    case = _carried(request, pk)
    form = StepTextForm(request.POST or None, label=_("Vad visade uppföljningen?"))
    if request.method == "POST" and form.is_valid():
        if apply_to_form(
            form, lambda: cases.case_follow_up_done(actor=request.user, case=case, text=form.cleaned_data["text"])
        ):
            messages.success(request, _("Uppföljningen är registrerad."))
            return redirect(case)
    when = case.follow_up_on.isoformat() if case.follow_up_on else ""
    return _step_page(
        request,
        case,
        form,
        title=_("Registrera uppföljning av ”%(t)s”") % {"t": case.title},
        submit=_("Registrera uppföljningen"),
        intro=_("Beslutet skulle följas upp %(d)s.") % {"d": when} if when else "",
        refusals=case_rules.follow_up_check(request.user, case),
    )


def case_close(request, pk):
    """Close the case with a reason: asked first, since a closed case is not opened again."""
    case = _carried(request, pk, action=case_rules.CARRY_CASE_TO_CLOSE)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not going_back(request):
        reason = form.cleaned_data["reason"]
        title = _("Avsluta ”%(t)s”?") % {"t": case.title}
        if page := ask_first(
            request,
            case_rules.close_check(request.user, case, reason=reason),
            lambda: Confirmation(
                title=title,
                happens=[_("Ärendet avslutas med skälet nedan; steget syns i ärendets väg.")],
                final=_("Ett avslutat ärende öppnas inte igen; väck ett nytt ärende om frågan kommer tillbaka."),
                verb=_("avsluta ärendet"),
                cancel_url=case.get_absolute_url(),
                crumbs=_crumbs((case.reference, case.get_absolute_url()), (title, "")),
                quote=reason,
                back_to_form=True,
            ),
        ):
            return page
        if apply_to_form(form, lambda: cases.case_close(actor=request.user, case=case, reason=reason)):
            messages.success(request, _("Ärendet är avslutat."))
            return redirect(case)
    return _step_page(
        request,
        case,
        form,
        title=_("Avsluta ”%(t)s”") % {"t": case.title},
        submit=_("Avsluta ärendet"),
        intro=_("Skriv varför ärendet avslutas, till exempel att frågan är löst på annat sätt."),
        refusals=case_rules.close_check(request.user, case),
    )


def case_history(request, pk):
    """A case's Historik: the case, its documents and its steps, with who, when and why."""
    from core import history

    case = _case_for(request, pk)
    permissions.require(request.user, governance_rules.VIEW_HISTORY, case)
    page = history.page(
        request,
        history.Source(Case, Case.history.filter(id=case.pk), name=_("ärendet %(r)s") % {"r": case.reference}),
        history.Source(CaseStep, CaseStep.history.filter(case_id=case.pk), hide=("case",)),
        history.Source(CaseLink, CaseLink.history.filter(case_id=case.pk), hide=("case",)),
    )
    return render(
        request,
        "governance/history.html",
        {
            "page": page,
            "title": _("Historik för %(r)s") % {"r": case.reference},
            "crumbs": _crumbs((case.reference, case.get_absolute_url()), (_("Historik"), "")),
        },
    )
