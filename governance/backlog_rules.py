"""Who may read and work a body's backlog and the process forums: governance's backlog and forum actions, registered
with the one dispatcher (loaded by GovernanceConfig.ready).

Each rule answers the right (`can`: who at all, so the pages show or hide a button and the views answer 403); each
`*_check(actor, obj, ...)` returns the refusals (Swedish, empty = allowed) of the right and the object's state, which
the services in governance.backlog raise and the pages show beside the buttons.

- A backlog is read by its body's members, the coordinators and the administrator (BacklogItem.objects.visible_to).
  Its members add items and comment (signed by a Person); a subregion's representatives in the body support an item
  once per subregion, never their own subregion's; the body's secretary or preparer and the coordinators
  (case_rules.stewards_of) prioritise, turn it into a case or a working group's task, or close it – never an item
  they wrote themselves (separation of duties).
- A forum is read by every signed-in member of its bodies, its convener, the coordinators and the administrator;
  who reads it posts (signed by a Person); only its convener moderates (hides a post with a reason, writes a topic's
  summary, lifts a topic into a participating body's backlog).
"""

from django.utils.translation import gettext_lazy as _

from .case_models import BacklogItem, BacklogSupport, Forum, ForumPost, ForumTopic
from .case_rules import stewards_of
from .models import Body, Membership, Subregion
from .permissions import (
    NO_PERSON,
    _memberships,
    _today,
    is_admin,
    is_coordinator,
    is_member_of,
    person_of,
    rule,
)

VIEW_BACKLOG = "view_backlog"  # a body's backlog and its items: obj = Body
ADD_BACKLOG_ITEM = "add_backlog_item"  # add an item to a body's backlog: obj = Body
SUPPORT_BACKLOG_ITEM = "support_backlog_item"  # "vi har samma behov": obj = BacklogItem
COMMENT_BACKLOG_ITEM = "comment_backlog_item"  # comment on an item: obj = BacklogItem
MANAGE_BACKLOG_ITEM = "manage_backlog_item"  # prioritise, to a case, to a task, close: obj = BacklogItem
VIEW_FORUM = "view_forum"  # a forum, its topics and posts: obj = Forum
POST_IN_FORUM = "post_in_forum"  # a new topic or a reply: obj = Forum
MODERATE_FORUM = "moderate_forum"  # hide a post, write a summary, lift a topic into a backlog: obj = Forum

NOT_MEMBER = _("Bara ledamöterna i %(body)s lägger till önskemål i dess backlogg.")
BODY_CLOSED = _("%(body)s är avvecklat och tar inte emot nya önskemål.")
NOT_YOUR_SUBREGION = _("Du företräder inte %(subregion)s i %(body)s. Välj din egen delregion eller ingen.")
ITEM_NOT_OPEN = _("Önskemålet har status ”%(status)s” och kan inte ändras längre.")
TITLE_MISSING = _("Ge önskemålet en rubrik.")
COMMENT_MISSING = _("Skriv din kommentar.")
NOT_REPRESENTATIVE = _("Bara delregionernas företrädare i %(body)s kan instämma i ett önskemål.")
OWN_SUBREGION = _("%(subregion)s föreslog själv önskemålet och behöver inte instämma.")
ALREADY_SUPPORTED = _("%(subregion)s har redan instämt.")
CHOOSE_SUBREGION = _("Välj vilken delregion du instämmer för.")
NOT_STEWARD = _("Det är sekreteraren i %(body)s eller GITS-samordnarna som prioriterar och för önskemål vidare.")
OWN_ITEM = _(
    "Du skrev själv önskemålet, så någon annan av sekreteraren och GITS-samordnarna för det vidare (åtskilda roller)."
)
PRIORITY_MISSING = _("Välj en prioritet.")
CLOSE_REASON = _("Skriv varför önskemålet avslutas.")
NOT_WORKING_GROUP = _("Välj en aktiv arbetsgrupp att ge uppdraget till.")
CASE_BODIES = _("Välj både organet som bereder ärendet och organet som beslutar, eller inget av dem.")
TOPIC_TITLE_MISSING = _("Ge tråden en tydlig rubrik.")
POST_MISSING = _("Skriv ditt inlägg.")
NOT_IN_TOPIC = _("Svaret måste gälla ett inlägg i samma tråd.")
NOT_CONVENER = _("Det är forumets sammankallande (%(convener)s) som modererar forumet.")
NO_CONVENER = _("Forumet har ingen sammankallande ännu, så ingen kan moderera det. Tala med GITS-samordnarna.")
HIDE_REASON = _("Skriv varför inlägget döljs. Skälet visas för alla i stället för inlägget.")
ALREADY_HIDDEN = _("Inlägget är redan dolt.")
SUMMARY_MISSING = _("Skriv sammanfattningen.")
ALREADY_LIFTED = _("Tråden är redan lyft till backloggen: %(item)s.")
NOT_PARTICIPATING = _("Välj ett av organen som deltar i forumet.")


def _status(item: BacklogItem) -> str:
    return str(item.get_status_display()).lower()


# --- the backlog -------------------------------------------------------------------------------


def sees_backlog(user, body: Body) -> bool:
    return bool(user.is_authenticated and (is_admin(user) or is_coordinator(user) or is_member_of(user, body)))


def support_subregion_ids(user, body: Body) -> set[int]:
    """The subregions the user speaks for in this body: her running representative seats there (member, chair, vice
    chair of a subregion), read from the request's cached seats (permissions.represented_subregion_ids, per body)."""
    if not user or not user.is_authenticated:
        return set()
    return {
        m.subregion_id
        for m in _memberships(user, _today())
        if m.body_id == body.pk and m.subregion_id and m.role in Membership.REPRESENTATIVE_ROLES
    }


@rule(VIEW_BACKLOG)
def _view_backlog(user, body) -> bool:
    return body is not None and sees_backlog(user, body)


@rule(ADD_BACKLOG_ITEM)
def _add(user, body) -> bool:
    return bool(body is not None and user.is_authenticated and (is_admin(user) or is_member_of(user, body)))


@rule(SUPPORT_BACKLOG_ITEM)
def _support(user, item) -> bool:
    return item is not None and bool(support_subregion_ids(user, item.body))


@rule(COMMENT_BACKLOG_ITEM)
def _comment(user, item) -> bool:
    return item is not None and sees_backlog(user, item.body)


@rule(MANAGE_BACKLOG_ITEM)
def _manage(user, item) -> bool:
    return bool(item is not None and user.is_authenticated and stewards_of(user, item.body))


def add_check(actor, body: Body, proposed_by: Subregion | None = None) -> list[str]:
    if not _add(actor, body):
        return [str(NOT_MEMBER % {"body": body})]
    if person_of(actor) is None:
        return [str(NO_PERSON)]
    if body.is_closed:
        return [str(BODY_CLOSED % {"body": body})]
    if proposed_by is not None and proposed_by.pk not in support_subregion_ids(actor, body):
        return [str(NOT_YOUR_SUBREGION % {"subregion": proposed_by, "body": body})]
    return []


def _open(item: BacklogItem) -> list[str]:
    return [] if item.is_open else [str(ITEM_NOT_OPEN % {"status": _status(item)})]


def comment_check(actor, item: BacklogItem) -> list[str]:
    if not _comment(actor, item):
        return [str(NOT_MEMBER % {"body": item.body})]
    if person_of(actor) is None:
        return [str(NO_PERSON)]
    return _open(item)


def supportable_subregions(actor, item: BacklogItem, supported: set[int] | None = None) -> list[int]:
    """The subregions the actor may still support the item for: hers in the body, not the proposing one, not one that
    supports it already (`supported`: the item's supporting subregion ids, when the page has read them)."""
    if supported is None:
        supported = set(BacklogSupport.objects.filter(item=item).values_list("subregion_id", flat=True))
    mine = support_subregion_ids(actor, item.body)
    return sorted(mine - supported - {item.proposed_by_id})


def support_check(
    actor, item: BacklogItem, subregion: Subregion | None = None, *, supported: set[int] | None = None
) -> list[str]:
    mine = support_subregion_ids(actor, item.body)
    if not mine:
        return [str(NOT_REPRESENTATIVE % {"body": item.body})]
    if person_of(actor) is None:
        return [str(NO_PERSON)]
    refusals = _open(item)
    if refusals:
        return refusals
    if subregion is None:
        if len(mine) > 1:
            return [str(CHOOSE_SUBREGION)]
        subregion = Subregion.objects.get(pk=next(iter(mine)))
    if subregion.pk not in mine:
        return [str(NOT_REPRESENTATIVE % {"body": item.body})]
    if subregion.pk == item.proposed_by_id:
        return [str(OWN_SUBREGION % {"subregion": subregion})]
    if supported is None:
        taken = BacklogSupport.objects.filter(item=item, subregion=subregion).exists()
    else:
        taken = subregion.pk in supported
    if taken:
        return [str(ALREADY_SUPPORTED % {"subregion": subregion})]
    return []


def manage_check(actor, item: BacklogItem) -> list[str]:
    """Prioritise, turn into a case or a task, close: a steward of the item's body, not its author, while open."""
    if not _manage(actor, item):
        return [str(NOT_STEWARD % {"body": item.body})]
    person = person_of(actor)
    if person is not None and person.pk == item.author_id:
        return [str(OWN_ITEM)]
    return _open(item)


# --- the forums --------------------------------------------------------------------------------


def sees_forum(user, forum: Forum) -> bool:
    return bool(
        user.is_authenticated and forum is not None and Forum.objects.visible_to(user).filter(pk=forum.pk).exists()
    )


def is_convener(user, forum: Forum) -> bool:
    person = person_of(user)
    return bool(person is not None and forum is not None and forum.convener_id == person.pk)


@rule(VIEW_FORUM)
def _view_forum(user, forum) -> bool:
    return sees_forum(user, forum)


@rule(POST_IN_FORUM)
def _post(user, forum) -> bool:
    return sees_forum(user, forum)


@rule(MODERATE_FORUM)
def _moderate(user, forum) -> bool:
    return is_convener(user, forum)


def post_check(actor, forum: Forum) -> list[str]:
    if person_of(actor) is None:
        return [str(NO_PERSON)]
    return []


def moderate_check(actor, forum: Forum) -> list[str]:
    if forum.convener_id is None:
        return [str(NO_CONVENER)]
    if not is_convener(actor, forum):
        return [str(NOT_CONVENER % {"convener": forum.convener})]
    return []


def hide_check(actor, post: ForumPost, *, reason: str | None = None) -> list[str]:
    refusals = moderate_check(actor, post.topic.forum)
    if refusals:
        return refusals
    if post.is_hidden:
        return [str(ALREADY_HIDDEN)]
    if reason is not None and not reason.strip():
        return [str(HIDE_REASON)]
    return []


def lift_check(actor, topic: ForumTopic, body: Body | None = None) -> list[str]:
    refusals = moderate_check(actor, topic.forum)
    if refusals:
        return refusals
    if topic.backlog_item_id is not None:
        return [str(ALREADY_LIFTED % {"item": topic.backlog_item})]
    if body is not None and not topic.forum.bodies.filter(pk=body.pk).exists():
        return [str(NOT_PARTICIPATING)]
    return []


def shows_post_text(user, post: ForumPost, forum: Forum) -> bool:
    """A hidden post's text is read by the convener only; everyone else reads who hid it and why."""
    return not post.is_hidden or is_convener(user, forum)
