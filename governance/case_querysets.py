"""Who may read cases, backlog items and forums: one SQL filter each, from the role facts the rules use.

- A case is read by the members of every body on its path (raised it, owns it, prepares it, or a step came from or
  went to it), by the coordinators and by the administrator. The public reads decisions in the register of published
  minutes (meetings), not the case file.
- A backlog is read by its body's members (every running seat), the coordinators and the administrator.
- A forum and its topics are read by every signed-in member of the bodies that take part, its convener, the
  coordinators and the administrator.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery

from .permissions import is_admin, is_coordinator, member_body_ids, person_of


def _sees_everything(user) -> bool:
    return is_admin(user) or is_coordinator(user)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user or not user.is_authenticated:
            return self.none()
        if _sees_everything(user):
            return self.all()
        bodies = member_body_ids(user)
        person = person_of(user)
        from .case_models import CaseStep

        on_path = CaseStep.objects.filter(case=OuterRef("pk")).filter(Q(from_body__in=bodies) | Q(to_body__in=bodies))
        scope = Q(raised_by__in=bodies) | Q(owner__in=bodies) | Q(preparing_body__in=bodies) | Exists(on_path)
        if person is not None:
            scope |= Q(preparer=person)
        return self.filter(scope)

    def open(self):
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def incoming(self, body):
        """What a body has to act on: open cases it owns or prepares, other than ones it raised and has not sent on."""
        return self.incoming_to([body.pk])

    def incoming_to(self, bodies=None):
        """`incoming` for several bodies at once (ids; None: every body), as the start page lists them."""
        rows = self.open().exclude(status=self.model.Status.REPORTED_BACK)
        if bodies is not None:
            # The preparing body has the case to act on until it is decided; the owner until it is reported back.
            rows = rows.filter(Q(owner__in=bodies) | Q(preparing_body__in=bodies, status__in=self._preparing()))
        return rows

    def _preparing(self):
        """The states in which the preparing body still has the case."""
        return (self.model.Status.PREPARING, self.model.Status.ON_AGENDA)

    def being_prepared(self, bodies=None):
        """Cases a body prepares and has not seen decided yet (ids; None: by any body)."""
        rows = self.filter(preparing_body__isnull=False, status__in=self._preparing())
        return rows if bodies is None else rows.filter(preparing_body__in=bodies)

    def raised_by_body(self, body):
        return self.filter(raised_by=body)

    def for_agenda(self, body):
        """Open cases a body's secretary may put on its agenda: owned by the body, in a state that waits for it."""
        return self.filter(owner=body, status__in=self.model.AGENDA_STATUSES)

    def follow_ups_due(self, *, on, bodies=None):
        rows = self.filter(follow_up_on__isnull=False, follow_up_on__lte=on, followed_up_at__isnull=True)
        if bodies is not None:
            rows = rows.filter(owner__in=bodies)
        return rows


class CaseStepQuerySet(models.QuerySet):
    def latest_of_case(self):
        """Each case's latest step only: the one recorded last, which set the case's status (a decision recorded at
        justering names the meeting's day, which may come before the day the case was raised or sent on)."""
        newest = self.model.objects.filter(case=OuterRef("case")).order_by("-recorded_at", "-id").values("pk")[:1]
        return self.filter(pk=Subquery(newest))

    def recent_outcomes(self, *, raised_by, since):
        """The outcomes of the cases the bodies `raised_by` (ids) raised: cases whose latest step is a decision, a
        referral back, an escalation or a report back, on or after `since`, newest first, in one query with the case,
        the deciding body and the body escalated to."""
        kind = self.model.Kind
        outcomes = (kind.DECIDED, kind.REFERRED_BACK, kind.ESCALATED, kind.REPORTED_BACK)
        return (
            self.latest_of_case()
            .filter(case__raised_by__in=raised_by, kind__in=outcomes, happened_on__gte=since)
            .select_related("case", "from_body", "to_body")
            .order_by("-happened_on", "-recorded_at", "-id")
        )

    def update(self, **kwargs):
        from .case_models import ImmutableStep

        raise ImmutableStep("Ett steg i ett ärende ändras aldrig; registrera ett nytt steg i stället.")

    def delete(self):
        from .case_models import ImmutableStep

        raise ImmutableStep("Ett steg i ett ärende tas aldrig bort.")


class BacklogQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user or not user.is_authenticated:
            return self.none()
        if _sees_everything(user):
            return self.all()
        return self.filter(body__in=member_body_ids(user))


class ForumQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user or not user.is_authenticated:
            return self.none()
        if _sees_everything(user):
            return self.all()
        person = person_of(user)
        scope = Q(bodies__in=member_body_ids(user))
        if person is not None:
            scope |= Q(convener=person)
        return self.filter(pk__in=self.model.objects.filter(scope).values("pk"))


class ForumTopicQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .case_models import Forum

        return self.filter(forum__in=Forum.objects.visible_to(user))
