"""A body's backlog (issue 12 item 4): the list with its filters and the add form, an item's page with its supports
and comments, and the steward's steps (prioritise, to a case, to a working group's task, close).

Who: the body's members, the coordinators and the administrator read it (backlog_rules.VIEW_BACKLOG; 403 on the
list for others, 404 for an item they may not see); the rules in governance.backlog_rules say who may do what, the
services in governance.backlog refuse the rest. Views parse, call one service, message and render.
"""

from django import forms
from django.contrib import messages
from django.db.models import Count, F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.web import Confirmation, apply_to_form, ask_first, going_back, page_of
from core.widgets import RICH_TEXT_HELP, FastSelect, RichText

from . import backlog, backlog_rules, permissions
from .case_forms import use_body_options
from .case_models import BacklogComment, BacklogItem, BacklogSupport, Process
from .models import Body, Subregion

# --- forms -------------------------------------------------------------------------------------


class ItemForm(forms.Form):
    title = forms.CharField(label=_lazy("Rubrik"), max_length=200, required=False)
    description = forms.CharField(
        label=_lazy("Beskrivning"),
        required=False,
        max_length=20_000,
        widget=RichText(attrs={"rows": 6}),
        help_text=RICH_TEXT_HELP,
    )
    process = forms.ModelChoiceField(label=_lazy("Process"), queryset=Process.objects.none(), required=False)
    proposed_by = forms.ModelChoiceField(
        label=_lazy("Föreslås av delregion"), queryset=Subregion.objects.none(), required=False
    )

    def __init__(self, *args, subregion_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = Process.objects.all()
        self.fields["process"].empty_label = _("Ingen särskild process")
        self.fields["proposed_by"].queryset = Subregion.objects.filter(pk__in=subregion_ids)
        self.fields["proposed_by"].empty_label = _("Ingen delregion")
        if not subregion_ids:
            del self.fields["proposed_by"]


class SupportForm(forms.Form):
    subregion = forms.ModelChoiceField(label=_lazy("Delregion"), queryset=Subregion.objects.none(), required=False)
    note = forms.CharField(label=_lazy("Kommentar (valfri)"), max_length=500, required=False)

    def __init__(self, *args, subregion_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subregion"].queryset = Subregion.objects.filter(pk__in=subregion_ids)
        if len(subregion_ids) < 2:
            self.fields["subregion"].widget = forms.HiddenInput()


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_lazy("Kommentar"),
        max_length=20_000,
        required=False,
        widget=RichText(attrs={"rows": 5}),
        help_text=RICH_TEXT_HELP,
    )


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_lazy("Prioritet"), choices=BacklogItem.Priority.choices, coerce=int, required=False
    )


class ToCaseForm(forms.Form):
    preparing_body = forms.ModelChoiceField(
        label=_lazy("Bereds av"), queryset=Body.objects.none(), required=False, widget=FastSelect
    )
    deciding_body = forms.ModelChoiceField(
        label=_lazy("För beslut i"), queryset=Body.objects.none(), required=False, widget=FastSelect
    )
    note = forms.CharField(
        label=_lazy("Till beredningen (valfri)"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("preparing_body", "deciding_body"):
            self.fields[name].empty_label = _("Inget – ärendet stannar hos organet")
        use_body_options(self.fields["preparing_body"], self.fields["deciding_body"])
        self.fields["preparing_body"].help_text = _("Till exempel Gemensam beredning VVG och SITIV.")


class ToTaskForm(forms.Form):
    working_group = forms.ModelChoiceField(label=_lazy("Arbetsgrupp"), queryset=Body.objects.none())
    note = forms.CharField(
        label=_lazy("Uppdraget"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = (
            Body.objects.with_status().filter(kind=Body.Kind.WORKING, status="active").order_by("name")
        )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Skäl"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- helpers -----------------------------------------------------------------------------------


def case_url(case) -> str:
    """The case's page (governance:case_detail), or nothing while that page is not there."""
    if case is None:
        return ""
    try:
        return case.get_absolute_url()
    except NoReverseMatch:
        return ""


def _backlog_url(body) -> str:
    return reverse("governance:backlog", args=[body.slug])


def _crumbs(body, *more):
    crumbs = [(_("Organ"), reverse("governance:chart")), (body.name, body.get_absolute_url())]
    crumbs.append((_("Backlogg"), _backlog_url(body) if more else ""))
    return crumbs + list(more)


def _item_for(request, pk) -> BacklogItem:
    return get_object_or_404(
        BacklogItem.objects.visible_to(request.user).select_related("body", "process", "proposed_by", "author", "case"),
        pk=pk,
    )


# --- the list ----------------------------------------------------------------------------------

STATUS_FILTER = [("open", _lazy("Öppna")), ("all", _lazy("Alla")), *BacklogItem.Status.choices[1:]]


def backlog_list(request, slug):
    user = request.user
    body = get_object_or_404(Body.objects.visible_to(user).with_status(), slug=slug)
    permissions.require(user, backlog_rules.VIEW_BACKLOG, body)
    mine = backlog_rules.support_subregion_ids(user, body)
    can_add = permissions.can(user, backlog_rules.ADD_BACKLOG_ITEM, body)
    form = ItemForm(request.POST or None, subregion_ids=mine, initial={"proposed_by": min(mine) if mine else None})
    if request.method == "POST":
        permissions.require(user, backlog_rules.ADD_BACKLOG_ITEM, body)
        if form.is_valid():
            item = apply_to_form(
                form,
                lambda: backlog.backlog_add(
                    actor=user,
                    body=body,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    process=form.cleaned_data["process"],
                    proposed_by=form.cleaned_data.get("proposed_by"),
                ),
            )
            if item:
                messages.success(request, _("Önskemålet ”%(t)s” är tillagt i backloggen.") % {"t": item.title})
                return redirect(item)
    status = request.GET.get("status") or "open"
    process = request.GET.get("process") or ""
    ours = bool(mine) and request.GET.get("var") == "1"
    rows = BacklogItem.objects.filter(body=body)
    if status == "open":
        rows = rows.filter(status=BacklogItem.Status.OPEN)
    elif status in BacklogItem.Status.values:
        rows = rows.filter(status=status)
    if process:
        rows = rows.filter(process__slug=process)
    if ours:
        rows = rows.filter(
            pk__in=BacklogItem.objects.filter(proposed_by__in=mine)
            .values("pk")
            .union(BacklogSupport.objects.filter(subregion__in=mine).values("item_id"))
        )
    rows = (
        rows.select_related("process", "proposed_by", "author", "case")
        .annotate(support_count=Count("supports"))
        .prefetch_related(Prefetch("supports", queryset=BacklogSupport.objects.select_related("subregion")))
        .order_by(F("priority").asc(nulls_last=True), "-support_count", "-created_at", "-id")
    )
    page = page_of(request, rows)
    for item in page.object_list:
        supporters = [s.subregion for s in item.supports.all()]
        item.supporters = supporters
        item.ours_raised = item.proposed_by_id in mine
        item.ours_support = any(s.pk in mine for s in supporters)
    return render(
        request,
        "governance/backlog/list.html",
        {
            "body": body,
            "page": page,
            "items": page.object_list,
            "form": form,
            "can_add": can_add,
            "add_refusals": backlog_rules.add_check(user, body) if can_add else [],
            "representative": bool(mine),
            "statuses": STATUS_FILTER,
            "status": status,
            "processes": list(Process.objects.all()),
            "process": process,
            "ours": ours,
            "filtered": bool(ours or process or status != "open"),
            "title": _("Backlogg: %(b)s") % {"b": body.name},
            "crumbs": _crumbs(body),
        },
    )


# --- an item -----------------------------------------------------------------------------------


def backlog_item(request, pk):
    user = request.user
    item = _item_for(request, pk)
    supports = list(BacklogSupport.objects.filter(item=item).select_related("subregion", "person"))
    supported = {s.subregion_id for s in supports}
    free = backlog_rules.supportable_subregions(user, item, supported)
    support_form = SupportForm(
        request.POST if "support" in request.POST else None,
        subregion_ids=free,
        initial={"subregion": free[0] if free else None},
    )
    comment_form = CommentForm(request.POST if "comment" in request.POST else None)
    priority_form = PriorityForm(
        request.POST if "prioritise" in request.POST else None, initial={"priority": item.priority}
    )
    if request.method == "POST":
        done = None
        if "support" in request.POST:
            permissions.require(user, backlog_rules.SUPPORT_BACKLOG_ITEM, item)
            if support_form.is_valid():
                done = apply_to_form(
                    support_form,
                    lambda: backlog.backlog_support(
                        actor=user,
                        item=item,
                        subregion=support_form.cleaned_data["subregion"],
                        note=support_form.cleaned_data["note"],
                    ),
                )
                if done:
                    messages.success(request, _("%(s)s instämmer i önskemålet.") % {"s": done.subregion})
        elif "comment" in request.POST:
            permissions.require(user, backlog_rules.COMMENT_BACKLOG_ITEM, item)
            if comment_form.is_valid():
                done = apply_to_form(
                    comment_form,
                    lambda: backlog.backlog_comment(actor=user, item=item, text=comment_form.cleaned_data["text"]),
                )
                if done:
                    messages.success(request, _("Din kommentar är sparad."))
        elif "prioritise" in request.POST:
            permissions.require(user, backlog_rules.MANAGE_BACKLOG_ITEM, item)
            if priority_form.is_valid():
                done = apply_to_form(
                    priority_form,
                    lambda: backlog.backlog_prioritise(
                        actor=user, item=item, priority=priority_form.cleaned_data["priority"]
                    ),
                )
                if done:
                    messages.success(request, _("Prioriteten är sparad."))
        if done:
            return redirect(item)
    can_support = permissions.can(user, backlog_rules.SUPPORT_BACKLOG_ITEM, item)
    can_comment = permissions.can(user, backlog_rules.COMMENT_BACKLOG_ITEM, item)
    can_manage = permissions.can(user, backlog_rules.MANAGE_BACKLOG_ITEM, item)
    return render(
        request,
        "governance/backlog/item.html",
        {
            "item": item,
            "body": item.body,
            "supports": supports,
            "comments": list(BacklogComment.objects.filter(item=item).select_related("person")),
            "support_form": support_form,
            "comment_form": comment_form,
            "priority_form": priority_form,
            "can_support": can_support,
            "support_refusals": backlog_rules.support_check(user, item, supported=supported) if can_support else [],
            "support_label": _support_label(free),
            "is_task": item.status == BacklogItem.Status.TASK,
            "can_comment": can_comment,
            "comment_refusals": backlog_rules.comment_check(user, item) if can_comment else [],
            "can_manage": can_manage,
            "manage_refusals": backlog_rules.manage_check(user, item) if can_manage else [],
            "case_url": case_url(item.case),
            "title": item.title,
            "crumbs": _crumbs(item.body, (item.title, "")),
        },
    )


def _support_label(free: list[int]) -> str:
    """The button: "Vi i Skaraborg har samma behov" (the subregion she speaks for; chosen in the form if several)."""
    if len(free) == 1:
        return _("Vi i %(s)s har samma behov") % {"s": Subregion.objects.get(pk=free[0]).short_name}
    return _("Vi har samma behov")


def _manage_page(request, item, form, title, submit, intro=""):
    return render(
        request,
        "governance/backlog/manage.html",
        {
            "item": item,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "refusals": backlog_rules.manage_check(request.user, item),
            "crumbs": _crumbs(item.body, (item.title, item.get_absolute_url()), (title, "")),
        },
    )


def _managed(request, pk) -> BacklogItem:
    item = _item_for(request, pk)
    permissions.require(request.user, backlog_rules.MANAGE_BACKLOG_ITEM, item)
    return item


def backlog_to_case(request, pk):
    item = _managed(request, pk)
    form = ToCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = apply_to_form(
            form,
            lambda: backlog.backlog_to_case(
                actor=request.user,
                item=item,
                preparing_body=form.cleaned_data["preparing_body"],
                deciding_body=form.cleaned_data["deciding_body"],
                note=form.cleaned_data["note"],
            ),
        )
        if case:
            messages.success(request, _("Önskemålet är nu %(r)s: %(t)s.") % {"r": case.reference, "t": case.title})
            return redirect(case_url(case) or item.get_absolute_url())
    return _manage_page(
        request,
        item,
        form,
        _("Gör ärende av ”%(t)s”") % {"t": item.title},
        _("Gör ärende"),
        _(
            "%(b)s väcker ärendet. Välj ett organ som bereder det för ett annat organs beslut, eller låt det stanna "
            "hos %(b)s."
        )
        % {"b": item.body},
    )


def backlog_to_task(request, pk):
    item = _managed(request, pk)
    form = ToTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = apply_to_form(
            form,
            lambda: backlog.backlog_to_task(
                actor=request.user,
                item=item,
                working_group=form.cleaned_data["working_group"],
                note=form.cleaned_data["note"],
            ),
        )
        if case:
            messages.success(request, _("Önskemålet är ett uppdrag till %(g)s.") % {"g": case.preparing_body})
            return redirect(item)
    return _manage_page(
        request,
        item,
        form,
        _("Ge ”%(t)s” som uppdrag till en arbetsgrupp") % {"t": item.title},
        _("Ge uppdraget"),
        _("Arbetsgruppen bereder uppdraget och rapporterar till %(b)s.") % {"b": item.body},
    )


def backlog_close(request, pk):
    item = _managed(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not going_back(request):
        refusals = backlog_rules.manage_check(request.user, item)
        if not form.cleaned_data["reason"].strip():
            refusals = [*refusals, str(backlog_rules.CLOSE_REASON)]
        title = _("Avsluta ”%(t)s”?") % {"t": item.title}
        if page := ask_first(
            request,
            refusals,
            lambda: Confirmation(
                title=title,
                happens=[
                    _("Önskemålet avslutas med skälet nedan och tar inte längre emot instämmanden eller kommentarer.")
                ],
                final=_("Ett avslutat önskemål öppnas inte igen; lägg till ett nytt om behovet kommer tillbaka."),
                verb=_("avsluta önskemålet"),
                cancel_url=item.get_absolute_url(),
                crumbs=_crumbs(item.body, (item.title, item.get_absolute_url()), (title, "")),
                quote=form.cleaned_data["reason"],
                back_to_form=True,
            ),
        ):
            return page
        if apply_to_form(
            form, lambda: backlog.backlog_close(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        ):
            messages.success(request, _("Önskemålet är avslutat."))
            return redirect(item)
    return _manage_page(request, item, form, _("Avsluta ”%(t)s”") % {"t": item.title}, _("Avsluta önskemålet"))
