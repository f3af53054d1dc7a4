"""Review-round facts shown on pages owned by another app (the start page), without that app importing documents."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from documents import rules
from governance import permissions

from ..models import JointResponse, ManagementPlan, ReviewRound

register = template.Library()


@register.inclusion_tag("documents/round_waiting.html", takes_context=True)
def reviews_waiting(context):
    """The start page's review tasks: joint responses the user's subregions have not submitted in open rounds, and
    for the coordinators, comments without a position and open rounds past their deadline; for preparers, submitted
    plans waiting for VVG's position."""
    user = context["request"].user
    today = timezone.localdate()
    to_answer, to_follow_up = [], []
    mine = permissions.represented_subregion_ids(user)
    if mine:
        to_answer = [
            r
            for r in JointResponse.objects.filter(
                round__closed_at__isnull=True, subregion_id__in=mine, submitted_at__isnull=True
            )
            .select_related("round__plan__managed_object", "subregion")
            .prefetch_related("round__subregions")
            .order_by("round__deadline", "subregion__short_name")
            if permissions.can(user, rules.RESPOND, (r.round, r.subregion))
        ]
    if permissions.can(user, rules.EDIT_PLAN, ManagementPlan(status=ManagementPlan.Status.DRAFT)):
        rounds = (
            ReviewRound.objects.filter(plan__status__in=[ManagementPlan.Status.DRAFT, ManagementPlan.Status.IN_REVIEW])
            .select_related("plan__managed_object")
            .annotate(undisposed=Count("comments", filter=Q(comments__parent__isnull=True, comments__disposition="")))
            .order_by("deadline")
        )
        for r in rounds:
            r.past_deadline = r.is_open and r.deadline < today
            if (r.undisposed or r.past_deadline) and permissions.can(user, rules.EDIT_PLAN, r.plan):
                to_follow_up.append(r)
    # Preparers: submitted plans waiting for VVG's position to be recorded.
    to_decide = []
    if permissions.is_preparer(user):
        to_decide = list(
            ManagementPlan.objects.filter(status=ManagementPlan.Status.SUBMITTED).select_related("managed_object")
        )
    return {"to_answer": to_answer, "to_follow_up": to_follow_up, "to_decide": to_decide, "today": today}
