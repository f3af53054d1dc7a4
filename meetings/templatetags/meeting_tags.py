"""Meeting facts shown on pages owned by other apps (the body page), without those apps importing meetings."""

from django import template
from django.utils import timezone

from governance import permissions
from meetings import rules

from ..models import Meeting

register = template.Library()


@register.inclusion_tag("meetings/_body_meetings_box.html", takes_context=True)
def body_meetings_box(context, body):
    """This year's held and planned meetings against the body's target, and links for who may follow them."""
    today = timezone.localdate()
    dates = list(Meeting.objects.filter(body=body, date__year=today.year).values_list("date", flat=True))
    user = context["request"].user
    return {
        "body": body,
        "year": today.year,
        "held": sum(1 for d in dates if d < today),
        "planned": sum(1 for d in dates if d >= today),
        "can_follow": permissions.can(user, rules.VIEW_MEETINGS, body)
        or permissions.can(user, rules.MANAGE_MEETINGS, body),
    }


@register.inclusion_tag("meetings/_waiting.html", takes_context=True)
def meetings_waiting(context):
    """The start page's meeting tasks: minutes to justera, minutes to finish or publish, and coming meetings."""
    from django.db.models import Q

    from ..models import Minutes

    user = context["request"].user
    person = permissions.person_of(user)
    today = timezone.localdate()
    body_ids = permissions.member_body_ids(user)
    secretary_of = permissions.secretary_body_ids(user)
    to_justera, to_finish, upcoming = [], [], []
    if person:
        to_justera = list(
            Meeting.objects.filter(Q(chair=person) | Q(adjusters=person), minutes__status=Minutes.Status.IN_JUSTERING)
            .exclude(minutes__responses__person=person, minutes__responses__approved=True)
            .select_related("body")
            .distinct()
        )
    if secretary_of:
        to_finish = list(
            Meeting.objects.filter(body_id__in=secretary_of, date__lte=today)
            .exclude(minutes__status=Minutes.Status.PUBLISHED)
            .select_related("body", "minutes")
            .order_by("date")[:10]
        )
    if body_ids:
        upcoming = list(
            Meeting.objects.filter(body_id__in=body_ids, date__gte=today)
            .select_related("body")
            .order_by("date", "start_time")[:5]
        )
    return {"to_justera": to_justera, "to_finish": to_finish, "upcoming": upcoming}
