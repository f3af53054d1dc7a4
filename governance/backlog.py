"""Backlog and forum services: one call per intent. Each checks its rule first (governance.backlog_rules: the right
by `permissions.require`, 403; the state by its `*_check`, a ValidationError of Swedish refusals), writes in a
transaction under a lock on the parent row (the item, the topic) and leaves history with who and why (core.audit).

An item turned into a case or a working group's task goes on through governance.cases (case_raise, then
case_send_for_preparation), so its path reads like any other case's.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from core.text import sanitise

from . import backlog_rules as rules
from . import cases
from .case_models import (
    BacklogComment,
    BacklogItem,
    BacklogSupport,
    Case,
    Forum,
    ForumPost,
    ForumTopic,
    Process,
)
from .models import Body, Person, Subregion
from .permissions import require, require_person


def _refuse(refusals: list[str]) -> None:
    if refusals:
        raise ValidationError(refusals)


def _lock_item(item: BacklogItem) -> BacklogItem:
    return BacklogItem.objects.select_for_update(of=("self",)).select_related("body", "proposed_by").get(pk=item.pk)


def _body(body: Body) -> Body:
    return Body.objects.with_status().get(pk=body.pk)


# --- the backlog -------------------------------------------------------------------------------


@transaction.atomic
def backlog_add(
    *,
    actor,
    body: Body,
    title: str,
    description: str = "",
    process: Process | None = None,
    proposed_by: Subregion | None = None,
) -> BacklogItem:
    """A member adds a wish or question to her body's backlog, signed by her Person."""
    require(actor, rules.ADD_BACKLOG_ITEM, body, refusal=rules.NOT_MEMBER % {"body": body})
    audit.lock(body)  # one writer at a time per backlog
    body = _body(body)
    _refuse(rules.add_check(actor, body, proposed_by))
    if not title.strip():
        raise ValidationError({"title": [str(rules.TITLE_MISSING)]})
    return audit.create(
        BacklogItem,
        actor=actor,
        reason="Önskemål tillagt i backloggen",
        body=body,
        title=title.strip(),
        description=sanitise(description),
        process=process,
        proposed_by=proposed_by,
        author=require_person(actor),
    )


@transaction.atomic
def backlog_comment(*, actor, item: BacklogItem, text: str) -> BacklogComment:
    require(actor, rules.COMMENT_BACKLOG_ITEM, item)
    item = _lock_item(item)
    _refuse(rules.comment_check(actor, item))
    clean = sanitise(text)
    if not clean:
        raise ValidationError({"text": [str(rules.COMMENT_MISSING)]})
    return audit.create(
        BacklogComment,
        actor=actor,
        reason="Kommentar i backloggen",
        item=item,
        person=require_person(actor),
        text=clean,
    )


def backlog_support(*, actor, item: BacklogItem, subregion: Subregion | None = None, note: str = "") -> BacklogSupport:
    """A subregion's representative says "vi har samma behov": once per subregion (a constraint catches a race)."""
    require(actor, rules.SUPPORT_BACKLOG_ITEM, item, refusal=rules.NOT_REPRESENTATIVE % {"body": item.body})
    try:
        return _support(actor=actor, item=item, subregion=subregion, note=note)
    except IntegrityError:
        name = subregion or Subregion.objects.filter(pk__in=rules.support_subregion_ids(actor, item.body)).first()
        raise ValidationError([str(rules.ALREADY_SUPPORTED % {"subregion": name})]) from None


@transaction.atomic
def _support(*, actor, item: BacklogItem, subregion: Subregion | None, note: str) -> BacklogSupport:
    item = _lock_item(item)
    _refuse(rules.support_check(actor, item, subregion))
    if subregion is None:
        subregion = Subregion.objects.get(pk=next(iter(rules.support_subregion_ids(actor, item.body))))
    return audit.create(
        BacklogSupport,
        actor=actor,
        reason=f"{subregion} instämmer",
        item=item,
        subregion=subregion,
        person=require_person(actor),
        note=note.strip()[:500],
    )


def _manage(actor, item: BacklogItem) -> BacklogItem:
    require(actor, rules.MANAGE_BACKLOG_ITEM, item, refusal=rules.NOT_STEWARD % {"body": item.body})
    item = _lock_item(item)
    _refuse(rules.manage_check(actor, item))
    return item


@transaction.atomic
def backlog_prioritise(*, actor, item: BacklogItem, priority: int | None) -> BacklogItem:
    item = _manage(actor, item)
    if priority not in BacklogItem.Priority.values:
        raise ValidationError({"priority": [str(rules.PRIORITY_MISSING)]})
    item.priority = priority
    return audit.save(item, actor=actor, reason=f"Prioritet: {BacklogItem.Priority(priority).label}")


@transaction.atomic
def backlog_to_case(
    *,
    actor,
    item: BacklogItem,
    preparing_body: Body | None = None,
    deciding_body: Body | None = None,
    note: str = "",
) -> Case:
    """The item becomes a case raised by its body; optionally sent at once to a body that prepares it for another's
    decision (e.g. Gemensam beredning for VVG)."""
    item = _manage(actor, item)
    if (preparing_body is None) != (deciding_body is None):
        raise ValidationError([str(rules.CASE_BODIES)])
    case = cases.case_raise(
        actor=actor, body=item.body, title=item.title, description=item.description, process=item.process
    )
    if preparing_body is not None and deciding_body is not None:
        case = cases.case_send_for_preparation(
            actor=actor, case=case, preparing_body=preparing_body, deciding_body=deciding_body, note=note
        )
    item.status, item.case = BacklogItem.Status.CASE, case
    audit.save(item, actor=actor, reason="Blev ärende")
    return case


@transaction.atomic
def backlog_to_task(*, actor, item: BacklogItem, working_group: Body, note: str = "") -> Case:
    """The item becomes a working group's task: a case raised by the backlog's body, prepared by the working group for
    the backlog body's decision (the group finds it among its incoming cases)."""
    item = _manage(actor, item)
    group = _body(working_group)
    if group.kind != Body.Kind.WORKING or not group.is_active:
        raise ValidationError({"working_group": [str(rules.NOT_WORKING_GROUP)]})
    case = cases.case_raise(
        actor=actor, body=item.body, title=item.title, description=item.description, process=item.process
    )
    case = cases.case_send_for_preparation(
        actor=actor, case=case, preparing_body=group, deciding_body=item.body, note=note
    )
    item.status, item.case = BacklogItem.Status.TASK, case
    audit.save(item, actor=actor, reason=f"Uppdrag till {group}")
    return case


@transaction.atomic
def backlog_close(*, actor, item: BacklogItem, reason: str) -> BacklogItem:
    item = _manage(actor, item)
    if not reason.strip():
        raise ValidationError({"reason": [str(rules.CLOSE_REASON)]})
    item.status, item.close_reason = BacklogItem.Status.CLOSED, reason.strip()[:500]
    return audit.save(item, actor=actor, reason="Önskemål avslutat")


# --- the forums --------------------------------------------------------------------------------


def _lock_topic(topic: ForumTopic) -> ForumTopic:
    return (
        ForumTopic.objects.select_for_update(of=("self",))
        .select_related("forum__convener", "backlog_item")
        .get(pk=topic.pk)
    )


def _post_check(actor, forum: Forum) -> Person:
    require(actor, rules.POST_IN_FORUM, forum)
    _refuse(rules.post_check(actor, forum))
    return require_person(actor)


@transaction.atomic
def forum_topic_create(*, actor, forum: Forum, title: str, text: str) -> ForumTopic:
    """A new topic with a clear title and its first post."""
    person = _post_check(actor, forum)
    errors = {}
    if not title.strip():
        errors["title"] = [str(rules.TOPIC_TITLE_MISSING)]
    clean = sanitise(text)
    if not clean:
        errors["text"] = [str(rules.POST_MISSING)]
    if errors:
        raise ValidationError(errors)
    topic = audit.create(
        ForumTopic,
        actor=actor,
        reason="Ny tråd",
        forum=forum,
        title=title.strip(),
        author=person,
        last_post_at=timezone.now(),
    )
    audit.create(ForumPost, actor=actor, reason="Första inlägget", topic=topic, author=person, text=clean)
    return topic


@transaction.atomic
def forum_post(*, actor, topic: ForumTopic, text: str, parent: ForumPost | None = None) -> ForumPost:
    """A reply in a topic, to the topic or to one of its posts."""
    topic = _lock_topic(topic)
    person = _post_check(actor, topic.forum)
    if parent is not None and parent.topic_id != topic.pk:
        raise ValidationError([str(rules.NOT_IN_TOPIC)])
    clean = sanitise(text)
    if not clean:
        raise ValidationError({"text": [str(rules.POST_MISSING)]})
    post = audit.create(ForumPost, actor=actor, reason="Inlägg", topic=topic, parent=parent, author=person, text=clean)
    topic.last_post_at = post.created_at  # the topic is locked: no other write to it can be lost
    audit.save(topic, actor=actor, reason="Nytt inlägg", update_fields=["last_post_at"])
    return post


def _moderate(actor, forum: Forum) -> Person:
    require(actor, rules.MODERATE_FORUM, forum, refusal=rules.NOT_CONVENER % {"convener": forum.convener or "–"})
    _refuse(rules.moderate_check(actor, forum))
    return require_person(actor)


@transaction.atomic
def forum_hide_post(*, actor, post: ForumPost, reason: str) -> ForumPost:
    """The convener hides a post with a reason; its text stays (history, and the convener reads it)."""
    post = ForumPost.objects.select_for_update(of=("self",)).select_related("topic__forum__convener").get(pk=post.pk)
    person = _moderate(actor, post.topic.forum)
    _refuse(rules.hide_check(actor, post, reason=reason))
    post.hidden_reason, post.hidden_by, post.hidden_at = reason.strip()[:300], person, timezone.now()
    return audit.save(post, actor=actor, reason=f"Dolt: {reason.strip()}")


@transaction.atomic
def forum_summary_save(*, actor, topic: ForumTopic, summary: str) -> ForumTopic:
    topic = _lock_topic(topic)
    person = _moderate(actor, topic.forum)
    clean = sanitise(summary)
    if not clean:
        raise ValidationError({"summary": [str(rules.SUMMARY_MISSING)]})
    topic.summary, topic.summary_by, topic.summary_at = clean, person, timezone.now()
    return audit.save(topic, actor=actor, reason="Sammanfattning")


@transaction.atomic
def forum_lift_to_backlog(
    *, actor, topic: ForumTopic, body: Body, title: str = "", description: str = ""
) -> BacklogItem:
    """The convener lifts a topic into a participating body's backlog: an item written by her, linked to the topic."""
    topic = _lock_topic(topic)
    person = _moderate(actor, topic.forum)
    _refuse(rules.lift_check(actor, topic, body))
    text = description or topic.summary or ""
    item = audit.create(
        BacklogItem,
        actor=actor,
        reason="Lyft från forum",
        body=body,
        title=(title.strip() or topic.title)[:200],
        description=sanitise(text),
        process=topic.forum.process,
        author=person,
    )
    topic.backlog_item = item
    audit.save(topic, actor=actor, reason="Lyft till backloggen")
    return item
