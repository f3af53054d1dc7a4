"""Cases on other pages (core.waiting, issue 12): on the start page what waits for those who carry a body's cases
forward and the outcomes of the cases one's own bodies raised; on a body page a short count of its cases.

The start page's panels are kept per user, day and data version (core.waiting.rendered): nothing here depends on
more than those. The body page renders its panels on every request, outside the fragments kept per structure
version (which cases are not part of), so a new case counts at once."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from core import waiting

from . import case_rules, permissions
from .case_models import Case, CaseStep
from .case_rules import stewards_of
from .querysets import first_per

# Rows per list on the start page: the first ones, with a link to the case list for the rest (a coordinator
# stewards every body).
SHOWN = 10
# How long the raising body sees an outcome on its start page.
OUTCOME_DAYS = 60


def _incoming_by_body(bodies: set[int] | None) -> list[dict]:
    """Each stewarded body with incoming cases (Case.objects.incoming): its first SHOWN cases, oldest first, and how
    many there are. A case prepared by one body for another waits on both. Four queries whatever the rows."""
    rows = Case.objects.incoming_to(bodies).select_related("owner", "preparing_body")
    prepared = rows.being_prepared(bodies)
    order = ("created_at", "pk")
    owned_by = first_per(rows if bodies is None else rows.filter(owner__in=bodies), "owner_id", order=order, n=SHOWN)
    prepared_by = first_per(prepared, "preparing_body_id", order=order, n=SHOWN)
    groups: dict[int, dict] = {}
    for by, body_of in ((owned_by, "owner"), (prepared_by, "preparing_body")):
        for pk, found in by.items():
            group = groups.setdefault(pk, {"body": getattr(found[0], body_of), "cases": [], "count": 0})
            group["cases"].extend(found)
            group["count"] += found[0].in_group
    for group in groups.values():
        group["cases"] = sorted(group["cases"], key=lambda c: (c.created_at, c.pk))[:SHOWN]
        group["more"] = group["count"] > SHOWN
    return sorted(groups.values(), key=lambda g: (g["body"].sort_order, g["body"].name))


def _incoming_everywhere() -> list[dict]:
    """For those who steward every body (the coordinators, the administrator): one list, the SHOWN cases that have
    waited longest, each with the body it waits on, and how many there are; not a list per body (hundreds)."""
    rows = Case.objects.incoming_to(None)
    first = list(rows.select_related("owner").order_by("created_at", "pk")[:SHOWN])
    if not first:
        return []
    count = rows.count()  # always asked: the same queries however many cases wait
    return [{"body": None, "cases": first, "count": count, "more": count > SHOWN}]


@waiting.panel("governance/case_waiting/_home_cases.html", slot="home", order=30)
def cases_waiting(request) -> dict | None:
    """For those who steward a body's cases: the cases waiting on each such body, and the follow-ups due."""
    user = request.user
    if not user.is_authenticated:
        return None
    bodies = case_rules.stewarded_body_ids(user)
    if bodies is not None and not bodies:
        return None
    incoming = _incoming_by_body(bodies) if bodies is not None else _incoming_everywhere()
    due = (
        Case.objects.follow_ups_due(on=timezone.localdate(), bodies=bodies)
        .select_related("owner")
        .order_by("follow_up_on", "pk")
    )
    follow_ups = list(due[: SHOWN + 1])
    if not (incoming or follow_ups):
        return None
    return {
        "incoming": incoming,
        "follow_ups": follow_ups[:SHOWN],
        "follow_up_count": due.count() if len(follow_ups) > SHOWN else len(follow_ups),
        "shown": SHOWN,
        "decided": Case.Status.DECIDED,
    }


@waiting.panel("governance/case_waiting/_home_outcomes.html", slot="home", order=35)
def case_outcomes(request) -> dict | None:
    """For the members of a body that raised cases: what became of them in the last OUTCOME_DAYS days (decided,
    referred back, escalated, reported back), with the deciding body and the follow-up date."""
    bodies = permissions.member_body_ids(request.user)
    if not bodies:
        return None
    since = timezone.localdate() - datetime.timedelta(days=OUTCOME_DAYS)
    steps = list(CaseStep.objects.recent_outcomes(raised_by=bodies, since=since)[: SHOWN + 1])
    if not steps:
        return None
    return {"outcomes": steps[:SHOWN], "more_outcomes": len(steps) > SHOWN, "days": OUTCOME_DAYS}


def sees_body_cases(user, body) -> bool:
    """Who reads a body's cases (Case.objects.visible_to): its members, those who steward its cases, the
    administrator."""
    return stewards_of(user, body) or permissions.is_member_of(user, body)


@waiting.panel("governance/case_waiting/_body_cases.html", slot="body", order=20)
def body_cases(request, body) -> dict | None:
    """The body page's count of its cases: waiting on it, open and owned by it, open and raised by it."""
    user = request.user
    if not user.is_authenticated or not sees_body_cases(user, body):
        return None
    counts = Case.objects.visible_to(user).aggregate(
        incoming=Count("pk", filter=Q(pk__in=Case.objects.incoming(body).values("pk"))),
        owned=Count("pk", filter=Q(owner=body, status__in=Case.OPEN_STATUSES)),
        raised=Count("pk", filter=Q(raised_by=body, status__in=Case.OPEN_STATUSES)),
    )
    return {"cases_body": body, **counts}
