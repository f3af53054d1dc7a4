"""What waits for the user in the review rounds, shown on the start page ("Väntar på dig") through core.waiting,
so governance's start page needs to know nothing about documents. Registered from DocumentsConfig.ready."""

from django.db.models import Count, Q
from django.utils import timezone

from core import waiting
from governance import permissions

from . import rules
from .models import JointResponse, ManagementPlan, ReviewRound

Status = ManagementPlan.Status


@waiting.panel("documents/round_waiting.html", slot="home", order=20)
def reviews_waiting(request) -> dict | None:
    """Joint responses the user's subregions have not submitted in open rounds; for the coordinators, comments
    without a position and open rounds past their deadline; for preparers, submitted plans waiting for VVG's
    position. None when nothing waits."""
    user = request.user
    today = timezone.localdate()
    to_answer: list = []
    mine = permissions.represented_subregion_ids(user)
    if mine:
        to_answer = list(
            JointResponse.objects.visible_to(user)
            .filter(round__closed_at__isnull=True, subregion_id__in=mine, submitted_at__isnull=True)
            .select_related("round__document__plan__managed_object", "subregion")
            .order_by("round__deadline", "subregion__short_name")
        )
    to_follow_up: list = []
    if permissions.can(user, rules.EDIT_PLAN, ManagementPlan(status=Status.DRAFT)):
        to_follow_up = list(
            ReviewRound.objects.visible_to(user)
            .filter(document__plan__status__in=[Status.DRAFT, Status.IN_REVIEW])
            .select_related("document__plan__managed_object")
            .annotate(undisposed=Count("comments", filter=Q(comments__parent__isnull=True, comments__disposition="")))
            .filter(Q(undisposed__gt=0) | Q(closed_at__isnull=True, deadline__lt=today))
            .order_by("deadline")
        )
        for r in to_follow_up:
            r.past_deadline = r.is_open and r.deadline < today
    to_decide: list = []
    if permissions.is_preparer(user):
        to_decide = list(
            ManagementPlan.objects.visible_to(user).filter(status=Status.SUBMITTED).select_related("managed_object")
        )
    if not (to_answer or to_follow_up or to_decide):
        return None
    return {"to_answer": to_answer, "to_follow_up": to_follow_up, "to_decide": to_decide, "today": today}


@waiting.panel("documents/_start_plans.html", slot="start", order=20)
def plans_in_force(request) -> dict:
    """For everyone, signed in or not: the management plans in force, and the way to all plans."""
    plans = list(
        ManagementPlan.objects.visible_to(request.user)
        .filter(status=Status.IN_FORCE)
        .select_related("managed_object")
        .order_by("-year", "managed_object__name")
    )
    return {"plans": plans}


@waiting.panel("documents/_budget_waiting.html", slot="home", order=22)
def budgets_waiting(request) -> dict | None:
    """For coordinators: the budgets of plans being written that are not decided, with their deadline (1 September
    the year before); for the budget body's preparers: budgets with lines waiting for its decision. One query each."""
    from .budget import deadline
    from .models import Budget

    user = request.user
    today = timezone.localdate()
    to_finish: list = []
    if permissions.can(user, rules.EDIT_PLAN, ManagementPlan(status=Status.DRAFT)):
        to_finish = list(
            ManagementPlan.objects.visible_to(user)
            .filter(status__in=[Status.DRAFT, Status.IN_REVIEW])
            .exclude(budget__decision__isnull=False)
            .select_related("managed_object")
            .order_by("year", "managed_object__name")
        )
        for plan in to_finish:
            plan.budget_deadline = deadline(plan)
            plan.days_left = (plan.budget_deadline - today).days
    to_decide: list = []
    bodies = permissions.preparer_body_ids(user)
    if bodies:
        to_decide = list(
            Budget.objects.filter(
                plan__in=ManagementPlan.objects.visible_to(user),
                plan__managed_object__budget_body_id__in=bodies,
                decision__isnull=True,
                lines__isnull=False,
            )
            .exclude(plan__status=Status.ARCHIVED)
            .distinct()
            .select_related("plan__managed_object__budget_body")
            .order_by("plan__year")
        )
    if not (to_finish or to_decide):
        return None
    return {"to_finish": to_finish, "budgets_to_decide": to_decide, "today": today}


@waiting.panel("documents/governing/_waiting.html", slot="home", order=24)
def revisions_waiting(request) -> dict | None:
    """Governing documents (issue 13): for a subregion's representatives, the editorial revisions in consultation
    where their subregion has not agreed (nothing said, or an objection standing); for the owner body's stewards, the
    editorial revisions whose consensus holds, ready for its agenda. One query for the revisions, one for positions."""
    from django.db.models import Prefetch

    from . import governing_rules
    from .governing_models import Revision, RevisionPosition

    user = request.user
    represents = permissions.represented_subregion_ids(user)
    stewards = permissions.is_admin(user) or permissions.is_coordinator(user) or permissions.secretary_body_ids(user)
    if not (represents or stewards):
        return None
    rows = list(
        Revision.objects.filter(status=Revision.Status.OPEN, change_class=Revision.ChangeClass.EDITORIAL)
        .select_related("document__document", "document__owner", "version")
        .prefetch_related("subregions", Prefetch("positions", queryset=RevisionPosition.objects.order_by("at", "pk")))
        .order_by("proposed_at", "pk")
    )
    person = permissions.person_of(user)
    to_answer, ready = [], []
    answering: dict[int, set[int]] = {}
    for revision in rows:
        state = governing_rules.consensus(revision)
        owner = revision.document.owner
        if owner.pk not in answering:  # one query per owner body, not per revision
            answering[owner.pk] = governing_rules.answering_subregion_ids(user, owner) if represents else set()
        mine = answering[owner.pk]
        for position in state.rows:
            own = person is not None and revision.proposed_by_id == person.pk
            if position.subregion.pk in mine and position.stance != "agree" and not own:
                to_answer.append({"revision": revision, "position": position, "window_ends": state.window_ends})
        if state.reached and governing_rules.stewards_document(user, revision.document):
            ready.append(revision)
    if not (to_answer or ready):
        return None
    return {"to_answer": to_answer, "ready": ready}
