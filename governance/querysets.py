"""Reads of the governance structure, as QuerySet methods."""

import datetime

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from core.collation import swedish


class BodyQuerySet(models.QuerySet):
    def with_status(self, on: datetime.date | None = None):
        """Annotate `status`: the latest status change in effect on the day (active when none)."""
        from .models import BodyStatusChange

        on = on or timezone.localdate()
        latest = (
            BodyStatusChange.objects.filter(body=OuterRef("pk"), effective_from__lte=on)
            .order_by("-effective_from", "-id")
            .values("status")[:1]
        )
        return self.annotate(
            status=models.functions.Coalesce(Subquery(latest), models.Value(BodyStatusChange.Status.ACTIVE))
        )

    def swedish_order(self):
        return self.order_by("sort_order", swedish("name"))


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Memberships running on the day: started, and not ended before it."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)

    def past(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)

    def overlapping(self, start: datetime.date, end: datetime.date | None):
        """Memberships whose period shares at least one day with [start, end] (end None = open)."""
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        if end is not None:
            qs = qs.filter(start_date__lte=end)
        return qs

    def representatives(self):
        from .models import Membership

        return self.filter(role__in=Membership.REPRESENTATIVE_ROLES, subregion__isnull=False)


class PersonQuerySet(models.QuerySet):
    def swedish_order(self):
        return self.order_by(swedish("last_name"), swedish("first_name"))
