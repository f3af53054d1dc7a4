"""A proposal's consultation in the browser, beside the positions (documents/governing_views.py): comments on its
sections or on the whole, the proposer's answers, and taking the proposal back. Each write is a POST to its own
route that shows the revision page again, with the rule's message on the form and what was typed kept."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import Confirmation, apply_to_form, ask_first, going_back
from governance import permissions

from . import governing
from . import governing_rules as rules
from .governing_forms import AnswerForm, CommentForm, WithdrawForm
from .governing_models import RevisionComment


def consultation_context(request, revision, *, comment_form=None, answer_form=None, withdraw_form=None) -> dict:
    """What the revision page shows of the comments: each with its section's title, grouped in the version's order
    (the whole proposal first), the comment form and the answer forms for whoever may use them."""
    user = request.user
    sections = revision.version.sections
    titles = {s.key: s.title for s in sections}
    order = {s.key: n for n, s in enumerate(sections, start=1)}
    # The comments are the consultation's: read by those who read proposals (works_with_documents), never by the
    # public, also once the version is approved and its page is public.
    shown = revision.comments.all() if rules.works_with_documents(user) else []
    comments = sorted(shown, key=lambda c: (order.get(c.section_key, 0), c.created_at, c.pk))
    answering = user.is_authenticated and rules.answers_comments(user, revision) and revision.is_open
    rows = []
    for comment in comments:
        refusals = rules.answer_check(user, comment) if answering else [_("Du svarar inte på kommentarerna.")]
        posted = answer_form if answer_form is not None and answer_form.comment_pk == comment.pk else None
        rows.append(
            {
                "comment": comment,
                "section_title": titles.get(comment.section_key, ""),
                # A refused answer comes back with what was typed and why, even when the comment can no longer be
                # answered (answered meanwhile, the proposal closed): the page says so beside it.
                "answer_form": posted or (AnswerForm(prefix=f"svar-{comment.pk}") if not refusals else None),
            }
        )
    may_comment = user.is_authenticated and not rules.comment_check(user, revision)
    may_withdraw = user.is_authenticated and not rules.withdraw_check(user, revision)
    return {
        "comments": rows,
        "may_comment": may_comment,
        "comment_form": comment_form or (CommentForm(sections=sections) if may_comment else None),
        "may_withdraw": may_withdraw,
        "withdraw_form": withdraw_form or (WithdrawForm() if may_withdraw else None),
        # Why the proposer (or steward) cannot take an open proposal back now; an approved or withdrawn version's page
        # offers no withdrawal at all.
        "withdraw_refusals": rules.withdraw_check(user, revision)
        if revision.is_open and user.is_authenticated and permissions.can(user, rules.WITHDRAW_REVISION, revision)
        else [],
    }


def _revision(request, slug, number):
    from .governing_views import _document_for, _revision_for

    doc = _document_for(request, slug)
    return doc, _revision_for(request, doc, number)


def _crumbs(*more):
    from .governing_views import crumbs

    return crumbs(*more)


def _page(request, doc, revision, **forms):
    from .governing_views import _revision_page

    return _revision_page(request, doc, revision, **forms)


@require_POST
def comment_add(request, slug, number):
    doc, revision = _revision(request, slug, number)
    permissions.require(request.user, rules.COMMENT_REVISION, revision)
    form = CommentForm(request.POST, sections=revision.version.sections)
    if form.is_valid() and apply_to_form(
        form,
        lambda: governing.comment_add(
            actor=request.user,
            revision=revision,
            text=form.cleaned_data["text"],
            section_key=form.cleaned_data["section_key"],
            quote=form.cleaned_data["quote"],
        ),
    ):
        messages.success(request, _("Din kommentar är sparad. Förslagsställaren svarar på den."))
        return redirect(f"{revision.get_absolute_url()}#kommentarer")
    return _page(request, doc, revision, comment_form=form)


@require_POST
def comment_answer(request, slug, number, pk):
    doc, revision = _revision(request, slug, number)
    comment = get_object_or_404(RevisionComment.objects.select_related("revision__document"), pk=pk, revision=revision)
    permissions.require(request.user, rules.ANSWER_REVISION_COMMENT, comment)
    form = AnswerForm(request.POST, prefix=f"svar-{comment.pk}")
    form.comment_pk = comment.pk
    if form.is_valid() and apply_to_form(
        form,
        lambda: governing.comment_answer(
            actor=request.user,
            comment=comment,
            disposition=form.cleaned_data["disposition"],
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, _("Ditt svar på kommentaren är sparat."))
        return redirect(f"{revision.get_absolute_url()}#kommentar-{comment.pk}")
    return _page(request, doc, revision, answer_form=form)


@require_POST
def revision_withdraw(request, slug, number):
    """The proposer takes her proposal back, with a reason: asked first, since a withdrawn proposal is not opened
    again (a new proposal is written instead)."""
    doc, revision = _revision(request, slug, number)
    permissions.require(request.user, rules.WITHDRAW_REVISION, revision)
    form = WithdrawForm(request.POST)
    if form.is_valid() and not going_back(request):
        reason = form.cleaned_data["reason"]
        title = _("Återta förslaget till version %(n)d?") % {"n": revision.version.number}
        if page := ask_first(
            request,
            rules.withdraw_check(request.user, revision, reason=reason),
            lambda: Confirmation(
                title=title,
                happens=[
                    _("Förslaget återtas med skälet nedan, och dess ärende avslutas."),
                    _("Versionen finns kvar i dokumentets historik som återtagen."),
                ],
                final=_("Ett återtaget förslag öppnas inte igen; skriv ett nytt förslag om ändringen behövs."),
                verb=_("återta förslaget"),
                cancel_url=revision.get_absolute_url(),
                crumbs=_crumbs((doc.title, doc.get_absolute_url()), (title, "")),
                quote=reason,
                back_to_form=True,
            ),
        ):
            return page
        if apply_to_form(
            form, lambda: governing.revision_withdraw(actor=request.user, revision=revision, reason=reason)
        ):
            messages.success(request, _("Förslaget är återtaget och dess ärende avslutat."))
            return redirect(revision)
    return _page(request, doc, revision, withdraw_form=form)
