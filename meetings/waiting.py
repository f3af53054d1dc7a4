"""Meetings' panels on other apps' pages (core.waiting): the start page's meeting tasks and the body page's
meetings box. Governance renders them without importing meetings."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core import waiting
from governance import permissions

from . import rules
from .models import JusteringResponse, Meeting, Minutes


@waiting.panel("meetings/_waiting.html", slot="home", order=10)
def meetings_waiting(request) -> dict | None:
    """The start page's meeting tasks: minutes to justera, minutes to finish or publish, and coming meetings."""
    user = request.user
    person = permissions.person_of(user)
    today = timezone.localdate()
    body_ids = permissions.member_body_ids(user)
    secretary_of = permissions.secretary_body_ids(user)
    to_justera: list[Meeting] = []
    to_finish: list[Meeting] = []
    upcoming: list[Meeting] = []
    if person:
        to_justera = list(
            Meeting.objects.filter(Q(chair=person) | Q(adjusters=person), minutes__status=Minutes.Status.IN_JUSTERING)
            # Not yet approved by this person (one Exists: a comment of theirs beside another's approval still waits).
            .exclude(
                Exists(JusteringResponse.objects.filter(minutes__meeting=OuterRef("pk"), person=person, approved=True))
            )
            .select_related("body")
            .distinct()
        )
    if secretary_of or person:  # a body's secretary, or named secretary or co-secretary of a meeting
        to_finish = list(
            Meeting.objects.kept_by(user)
            .filter(date__lte=today)
            .exclude(minutes__status=Minutes.Status.PUBLISHED)
            .select_related("body", "minutes")
            .order_by("date")[:10]
        )
    if body_ids:
        upcoming = list(Meeting.objects.filter(body_id__in=body_ids).upcoming(today).select_related("body")[:5])
    if not (to_justera or to_finish or upcoming):
        return None
    return {"to_justera": to_justera, "to_finish": to_finish, "upcoming": upcoming}


@waiting.panel("meetings/_body_meetings_box.html", slot="body", order=10)
def body_meetings_box(request, body) -> dict | None:
    """This year's held and planned meetings against the body's target, and links for who may follow them."""
    today = timezone.localdate()
    dates = list(Meeting.objects.filter(body=body).in_year(today.year).values_list("date", flat=True))
    user = request.user
    return {
        "body": body,
        "year": today.year,
        "held": sum(1 for d in dates if d < today),
        "planned": sum(1 for d in dates if d >= today),
        "can_follow": permissions.can(user, rules.VIEW_MEETINGS, body)
        or permissions.can(user, rules.MANAGE_MEETINGS, body),
    }


# The start page's ways in (slot "start", for everyone): how many of the newest published minutes and coming meetings.
START_LIST_LENGTH = 5


@waiting.panel("meetings/_start_minutes.html", slot="start", order=10)
def published_and_coming(request) -> dict:
    """For everyone, signed in or not: the newest published minutes (with their PDF), the way to all of them, and
    the coming meetings of every body (Meeting.objects.schedule: body, date, hours and title are public). A meeting
    is linked for whoever may open it (visible_to); for the others its body's page is."""
    user = request.user
    latest = list(
        Minutes.objects.visible_to(user)
        .published()
        .select_related("meeting__body")
        .order_by("-meeting__date", "-meeting__start_time", "-pk")[:START_LIST_LENGTH]
    )
    openable = Meeting.objects.visible_to(user).filter(pk=OuterRef("pk"))
    upcoming = list(Meeting.objects.schedule().annotate(can_open=Exists(openable))[:START_LIST_LENGTH])
    return {"latest": latest, "upcoming": upcoming}
