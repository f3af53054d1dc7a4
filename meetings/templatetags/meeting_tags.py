"""Meeting facts shown on pages owned by other apps (the body page), without those apps importing meetings."""

from django import template
from django.utils import timezone

from governance import permissions

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
        "can_follow": permissions.can(user, permissions.VIEW_MEETINGS, body)
        or permissions.can(user, permissions.MANAGE_MEETINGS, body),
    }
