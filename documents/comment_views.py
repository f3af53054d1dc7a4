"""One's own comment in a review round: change it or withdraw it, until someone has answered it or the coordinator
has taken a position on it (documents.rules.comment_change_check). Only its author (rules.CHANGE_COMMENT, else 403);
the comment is found in its round's audience (else 404). Withdrawing asks first; the history keeps the comment."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import apply_to_form as _apply
from core.web import ask_first
from core.web import flash_errors as _flash_errors
from governance import permissions

from . import confirmations, reviews, rules
from .models import Comment
from .review_forms import CommentEditForm
from .review_views import _crumbs


def _own_comment(request, pk) -> Comment:
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user).select_related(
            "round__document__plan__managed_object", "round__version", "author"
        ),
        pk=pk,
    )
    permissions.require(request.user, rules.CHANGE_COMMENT, comment)
    return comment


def _comment_url(comment) -> str:
    return f"{comment.round.get_absolute_url()}#kommentar-{comment.pk}"


def comment_edit(request, pk):
    comment = _own_comment(request, pk)
    round_ = comment.round
    if refusals := rules.comment_change_check(request.user, comment):
        for refusal in refusals:
            messages.error(request, refusal)
        return redirect(_comment_url(comment))
    form = CommentEditForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form, lambda: reviews.comment_edit(actor=request.user, comment=comment, text=form.cleaned_data["text"])
        )
        if saved:
            messages.success(request, _("Din kommentar är ändrad."))
            return redirect(_comment_url(saved))
    title = _("Ändra din kommentar")
    return render(
        request,
        "documents/comment_form.html",
        {
            "round": round_,
            "comment": comment,
            "section": round_.version.section(comment.section_key) if comment.section_key else None,
            "form": form,
            "title": title,
            "cancel_url": _comment_url(comment),
            "crumbs": _crumbs(round_, title),
        },
    )


@require_POST
def comment_withdraw(request, pk):
    comment = _own_comment(request, pk)
    refusals = rules.comment_change_check(request.user, comment)
    if page := ask_first(request, refusals, lambda: confirmations.comment_withdraw(comment)):
        return page
    round_, section_key, back = comment.round, comment.section_key, _comment_url(comment)
    if _flash_errors(request, lambda: reviews.comment_withdraw(actor=request.user, comment=comment)):
        messages.success(request, _("Din kommentar är återkallad."))
        return redirect(f"{round_.get_absolute_url()}#avsnitt-{section_key}" if section_key else round_)
    return redirect(back)
