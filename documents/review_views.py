"""Review rounds (remiss): open a round, comment per section, write the joint response, take positions, close.

Thin views: every rule is in documents.rules (rights and checks) and documents.reviews (the writes). Everything
about a round is for its audience only (ReviewRound.objects.visible_to: the coordinators and the representatives of
the subregions asked); to everyone else, signed in or not, the pages answer 404, so nothing about a round leaks.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.text import html_to_text, sanitise, text_to_html
from core.web import apply_to_form as _apply
from core.web import ask_first, going_back
from core.web import flash_errors as _flash_errors
from governance import permissions
from governance.models import Subregion

from . import budget, confirmations, reviews, rules, services
from .models import JointResponse, ReviewRound
from .querysets import pick
from .review_forms import CommentForm, DispositionForm, ReplyForm, ResponseForm, RoundForm
from .views import plan_queryset

# --- helpers -------------------------------------------------------------------------------------


def plan_url(plan) -> str:
    """The plan's page, or "" where the plan pages are not installed."""
    try:
        return plan.get_absolute_url()
    except NoReverseMatch:
        return ""


def _crumbs(round_, here=None) -> list:
    crumbs = [(str(round_.plan), plan_url(round_.plan)), (_("Remiss"), round_.get_absolute_url())]
    if here:
        crumbs.append((here, ""))
    return crumbs if crumbs[0][1] else crumbs[1:]


def round_for(request, pk, scope=None, *, responses=None):
    """The round with its plan, subregions and responses, and the user's rights in it; 404 outside `scope` (by
    default its audience). `responses`: the responses' queryset, for a page that shows more of them than their
    state (the compilation: who submitted each)."""
    rounds = ReviewRound.objects.visible_to(request.user) if scope is None else scope
    responses = JointResponse.objects.all() if responses is None else responses
    round_ = get_object_or_404(
        rounds.select_related("document__plan__managed_object", "version").prefetch_related(
            "subregions", Prefetch("responses", responses)
        ),
        pk=pk,
    )
    rights = {
        "can_edit": permissions.can(request.user, rules.EDIT_PLAN, round_.plan),
        "can_comment": permissions.can(request.user, rules.COMMENT, round_),
    }
    return round_, rights


class EmptyFields:
    """The fields of one empty form as round_fields.html renders them, for a page that shows that form once per
    section or thread: rendered once per request with a placeholder prefix, then given each copy's prefix (the
    prefix is all that differs between the copies)."""

    PLACEHOLDER = "__prefix__"

    def __init__(self, form_class):
        self.form_class = form_class
        self.html = None

    def at(self, form) -> str:
        """The fields of `form` (an unbound form of the class whose initial values are empty), as round_fields.html."""
        if self.html is None:
            empty = self.form_class(prefix=self.PLACEHOLDER)
            self.html = render_to_string("documents/round_fields.html", {"form": empty})
        return mark_safe(self.html.replace(self.PLACEHOLDER, form.prefix))  # noqa: S308 - rendered (escaped) above


def threads(comments):
    """Top-level comments, each with its replies (and replies to replies) in order as `thread_replies`."""
    by_id = {c.pk: c for c in comments}
    roots = []
    for c in comments:
        c.thread_replies = []
    for c in comments:
        if c.parent_id is None:
            roots.append(c)
            continue
        root = c
        while root.parent_id is not None and root.parent_id in by_id:
            root = by_id[root.parent_id]
        if root is not c:
            root.thread_replies.append(c)
    return roots


def _days_left_text(deadline, today) -> str:
    days = (deadline - today).days
    if days > 1:
        return _("%(n)d dagar kvar") % {"n": days}
    if days == 1:
        return _("1 dag kvar")
    if days == 0:
        return _("sista dagen i dag")
    return _("sista svarsdag har passerat")


# Joint responses are written as plain text (paragraphs separated by a blank line) and stored as sanitised HTML
# (core.text.text_to_html / html_to_text).


# --- views ---------------------------------------------------------------------------------------


def round_create(request, pk):
    """The coordinator sends a plan on review: deadline, the subregions asked (all six to begin with), a message."""
    # The plan's rounds say whether one is open; every subregion is asked to begin with.
    plan = get_object_or_404(plan_queryset(request.user).prefetch_related("document__rounds"), pk=pk)
    permissions.require(request.user, rules.EDIT_PLAN, plan)
    subregions = list(Subregion.objects.values_list("pk", "short_name"))
    form = RoundForm(
        request.POST or None, initial={"subregions": [sid for sid, _name in subregions]}, subregion_choices=subregions
    )
    if request.method == "POST" and form.is_valid() and not going_back(request):
        data = form.cleaned_data
        refusals = rules.round_open_check(request.user, plan)
        refusals += reviews.round_open_errors(deadline=data["deadline"], subregions=data["subregions"]).values()
        if page := ask_first(
            request, refusals, lambda: confirmations.round_open(plan, data["deadline"], data["subregions"])
        ):
            return page
        review = _apply(
            form,
            lambda: reviews.round_open(
                actor=request.user,
                plan=plan,
                deadline=data["deadline"],
                subregions=list(data["subregions"]),
                message=data["message"].strip(),
            ),
        )
        if review:
            messages.success(
                request,
                _("Remissen är skickad till %(n)d delregioner med sista svarsdag %(d)s.")
                % {"n": len(data["subregions"]), "d": review.deadline.isoformat()},
            )
            return redirect(review)
    url = plan_url(plan)
    title = _("Skicka %(p)s på remiss") % {"p": plan}
    return render(
        request,
        "documents/round_form.html",
        {
            "form": form,
            "plan": plan,
            "plan_url": url,
            "title": title,
            "open_round": next((r for r in plan.rounds.all() if r.is_open), None),
            "crumbs": [(str(plan), url), (_("Ny remissrunda"), "")] if url else [(_("Ny remissrunda"), "")],
        },
    )


@login_not_required  # a round is for its audience only; everyone else gets 404, never a login prompt
def round_detail(request, pk):
    """The round for its audience: deadline, who has answered, and the plan's sections with their comment threads.
    Comments are posted here too (one form per section, one reply form per thread, coordinators' positions)."""
    round_, rights = round_for(request, pk)
    user = request.user
    # Reviewers read the version that was sent, frozen; never the live draft (its changes are shown beside).
    sections = round_.version.sections
    draft_changes = services.draft_changes(round_.version)
    comments = list(round_.comments.select_related("author", "subregion", "disposition_by"))
    roots = threads(comments)
    # Comments are signed by a person: an account without one (e.g. a technical administrator) only reads.
    may_write = not rules.comment_check(user, round_)
    show_disposition_form = rules.dispositions_open(user, round_.plan)

    sections_by_key = {s.key: s for s in sections}
    roots_by_pk = {c.pk: c for c in roots}
    for s in sections:
        s.threads = [c for c in roots if c.section_key == s.key]
        s.comment_form = CommentForm(prefix=f"s-{s.key}") if may_write else None
    # The author may change or withdraw a comment nobody has answered: the rule, from what is loaded here.
    replied = {c.parent_id for c in comments if c.parent_id}
    for root in roots:
        for c in [root, *root.thread_replies]:
            c.round = round_
            c.may_change = may_write and not rules.comment_change_check(user, c, replied=c.pk in replied, thread=root)
    for c in roots:
        c.reply_form = ReplyForm(prefix=f"r{c.pk}") if may_write else None
        c.dispose_form = (
            DispositionForm(
                prefix=f"d{c.pk}", initial={"disposition": c.disposition, "disposition_reason": c.disposition_reason}
            )
            if show_disposition_form
            else None
        )

    failed = None
    if request.method == "POST":
        action, raw_target = request.POST.get("action"), request.POST.get("target", "")
        target = int(raw_target) if raw_target.isascii() and raw_target.isdigit() else None  # "²".isdigit() too
        # The thing acted on is one the page offers (a section of the version sent, a thread); else not found.
        if action == "comment":
            owner = pick(sections_by_key, raw_target)
            form = owner.comment_form = CommentForm(request.POST, prefix=f"s-{owner.key}")
        else:
            owner = pick(roots_by_pk if action in ("reply", "dispose") else {}, target)
        if action == "reply":
            form = owner.reply_form = ReplyForm(request.POST, prefix=f"r{owner.pk}")
        elif action == "dispose":
            permissions.require(user, rules.EDIT_PLAN, round_.plan)
            form = owner.dispose_form = DispositionForm(request.POST, prefix=f"d{owner.pk}")
        if action in ("comment", "reply"):
            if not round_.is_open:
                messages.error(request, rules.ROUND_CLOSED_FOR_COMMENTS)
                return redirect(round_)
            rules.require_comment(user, round_)
        elif refusals := rules.dispose_check(user, owner):
            for refusal in refusals:
                messages.error(request, refusal)
            return redirect(round_)
        if form.is_valid():
            data = form.cleaned_data
            if action == "comment":
                call = partial(
                    reviews.comment_add,
                    actor=user,
                    round_=round_,
                    section_key=owner.key,
                    text=data["text"],
                    quote=data["quote"],
                )
                done = _("Din kommentar till avsnittet %(s)s är sparad.") % {"s": owner.title}
            elif action == "reply":
                call = partial(
                    reviews.comment_add,
                    actor=user,
                    round_=round_,
                    parent=owner,
                    text=data["text"],
                )
                done = _("Ditt svar är sparat.")
            else:
                call = partial(
                    reviews.comment_dispose,
                    actor=user,
                    comment=owner,
                    disposition=data["disposition"],
                    reason=data["disposition_reason"],
                )
                done = _("Ställningstagandet är sparat.")
            saved = _apply(form, call)
            if saved:
                messages.success(request, done)
                return redirect(f"{round_.get_absolute_url()}#kommentar-{saved.pk}")
        failed = form

    # Every section and thread offers the same empty form: rendered once, each with its own prefix (a position
    # not taken yet is an empty form too).
    comment_fields, reply_fields = EmptyFields(CommentForm), EmptyFields(ReplyForm)
    dispose_fields = EmptyFields(DispositionForm)
    for s in sections:
        if s.comment_form is not None and not s.comment_form.is_bound:
            s.comment_fields = comment_fields.at(s.comment_form)
    for c in roots:
        if c.reply_form is not None and not c.reply_form.is_bound:
            c.reply_fields = reply_fields.at(c.reply_form)
        if c.dispose_form is not None and not c.dispose_form.is_bound and not (c.disposition or c.disposition_reason):
            c.dispose_fields = dispose_fields.at(c.dispose_form)

    today = timezone.localdate()
    mine = permissions.represented_subregion_ids(user)
    status = reviews.round_status(round_)
    # A response is linked where the response page's own scope lets this user open it.
    openable = set(JointResponse.objects.visible_to(user).filter(round=round_).values_list("pk", flat=True))
    for row in status:
        subregion, response = row["subregion"], row["response"]
        row["url"] = ""
        if response and response.pk in openable:
            row["url"] = reverse("documents:response_edit", kwargs={"pk": round_.pk, "subregion": subregion.slug})
    return render(
        request,
        "documents/round_detail.html",
        {
            "round": round_,
            "plan": round_.plan,
            "plan_url": plan_url(round_.plan),
            **rights,
            "may_write": may_write,
            "status": status,
            "answered_count": sum(1 for row in status if row["answered"]),
            "my_rows": [row for row in status if row["subregion"].pk in mine and row["url"]],
            "sections": sections,
            # The budget as sent (the version's snapshot), shown under the budget section like on the plan page.
            "version_budget": budget.from_snapshot(round_.version.content.get("budget", [])),
            "draft_changes": draft_changes,
            "other_threads": [c for c in roots if c.section_key not in sections_by_key],
            "comment_count": len(comments),
            "thread_count": len(roots),
            "undisposed_count": sum(1 for c in roots if not c.disposition),
            "days_left": _days_left_text(round_.deadline, today),
            "past_deadline": round_.deadline < today,
            "failed": failed,
            "crumbs": _crumbs(round_),
        },
    )


@login_not_required  # drafts are for the subregion's representatives only; everyone else gets 404
def response_edit(request, pk, subregion):
    """The subregion's joint response: written by its representatives with lost-update protection, then submitted.
    Coordinators read it once it is submitted; before that it exists for nobody outside the subregion."""
    user = request.user
    response = get_object_or_404(
        JointResponse.objects.visible_to(user)
        .select_related("round__document__plan__managed_object", "round__version", "subregion", "submitted_by")
        .prefetch_related("round__subregions"),
        round__pk=pk,
        subregion__slug=subregion,
    )
    round_, subregion = response.round, response.subregion
    can_respond = permissions.can(user, rules.RESPOND, (round_, subregion))
    refusals = rules.response_edit_check(user, response)
    editable = not refusals

    conflict = None
    unsaved = ""
    form = ResponseForm(initial={"text": html_to_text(response.text), "base_version": response.version})
    if request.method == "POST":
        permissions.require(user, rules.RESPOND, (round_, subregion))
        form = ResponseForm(request.POST)
        submit = "submit" in request.POST
        if not editable:
            # Submitted or closed meanwhile: say so, and keep what was typed on the page (read-only below).
            unsaved = request.POST.get("text", "")
            for refusal in refusals:
                messages.error(request, refusal)
        elif form.is_valid() and not going_back(request):
            typed = form.cleaned_data["text"]
            html = text_to_html(typed)
            if submit and (
                page := ask_first(
                    request,
                    rules.response_submit_check(user, response, html),
                    lambda: confirmations.response_submit(response, sanitise(html)),
                )
            ):
                return page
            try:
                saved = _apply(
                    form,
                    lambda: reviews.response_save(
                        actor=user,
                        response=response,
                        text=html,
                        base_version=form.cleaned_data["base_version"],
                        submit=submit,
                    ),
                )
            except services.EditConflict as error:
                saved = None
                current = error.current
                if current.is_submitted:
                    response, editable, unsaved = current, False, typed
                    messages.error(
                        request, _("Svaret skickades in av någon annan medan du skrev. Din text sparades inte.")
                    )
                else:
                    conflict = {"current": current, "diff": services.word_diff(current.text, html)}
                    data = request.POST.copy()
                    data["base_version"] = str(current.version)
                    form = ResponseForm(data)
                    form.is_valid()
            if saved:
                # Saved and submitted in one go: what is submitted is exactly what was on the screen.
                messages.success(
                    request,
                    _("Svaret från %(s)s är inskickat. Det kan inte längre ändras.") % {"s": subregion}
                    if submit
                    else _("Utkastet är sparat. Skicka in svaret när delregionen är klar."),
                )
                return redirect("documents:response_edit", pk=round_.pk, subregion=subregion.slug)

    return render(
        request,
        "documents/round_response.html",
        {
            "round": round_,
            "plan": round_.plan,
            "subregion": subregion,
            "response": response,
            "form": form,
            "editable": editable,
            "conflict": conflict,
            "unsaved": unsaved,
            "can_respond": can_respond,
            "days_left": _days_left_text(round_.deadline, timezone.localdate()),
            "crumbs": _crumbs(round_, _("Svar från %(s)s") % {"s": subregion}),
        },
    )


@require_POST
def round_close(request, pk):
    """The coordinator closes the round: no more comments or responses."""
    round_, rights = round_for(request, pk)
    permissions.require(request.user, rules.EDIT_PLAN, round_.plan)
    if page := ask_first(
        request, rules.round_close_check(request.user, round_), lambda: confirmations.round_close(round_)
    ):
        return page
    if _flash_errors(request, lambda: reviews.round_close(actor=request.user, round_=round_)):
        messages.success(request, _("Remissrundan är stängd. Inga fler kommentarer eller svar tas emot."))
    return redirect(round_)
