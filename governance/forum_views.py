"""The process forums (issue 12 item 5): the list, a forum with its topics and the new-topic form, a topic with its
threaded posts (a reply form per post, plain HTML: works without JavaScript), and the convener's moderation (hide a
post with a reason, the topic's summary, lift a topic into a participating body's backlog).

Who: every signed-in member of the bodies that take part, the convener, the coordinators and the administrator read
and post (Forum.objects.visible_to; 404 for everybody else); only the convener moderates (403 for other readers).
"""

from django import forms
from django.contrib import messages
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.web import apply_to_form, page_of
from core.widgets import RICH_TEXT_HELP, RichText

from . import backlog, backlog_rules, permissions
from .case_models import Forum, ForumPost, ForumTopic
from .models import Body


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_lazy("Rubrik"),
        max_length=200,
        required=False,
        help_text=_lazy("En tydlig rubrik: vad tråden handlar om."),
    )
    text = forms.CharField(
        label=_lazy("Inlägg"),
        max_length=20_000,
        required=False,
        widget=RichText(attrs={"rows": 6}),
        help_text=RICH_TEXT_HELP,
    )


class PostForm(forms.Form):
    text = forms.CharField(
        label=_lazy("Ditt svar"),
        max_length=20_000,
        required=False,
        widget=RichText(attrs={"rows": 5}),
        help_text=RICH_TEXT_HELP,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Skäl"), max_length=300, required=False, help_text=_lazy("Visas för alla i stället för inlägget.")
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_lazy("Sammanfattning"),
        max_length=20_000,
        required=False,
        widget=RichText(attrs={"rows": 8}),
        help_text=RICH_TEXT_HELP,
    )


class LiftForm(forms.Form):
    body = forms.ModelChoiceField(label=_lazy("Till backloggen i"), queryset=Body.objects.none())
    title = forms.CharField(label=_lazy("Rubrik i backloggen"), max_length=200, required=False)

    def __init__(self, *args, forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = forum.bodies.order_by("sort_order", "name")


def _crumbs(*more):
    return [(_("Forum"), reverse("governance:forum_list") if more else ""), *more]


def _forum_crumbs(forum, *more):
    return _crumbs((forum.process.name, forum.get_absolute_url() if more else ""), *more)


def forum_list(request):
    forums = list(
        Forum.objects.visible_to(request.user)
        .select_related("process", "convener")
        .annotate(topic_count=Count("topics"))
        .order_by("process__sort_order", "process__name")
    )
    return render(request, "governance/forums/list.html", {"forums": forums, "title": _("Forum"), "crumbs": _crumbs()})


def forum_detail(request, slug):
    user = request.user
    forum = get_object_or_404(Forum.objects.visible_to(user).select_related("process", "convener"), process__slug=slug)
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        permissions.require(user, backlog_rules.POST_IN_FORUM, forum)
        if form.is_valid():
            topic = apply_to_form(
                form,
                lambda: backlog.forum_topic_create(
                    actor=user, forum=forum, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
                ),
            )
            if topic:
                messages.success(request, _("Tråden ”%(t)s” är startad.") % {"t": topic.title})
                return redirect(topic)
    # Latest activity first (ForumTopic.last_post_at, by index forum_topic_activity); the post count, author and
    # backlog item are read only for the page's topics: no join of every post before the page is cut.
    posts = ForumPost.objects.filter(topic=OuterRef("pk")).order_by()
    topics = (
        ForumTopic.objects.filter(forum=forum)
        .annotate(
            last_post=F("last_post_at"),
            post_count=Coalesce(Subquery(posts.values("topic").annotate(n=Count("pk")).values("n")[:1]), Value(0)),
        )
        .prefetch_related("author", "backlog_item")  # for the page's topics only, after it is cut
        .order_by(F("last_post_at").desc(nulls_last=True), "-id")
    )
    page = page_of(request, topics)
    return render(
        request,
        "governance/forums/forum.html",
        {
            "forum": forum,
            "bodies": list(forum.bodies.order_by("sort_order", "name")),
            "page": page,
            "topics": page.object_list,
            "form": form,
            "can_post": permissions.can(user, backlog_rules.POST_IN_FORUM, forum),
            "title": _("Forum %(p)s") % {"p": forum.process.name},
            "crumbs": _forum_crumbs(forum),
        },
    )


def _topic_for(request, pk) -> ForumTopic:
    return get_object_or_404(
        ForumTopic.objects.visible_to(request.user).select_related(
            "forum__process", "forum__convener", "author", "summary_by", "backlog_item"
        ),
        pk=pk,
    )


def _thread(posts, user, forum) -> list:
    """The posts as a tree (each with `.children`), in the order written; a hidden post's text only for the
    convener (backlog_rules.shows_post_text)."""
    by_parent: dict = {}
    for p in posts:
        p.shows_text = backlog_rules.shows_post_text(user, p, forum)
        by_parent.setdefault(p.parent_id, []).append(p)
    for p in posts:
        p.children = by_parent.get(p.pk, [])
    return by_parent.get(None, [])


def forum_topic(request, pk):
    user = request.user
    topic = _topic_for(request, pk)
    forum = topic.forum
    form = PostForm(request.POST or None)
    posts = list(ForumPost.objects.filter(topic=topic).select_related("author", "hidden_by"))
    if request.method == "POST":
        permissions.require(user, backlog_rules.POST_IN_FORUM, forum)
        if form.is_valid():
            parent_pk = form.cleaned_data["parent"]
            parent = next((p for p in posts if p.pk == parent_pk), None) if parent_pk else None
            if parent_pk and parent is None:
                form.add_error(None, backlog_rules.NOT_IN_TOPIC)
            else:
                post = apply_to_form(
                    form,
                    lambda: backlog.forum_post(actor=user, topic=topic, text=form.cleaned_data["text"], parent=parent),
                )
                if post:
                    messages.success(request, _("Ditt inlägg är publicerat."))
                    return redirect(f"{topic.get_absolute_url()}#inlagg-{post.pk}")
    can_moderate = permissions.can(user, backlog_rules.MODERATE_FORUM, forum)
    return render(
        request,
        "governance/forums/topic.html",
        {
            "topic": topic,
            "forum": forum,
            "thread": _thread(posts, user, forum),
            "post_count": len(posts),
            "form": form,
            "replying_to": form.data.get("parent", "") if form.is_bound else "",
            "can_post": permissions.can(user, backlog_rules.POST_IN_FORUM, forum),
            "can_moderate": can_moderate,
            "title": topic.title,
            "crumbs": _forum_crumbs(forum, (topic.title, "")),
        },
    )


def _moderation_page(request, topic, form, title, submit, **more):
    return render(
        request,
        "governance/forums/moderate.html",
        {
            "topic": topic,
            "form": form,
            "title": title,
            "submit": submit,
            "crumbs": _forum_crumbs(topic.forum, (topic.title, topic.get_absolute_url()), (title, "")),
            **more,
        },
    )


def forum_hide_post(request, pk):
    user = request.user
    post = get_object_or_404(
        ForumPost.objects.filter(topic__in=ForumTopic.objects.visible_to(user)).select_related(
            "author", "topic__forum__process", "topic__forum__convener"
        ),
        pk=pk,
    )
    topic = post.topic
    permissions.require(user, backlog_rules.MODERATE_FORUM, topic.forum)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if not reason.strip():
            form.add_error("reason", backlog_rules.HIDE_REASON)
        elif apply_to_form(form, lambda: backlog.forum_hide_post(actor=user, post=post, reason=reason)):
            messages.success(request, _("Inlägget är dolt. Skälet visas i stället för texten."))
            return redirect(f"{topic.get_absolute_url()}#inlagg-{post.pk}")
    return _moderation_page(
        request,
        topic,
        form,
        _("Dölj inlägg av %(a)s") % {"a": post.author},
        _("Dölj inlägget"),
        post=post,
        refusals=backlog_rules.hide_check(user, post),
    )


def forum_summary(request, pk):
    user = request.user
    topic = _topic_for(request, pk)
    permissions.require(user, backlog_rules.MODERATE_FORUM, topic.forum)
    form = SummaryForm(request.POST or None, initial={"summary": topic.summary})
    if request.method == "POST" and form.is_valid():
        if apply_to_form(
            form, lambda: backlog.forum_summary_save(actor=user, topic=topic, summary=form.cleaned_data["summary"])
        ):
            messages.success(request, _("Sammanfattningen är sparad."))
            return redirect(topic)
    return _moderation_page(request, topic, form, _("Sammanfatta tråden"), _("Spara sammanfattningen"))


def forum_lift(request, pk):
    user = request.user
    topic = _topic_for(request, pk)
    permissions.require(user, backlog_rules.MODERATE_FORUM, topic.forum)
    form = LiftForm(request.POST or None, forum=topic.forum, initial={"title": topic.title})
    if request.method == "POST" and form.is_valid():
        item = apply_to_form(
            form,
            lambda: backlog.forum_lift_to_backlog(
                actor=user, topic=topic, body=form.cleaned_data["body"], title=form.cleaned_data["title"]
            ),
        )
        if item:
            messages.success(request, _("Tråden är lyft till backloggen i %(b)s.") % {"b": item.body})
            return redirect(item)
    return _moderation_page(
        request,
        topic,
        form,
        _("Lyft tråden till en backlogg"),
        _("Lyft till backloggen"),
        refusals=backlog_rules.lift_check(user, topic),
        intro=_("Önskemålet skrivs i ditt namn med trådens sammanfattning som beskrivning."),
    )
