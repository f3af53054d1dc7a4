"""Writing the minutes: notes, decisions and actions per item, the generated summary, and following actions up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.text import word_diff
from core.web import CONCURRENT_CHANGE
from core.web import flash_errors as _flash_errors
from governance import permissions

from . import rules, services
from .forms import ActionForm, DecisionForm, DiscussionForm, choices_of, row_formset
from .models import Action, Meeting
from .views import _item_for, _meeting_for, meeting_crumbs

# Blank rows a page offers at most (the "add another" button adds one per click, without JavaScript).
MAX_BLANK_ROWS = 5


def _blank_rows(request, name: str) -> int:
    try:
        return min(max(int(request.GET.get(name, 1)), 1), MAX_BLANK_ROWS)
    except ValueError:
        return 1


def _rows(formset, values) -> tuple[list[services.Row], list]:
    """The rows the user touched, in the page's order (changed or removed existing ones, filled new ones), and
    their forms, so that a refusal of row n lands on the n-th form."""
    rows, forms_ = [], []
    for form in formset.forms:
        existing = form.instance.pk is not None
        if existing and form.cleaned_data.get("DELETE"):
            rows.append(services.Row(obj=form.instance, remove=True))
        elif form.has_changed():
            rows.append(services.Row(obj=form.instance if existing else None, values=values(form.cleaned_data)))
        else:
            continue
        forms_.append(form)
    return rows, forms_


def _put_errors(error, main_form, groups: dict) -> None:
    """A service's refusals onto the page: `decisions.<n>.<field>` onto that row's field, the rest onto the notes
    form (a refusal of the whole page, such as minutes sent for justering)."""
    for key, messages_ in services._error_dict(error).items():
        group, _sep, rest = key.partition(".")
        n, _sep, name = rest.partition(".")
        if group in groups and n.isdigit() and int(n) < len(groups[group]):
            form = groups[group][int(n)]
            form.add_error(name if name in form.fields else None, messages_)
        else:
            main_form.add_error(None, messages_)


def _summary(notes, decisions, actions) -> list[tuple[str, str]]:
    """(text, link target) for every error on the page, in page order, for the one error summary."""
    found = [(str(e), "") for e in notes.non_field_errors()]
    found += [(str(e), "") if f.is_hidden else (f"{f.label}: {e}", f.auto_id) for f in notes for e in f.errors]
    for formset, legend in ((decisions, _decision_legend), (actions, _action_legend)):
        found += [(str(e), "") for e in formset.non_form_errors()]
        for n, form in enumerate(formset.forms):
            row = legend(form, n)
            found += [(f"{row}: {e}", f"{formset.prefix}-{n}") for e in form.non_field_errors()]
            found += [(f"{row}, {f.label}: {e}", f.auto_id) for f in form for e in f.errors if not f.is_hidden]
    return found


def _decision_legend(form, n) -> str:
    d = form.instance
    return f"§ {d.number}/{d.year}" if d.pk else _("Nytt ställningstagande")


def _action_legend(form, n) -> str:
    return _("Åtgärd %(n)d") % {"n": n + 1} if form.instance.pk else _("Ny åtgärd")


DECISION_FIELDS = ("kind", "text", "escalated_to", "follow_up_on", "follow_up_note")


def _write(request, item, notes, decisions, actions) -> bool | str:
    """Save the page through the one service; its refusals land on the fields they name (nothing typed is lost).
    True when saved; the notes someone else saved meanwhile when the service refused (services.NotesConflict)."""
    decision_rows, decision_forms = _rows(decisions, lambda d: {k: d[k] for k in DECISION_FIELDS})
    action_rows, action_forms = _rows(actions, lambda d: {k: d[k] for k in ("text", "owner", "due_date", "subregion")})
    try:
        services.item_minutes_write(
            actor=request.user,
            item=item,
            discussion=notes.cleaned_data["discussion"],
            decisions=decision_rows,
            actions=action_rows,
            base=notes.cleaned_data["base"],
        )
    except services.NotesConflict as conflict:
        return conflict.current
    except ValidationError as error:
        _put_errors(error, notes, {"decisions": decision_forms, "actions": action_forms})
        return False
    except IntegrityError:
        notes.add_error(None, CONCURRENT_CHANGE)
        return False
    return True


def _neighbours(item) -> dict:
    """The items before and after this one on the agenda (pk and position), from one query of the agenda."""
    agenda = list(item.meeting.items.order_by("position").values("pk", "position"))
    here = next(n for n, row in enumerate(agenda) if row["pk"] == item.pk)
    return {
        "previous": agenda[here - 1] if here else None,
        "next": agenda[here + 1] if here + 1 < len(agenda) else None,
    }


def item_minutes(request, pk):
    """One page for an item's minutes: its notes, decisions and actions written together and saved by one submit
    (meetings.services.item_minutes_write: all or nothing). Existing decisions and actions can be changed or removed
    until the minutes are sent for justering; then the page shows them and says why they are locked."""
    from governance.models import Body, Subregion

    item = _item_for(request, pk)
    meeting = item.meeting
    post = request.POST if request.method == "POST" else None
    notes = DiscussionForm(
        post, initial={"discussion": item.discussion, "base": services.notes_digest(item.discussion)}
    )
    conflict = None
    bodies_key = f"bodies:{Body.objects.chart_version()}"  # names and order of the bodies a decision may go to
    subregion_choices = choices_of(Subregion.objects.all(), "short_name")
    decisions = row_formset(DecisionForm, extra=_blank_rows(request, "beslut"))(
        post,
        queryset=item.decisions.select_related("escalated_to").order_by("number"),
        prefix="decisions",
        form_kwargs={"bodies_key": bodies_key},
    )
    actions = row_formset(ActionForm, extra=_blank_rows(request, "atgarder"))(
        post,
        queryset=item.actions.select_related("subregion").order_by("pk"),
        prefix="actions",
        form_kwargs={"subregion_choices": subregion_choices},
    )
    if post is not None and all([notes.is_valid(), decisions.is_valid(), actions.is_valid()]):
        written = _write(request, item, notes, decisions, actions)
        if isinstance(written, str):  # someone saved the notes first: show theirs, keep this writer's, from theirs on
            typed = notes.cleaned_data["discussion"]
            conflict = {"theirs": written, "diff": word_diff(written, typed)}
            notes = DiscussionForm(initial={"discussion": typed, "base": services.notes_digest(written)})
        elif written:
            messages.success(request, _("Sparat."))
            target = reverse("meetings:item_minutes", kwargs={"pk": item.pk})
            more = request.POST.get("more", "")
            if more == "decisions":
                return redirect(f"{target}?beslut={decisions.blank_extra_rows + 1}#beslut-ny")
            if more == "actions":
                return redirect(f"{target}?atgarder={actions.blank_extra_rows + 1}#atgarder-ny")
            return redirect(target)
    refusals = rules.minutes_edit_check(request.user, meeting)
    errors = _summary(notes, decisions, actions) if post is not None else []
    if conflict:
        errors.insert(0, (str(rules.NOTES_CHANGED), "id_discussion"))
    return render(
        request,
        "meetings/item_minutes.html",
        {
            "item": item,
            "meeting": meeting,
            "body": meeting.body,
            "discussion_form": notes,
            "decisions": decisions,
            "actions": actions,
            "errors": errors,
            "conflict": conflict,
            "refusals": [r for r in refusals if r not in {text for text, _target in errors}],
            "show_form": post is not None or not refusals,
            **_neighbours(item),
            "crumbs": meeting_crumbs(meeting, _("Punkt %(n)d") % {"n": item.position}),
        },
    )


def _scoped(request, queryset):
    """Rows of meetings the user follows (else 404); the caller requires MANAGE_MEETING (else 403)."""
    return queryset.filter(item__meeting__in=Meeting.objects.followed_by(request.user)).select_related(
        "item__meeting__body"
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
