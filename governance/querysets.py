"""Reads of the governance structure, as QuerySet methods.

`visible_to(user)` is what a user may read, one SQL filter each: the governance structure (bodies, their seats and
vacancies) is public, the org chart included; people's own pages are internal (signed-in users only)."""

import datetime
import functools
import hashlib

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.collation import swedish


def first_per(queryset, group: str, *, order, n: int) -> dict:
    """The first `n` rows of each `group` (a field such as "subregion_id") in `order`, each row with `in_group`: how
    many rows its group has in all. For lists that show a few rows per group and link to the rest:
    {group value: [rows]}. Two queries whatever the number of rows: the window functions rank narrow rows (ids and the
    sort keys only; PostgreSQL and SQLite alike), then the rows chosen are read with what the queryset selects."""
    partition = [F(group)]
    ranked = (
        queryset.order_by()
        .annotate(
            place_in_group=Window(RowNumber(), partition_by=partition, order_by=list(order)),
            in_group=Window(Count("pk"), partition_by=partition),
        )
        .filter(place_in_group__lte=n)
        .values_list("pk", group, "place_in_group", "in_group")
    )
    place = {pk: (key, at, total) for pk, key, at, total in ranked}
    grouped: dict = {}
    # The ranking again as a subquery, not a list of ids: the same two queries when a list is empty.
    chosen = queryset.filter(pk__in=ranked.values_list("pk", flat=True))
    for row in sorted((r for r in chosen if r.pk in place), key=lambda r: place[r.pk][:2]):
        row.in_group = place[row.pk][2]
        grouped.setdefault(place[row.pk][0], []).append(row)
    return grouped


@functools.cache
def _history_of(model):
    return model.history.model  # simple-history builds a new manager class on each `model.history`


def table_version(model) -> str:
    """A key for lists of a table's rows kept rendered (core.kept), in one query: how many rows, the highest id and the
    newest history row (every write goes through simple-history, core.audit). Any change to any row of the table
    gives a new key, so a list of some of its rows, named by what chooses them, can be kept under it. Plain SQL: the
    ORM took three times as long to write it as the database to answer it."""
    quote = connection.ops.quote_name
    table, history, pk = (
        quote(model._meta.db_table),
        quote(_history_of(model)._meta.db_table),
        quote(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX({pk}), (SELECT MAX(history_id) FROM {history}) FROM {table}")  # noqa: S608 - names from the models
        n, top, newest = cursor.fetchone()
    return f"{model._meta.label_lower}:{n}:{top}:{newest}"


class BodyQuerySet(models.QuerySet):
    public = True  # visible_to(user) is everything, for everyone: rules may say so without a query

    def visible_to(self, user):
        """Every body, for everyone: the org chart and the body pages are public."""
        return self.all()

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

    def chart_version(self, on: datetime.date | None = None) -> str:
        """A key for the drawn chart (governance.chart.rendered), in one query: the day (statuses change on their
        dates), how many bodies, the highest id and the newest history row of any body or status change (every
        change of a name, a mandate giver or a status goes through simple-history)."""
        from .models import BodyStatusChange

        def newest(model):
            return Max(Subquery(_history_of(model)._default_manager.order_by("-history_id").values("history_id")[:1]))

        facts = self.order_by().aggregate(
            n=Count("pk"), top=Max("pk"), bodies=newest(self.model), statuses=newest(BodyStatusChange)
        )
        on = on or timezone.localdate()
        return f"chart:{on.isoformat()}:{facts['n']}:{facts['top']}:{facts['bodies']}:{facts['statuses']}"


class MembershipQuerySet(models.QuerySet):
    public = True  # visible_to(user) is everything, for everyone: rules may say so without a query

    def visible_to(self, user):
        """Every seat, for everyone: who sits where is shown on the public body pages."""
        return self.all()

    def current(self, on: datetime.date | None = None):
        """Memberships running on the day: started, and not ended before it."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)

    def past(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)

    def changing(self, on: datetime.date | None = None, *, days: int = 90):
        """The coming changes of seats: terms that start after the day (however far ahead: an appointed successor),
        and running terms that end within `days` of it."""
        on = on or timezone.localdate()
        ends_soon = Q(start_date__lte=on, end_date__gte=on, end_date__lte=on + datetime.timedelta(days=days))
        return self.filter(Q(start_date__gt=on) | ends_soon)

    def changes(self, on: datetime.date | None = None, *, days: int = 90):
        """One row per coming change (governance.services.term_changes): changing(), without the running terms whose
        successor is already appointed (the successor's row says "X ersätter Y"), each with `change_on`: the day of
        the change (the start of a coming term, the end of an ending one)."""
        on = on or timezone.localdate()
        from .models import Membership

        succeeded = Exists(Membership.objects.filter(replaces=OuterRef("pk"), start_date__gt=on))
        return (
            self.changing(on, days=days)
            .exclude(Q(start_date__lte=on) & succeeded)
            .annotate(change_on=Case(When(start_date__gt=on, then=F("start_date")), default=F("end_date")))
        )

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
    signed_in = True  # visible_to(user) is everything for a signed-in user: rules may say so without a query

    def visible_to(self, user):
        """People's pages are internal: every person for a signed-in user, none for anyone else."""
        return self.all() if user is not None and user.is_authenticated and user.is_active else self.none()

    def swedish_order(self):
        return self.order_by(swedish("last_name"), swedish("first_name"))

    def options_version(self, queryset=None) -> str:
        """A key for a rendered list of these people (core.widgets.FastSelect.options_key), in one query: which rows
        (the SQL), how many, the highest id, and the newest history row of any person and any seat (every change of a
        name or a seat goes through simple-history; lists filtered by seats change with them). A change to any of them gives a new key."""
        queryset = self.all() if queryset is None else queryset
        try:
            sql = str(queryset.query)
        except EmptyResultSet:
            return "people:none"
        from .models import Membership

        def newest(model):
            return Max(Subquery(_history_of(model)._default_manager.order_by("-history_id").values("history_id")[:1]))

        facts = queryset.order_by().aggregate(
            n=Count("pk"), top=Max("pk"), people=newest(self.model), seats=newest(Membership)
        )
        digest = hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()
        return f"people:{digest}:{facts['n']}:{facts['top']}:{facts['people']}:{facts['seats']}"

    def seated_only_in(self, subregion_ids, *, roles, on: datetime.date | None = None):
        """People whose running and coming seats are all seats of these subregions in these roles, with at least one
        such seat: "a subregion's people" for whoever fills exactly those seats. Ended seats count for nothing."""
        from .models import Membership

        on = on or timezone.localdate()
        open_seats = Membership.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), person=OuterRef("pk"))
        theirs = Q(subregion__in=subregion_ids, role__in=roles)
        return self.filter(Exists(open_seats.filter(theirs))).exclude(Exists(open_seats.exclude(theirs)))


class VacancyQuerySet(models.QuerySet):
    public = True  # visible_to(user) is everything, for everyone: rules may say so without a query

    def visible_to(self, user):
        """Every vacancy, for everyone: open seats are shown on the public body and subregion pages."""
        return self.all()

    def open(self):
        return self.filter(filled_on__isnull=True)


class PublicQuerySet(models.QuerySet):
    """The public reference data (subregions, organisations, charters): everything, for everyone."""

    public = True

    def visible_to(self, user):
        return self.all()
